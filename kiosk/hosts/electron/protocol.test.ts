import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskCore } from '../core-port.ts';
import { createAdmProtocolHandler, isAdmUrl } from './protocol.ts';

let dir: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adm-protocol-'));
  await mkdir(join(dir, 'ui'));
  await writeFile(join(dir, 'ui', 'index.html'), '<!doctype html>');
  await writeFile(join(dir, 'ui', 'main.js'), 'export {}');
  await writeFile(join(dir, 'secret.txt'), 'outside');
  const core = {
    readAsset: async (path: string) =>
      path === '/preview/card-1.png'
        ? { body: new Uint8Array([137, 80, 78, 71]), type: 'image/png' }
        : undefined,
  } as unknown as KioskCore;
  handle = createAdmProtocolHandler({ uiDir: join(dir, 'ui'), core });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('adm:// protocol', () => {
  it('serves the UI with the CSP and nosniff', async () => {
    const response = await handle(new Request('adm://kiosk/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await handle(new Request('adm://kiosk/main.js'))).headers.get('content-type')).toContain(
      'javascript',
    );
  });

  it('serves previews from the core, never from disk', async () => {
    const response = await handle(new Request('adm://kiosk/preview/card-1.png'));
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
    expect((await handle(new Request('adm://kiosk/preview/other.png'))).status).toBe(404);
  });

  it('refuses paths out of the UI folder, other hosts and other methods', async () => {
    expect((await handle(new Request('adm://kiosk/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handle(new Request('adm://kiosk/..%2fsecret.txt'))).status).toBe(404);
    expect((await handle(new Request('adm://other/index.html'))).status).toBe(404);
    expect((await handle(new Request('adm://kiosk/index.html', { method: 'POST', body: 'x' }))).status).toBe(
      405,
    );
  });

  it('knows its own origin', () => {
    expect(isAdmUrl('adm://kiosk/index.html')).toBe(true);
    expect(isAdmUrl('adm://kiosk.evil/index.html')).toBe(false);
    expect(isAdmUrl('https://kiosk/')).toBe(false);
    expect(isAdmUrl('not a url')).toBe(false);
    expect(isAdmUrl(undefined)).toBe(false);
  });
});
