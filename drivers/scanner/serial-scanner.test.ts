import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../transport/pty-pair.ts';
import { openSerialTransport } from '../transport/serial.ts';
import type { Transport } from '../transport/transport.ts';
import { openScanner } from './index.ts';
import { MAX_LINE_BYTES } from './line-reader.ts';
import type { Scanner, ScannerStatus } from './types.ts';

const enc = new TextEncoder();

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SerialScanner over a socat pty with the real serialport binding', () => {
  let dir: string;
  let pair: PtyPair | undefined;
  let device: Transport | undefined;
  let scanner: Scanner | undefined;

  const plug = async () => {
    const res = await openPtyPair(join(dir, 'scanner'), join(dir, 'device'));
    if (!res.ok) throw new Error(res.error);
    pair = res.value;
    const d = await openSerialTransport(pair.pathB, 9600);
    if (!d.ok) throw new Error(d.error);
    device = d.value;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adm-scanner-'));
    await plug();
  });

  afterEach(async () => {
    await scanner?.close();
    await device?.close();
    await pair?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers each code without its line end; empty lines and oversize input are dropped', async () => {
    scanner = await openScanner({ driver: 'serial', path: join(dir, 'scanner'), baudRate: 9600 });
    expect(scanner.getStatus()).toEqual({ state: 'READY' });
    const codes: string[] = [];
    scanner.onCode((c) => codes.push(c));
    await device!.write(enc.encode('ADM1.first\r\n\r\nADM1.second\rADM1.'));
    await device!.write(enc.encode('third\n'));
    await device!.write(enc.encode('z'.repeat(MAX_LINE_BYTES + 100)));
    await device!.write(enc.encode('\r\nADM1.after-oversize\r\n'));
    await until(() => codes.length >= 4);
    expect(codes).toEqual(['ADM1.first', 'ADM1.second', 'ADM1.third', 'ADM1.after-oversize']);
  });

  it('goes OFFLINE when unplugged and READY again once the port is back', async () => {
    scanner = await openScanner({ driver: 'serial', path: join(dir, 'scanner') });
    const statuses: ScannerStatus['state'][] = [];
    scanner.onStatus((s) => statuses.push(s.state));
    const codes: string[] = [];
    scanner.onCode((c) => codes.push(c));

    await device!.close();
    await pair!.close();
    await until(() => scanner!.getStatus().state === 'OFFLINE');

    await plug();
    await until(() => scanner!.getStatus().state === 'READY');
    expect(statuses).toEqual(['OFFLINE', 'READY']);
    await device!.write(enc.encode('ADM1.replugged\r'));
    await until(() => codes.length === 1);
    expect(codes).toEqual(['ADM1.replugged']);
  });

  it('starts OFFLINE when the scanner is not there, and comes up when it is plugged in', async () => {
    await device!.close();
    await pair!.close();
    scanner = await openScanner({ driver: 'serial', path: join(dir, 'scanner') });
    expect(scanner.getStatus().state).toBe('OFFLINE');
    await plug();
    await until(() => scanner!.getStatus().state === 'READY');
  });
});
