import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { SERVICE_CATALOGUE } from '../../documents/services.ts';
import { TTE_QR_PATTERN, tteSignedText } from './documents.ts';
import { readSimIssuerKey } from './mint.ts';
import { sha256 } from './seed.ts';
import { CentralApiSimulator } from './server.ts';
import { SIM_TECHNICIAN_PIN } from './technician.ts';

let sim: CentralApiSimulator;
beforeAll(async () => {
  sim = await CentralApiSimulator.start();
});
afterAll(() => sim.close());

const ready = () =>
  sim.applications().filter((a) => a.status === 'READY' && a.selfPrint && a.regionCode === '3574');

describe('the simulator’s seed', () => {
  it('has a READY application of every service of the catalogue', () => {
    const services = new Set(ready().map((a) => a.service));
    for (const s of SERVICE_CATALOGUE) expect(services.has(s.service), s.service).toBe(true);
  });

  it('prints each A4 document as a PDF of its pages with its title, number, subject and TTE block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-pdf-'));
    for (const entry of SERVICE_CATALOGUE.filter((s) => s.medium === 'A4')) {
      const app = ready().find((a) => a.service === entry.service)!;
      const doc = app.documents.find((d) => d.medium === 'A4')!;
      expect(sha256(doc.bytes), app.applicationNo).toBe(doc.sha256);
      expect((await PDFDocument.load(doc.bytes)).getPageCount()).toBe(doc.pages);
      const file = join(dir, `${app.applicationNo}.pdf`);
      writeFileSync(file, doc.bytes);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      if (app.documents.length === 1) expect(text, app.applicationNo).toContain(entry.printedTitle);
      expect(text).toContain(app.applicationNo);
      expect(text).toContain(app.subject.nik);
      expect(text).toContain('Ditandatangani secara elektronik');
    }
  });

  it('seals an A4 document with a QR code of its TTE signature, which the issuer key verifies', async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await prepareZXingModule({
      overrides: {
        wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
      },
      fireImmediately: true,
    });
    const { publicKey } = readSimIssuerKey();
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    const dir = mkdtempSync(join(tmpdir(), 'sim-tte-'));
    const app = ready().find((a) => a.service === 'AKTA_PENGAKUAN_ANAK')!;
    const title = SERVICE_CATALOGUE.find((s) => s.service === app.service)!.printedTitle!;
    writeFileSync(join(dir, 'doc.pdf'), app.documents[0]!.bytes);
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', join(dir, 'doc.pdf'), join(dir, 'page')]);
    const codes = await readBarcodes(new Uint8Array(readFileSync(join(dir, 'page.png'))), {
      formats: ['QRCode'],
    });
    const [, no, signature] = TTE_QR_PATTERN.exec(codes[0]?.text ?? '') ?? [];
    expect(no).toBe(app.applicationNo);
    const signed = Buffer.from(tteSignedText(title, { applicationNo: app.applicationNo, ...app.subject }));
    expect(verify(null, signed, key, Buffer.from(signature!, 'base64url'))).toBe(true);
    expect(verify(null, Buffer.from(`${signed}x`), key, Buffer.from(signature!, 'base64url'))).toBe(false);
  });

  it('keeps the documents but gives each simulator its own application records', async () => {
    const other = await CentralApiSimulator.start();
    try {
      sim.setStatus('3574-KIA-2611-000123', 'PRINTED');
      expect(other.application('3574-KIA-2611-000123').status).toBe('READY');
    } finally {
      sim.setStatus('3574-KIA-2611-000123', 'READY');
      await other.close();
    }
  });
});

describe('the code page', () => {
  it('says Simulator, shows the technician’s badge code and PIN, the residents and every application', async () => {
    const res = await fetch(`${sim.baseUrl.replace(/\/v1$/, '')}/sim/codes`);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/data-sim-badge>Simulator</);
    expect(html).toContain('data-technician="T-3574-01"');
    expect(html).toContain(`<code data-technician-pin>${SIM_TECHNICIAN_PIN}</code>`);
    expect(html).toMatch(/data-badge-code>eyJ[\w-]+\.[\w-]+\.[\w-]+</);
    for (const r of sim.residents()) expect(html).toContain(`data-resident="${r.nik}"`);
    for (const a of sim.applications()) expect(html).toContain(`data-application="${a.applicationNo}"`);
    expect(html).toContain('Akta Pengakuan Anak');
    expect(html).toContain('Dokumen kependudukan');
  });
});

describe('idempotency', () => {
  it('compares bodies as JSON values: a repeat with its members in another order is the same request', async () => {
    const post = (body: string) =>
      fetch(`${sim.baseUrl}/feedback`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sim-token',
          'x-kiosk-id': 'ADM-3574-MPP-01',
          'idempotency-key': '0b6f3c1e-5d2a-4c4e-9a53-1f2e3d4c5b6a',
          'content-type': 'application/json',
        },
        body,
      });
    const before = sim.records.feedback.length;
    expect((await post('{"kioskId":"ADM-3574-MPP-01","rating":4,"at":"2026-11-28T04:00:00Z"}')).status).toBe(
      204,
    );
    expect(
      (await post('{ "at": "2026-11-28T04:00:00Z", "rating": 4, "kioskId": "ADM-3574-MPP-01" }')).status,
    ).toBe(204);
    expect((await post('{"kioskId":"ADM-3574-MPP-01","rating":3,"at":"2026-11-28T04:00:00Z"}')).status).toBe(
      400,
    );
    expect(sim.records.feedback.length - before).toBe(1);
  });
});
