import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createKioskLog, sessionLog } from './log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe('the kiosk log', () => {
  it('writes JSON lines naming the kiosk, the version and the session, with personal fields censored', () => {
    const { lines, destination } = capture();
    const log = createKioskLog({ kioskId: 'ADM-3574-MPP-01', version: '0.1.0', destination });
    sessionLog(log, 'S-7F3A').info(
      { step: 'lookup', nik: '3574010101010001', detail: { name: 'SITI', applicationNo: 'KK-2026-000123' } },
      'application found',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      kioskId: 'ADM-3574-MPP-01',
      version: '0.1.0',
      session: 'S-7F3A',
      step: 'lookup',
      nik: '[redacted]',
      detail: { name: '[redacted]', applicationNo: '[redacted]' },
      msg: 'application found',
    });
    expect(JSON.stringify(lines)).not.toMatch(/3574010101010001|SITI|KK-2026/);
  });

  it('keeps below the configured level quiet', () => {
    const { lines, destination } = capture();
    const log = createKioskLog({ kioskId: 'K', version: '0', level: 'warn', destination });
    log.info('routine');
    log.warn('printer slow');
    expect(lines.map((l) => l.msg)).toEqual(['printer slow']);
  });
});
