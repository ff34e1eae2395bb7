import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import { startKiosk, type TestKiosk, waitForScreen } from '../support/kiosk.ts';

let central: CentralApiSimulator;
beforeAll(async () => {
  central = await CentralApiSimulator.start();
});
afterAll(() => central.close());

const POST_ROUTES = ['complete', 'release', 'heartbeat', 'feedback'] as const;

describe('the network down for the whole of a print', () => {
  it('prints, shows collect, and the completion arrives once when the network is back, across a restart', async () => {
    const no = '3574-KTP-2611-000046';
    central.setStatus(no, 'READY');
    const dataDir = mkdtempSync(join(tmpdir(), 'adm-netdown-'));
    let kiosk: TestKiosk = await startKiosk({ central, dataDir });
    try {
      kiosk.scan(await central.mintPrintCode(no));
      await waitForScreen(kiosk, 'confirm');
      // From here on every POST that carries an outcome fails with a broken connection.
      for (const r of POST_ROUTES) central.setFault(r, { kind: 'reset' });
      kiosk.app.core.send({ type: 'confirm' });
      await waitForScreen(kiosk, 'collect');
      expect(kiosk.app.cardSim!.counters.total).toBe(1);
      expect(kiosk.app.outbox.pending().filter((i) => i.message.kind === 'complete')).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1500));
      expect(central.completionsOf(no)).toBe(0);

      // The kiosk restarts while the network is still down: the completion waits in the outbox.
      await kiosk.stop();
      kiosk = await startKiosk({ central, dataDir });
      expect(kiosk.app.outbox.pending().filter((i) => i.message.kind === 'complete')).toHaveLength(1);
      expect(kiosk.app.journal.openSessions()).toHaveLength(0);

      central.clearFaults();
      await kiosk.app.outbox.flush(true);
      await expect.poll(() => central.completionsOf(no), { timeout: 20_000 }).toBe(1);
      const attempts = central.records.requests.filter((r) => r.path.endsWith('/complete'));
      expect(attempts.length).toBeGreaterThan(1);
      // Every attempt carried the same Idempotency-Key: one completion in effect.
      expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
      expect(central.liveClaims()).toHaveLength(0);
      expect(kiosk.app.outbox.pending().filter((i) => i.message.kind === 'complete')).toHaveLength(0);
    } finally {
      await kiosk.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
