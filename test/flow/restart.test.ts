import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../kiosk/app.ts';
import { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import { KioskProcess } from '../support/kiosk-process.ts';

let dir: string;
let central: CentralApiSimulator;
let kiosk: KioskProcess;
/** The central API's requests when the kiosk said `KIOSK READY`. */
let requestsAtReady = -1;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adm-restart-'));
  central = await CentralApiSimulator.start();
  const base = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8')) as Record<string, unknown>;
  delete base.centralApiSim;
  kiosk = new KioskProcess(
    KioskProcess.writeConfig(dir, {
      ...base,
      centralApi: { baseUrl: central.baseUrl, token: 'sim-token', timeoutMs: 2000 },
      devices: {
        cardPrinter: { driver: 'sim', timeFactor: 0.01, blankCards: 20 },
        scanner: { driver: 'sim' },
      },
      dataDir: join(dir, 'data'),
      host: { kind: 'browser', port: 0 },
    }),
    {
      onReady: () => {
        requestsAtReady = central.records.requests.length;
      },
    },
  );
  await kiosk.start();
});
afterAll(async () => {
  await kiosk?.kill('SIGKILL');
  await central?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a kiosk that starts', () => {
  it('says it is ready before it sends anything, then sends its heartbeat', async () => {
    expect(requestsAtReady).toBe(0);
    const deadline = Date.now() + 10_000;
    while (!central.records.requests.some((r) => r.path.endsWith('/heartbeat')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(central.records.requests.some((r) => r.path.endsWith('/heartbeat'))).toBe(true);
  });
});

describe("the technician's restart with the browser host", () => {
  it('restarts the kiosk under the same URL; the page keeps its stream and the kiosk prints again', async () => {
    kiosk.scan(await central.mintBadge('T-3574-01'));
    await kiosk.waitFor((v) => v.screen.startsWith('maintenance-'));
    await kiosk.send({ type: 'maintenance', action: 'pin', args: { pin: '246810' } });
    await kiosk.waitFor((v) => v.screen === 'maintenance-checklist');
    const url = kiosk.url;
    await kiosk.send({ type: 'maintenance', action: 'restart' });
    // The new kiosk comes up on the same event stream, at home, not in maintenance.
    await kiosk.waitFor((v) => v.screen === 'home', 20_000);
    expect(kiosk.url).toBe(url);
    kiosk.scan(await central.mintPrintCode('3574-KTP-2611-000046'));
    await kiosk.waitFor((v) => v.screen === 'confirm');
    await kiosk.send({ type: 'cancel' });
    await kiosk.waitFor((v) => v.screen === 'home');
    expect(await kiosk.kill('SIGTERM')).toBe(0);
  }, 60_000);
});
