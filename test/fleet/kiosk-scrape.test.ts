import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_MS, SOURCES_MS } from '../../kiosk/metrics/server.ts';
import { CONTRACT_DIR } from '../../kiosk/paths.ts';
import { startKiosk, type TestKiosk, waitForScreen } from '../support/kiosk.ts';

/*
 * The real kiosk on the simulators, scraped after real sessions: the contract's metrics with their
 * types and labels, the values the sessions left, and not one name, NIK or application number anywhere.
 */

/** The contract's table (kiosk-runtime.md "Metrics"): name, type and label names. */
function contractMetrics(): Array<{ name: string; type: string; labels: string[] }> {
  const text = readFileSync(join(CONTRACT_DIR, 'kiosk-runtime.md'), 'utf8');
  const rows = [...text.matchAll(/^\| `(adm_[a-z_]+)` \| (gauge|counter|histogram) \| ([^|]*)\|/gm)];
  return rows.map((m) => ({
    name: m[1]!,
    type: m[2]!,
    // The label names, not the values listed in parentheses after some of them.
    labels: [...m[3]!.replace(/\([^)]*\)/g, '').matchAll(/`([a-z_]+)`/g)].map((l) => l[1]!),
  }));
}

let kiosk: TestKiosk;
let text = '';

async function scrape(): Promise<string> {
  const res = await fetch(kiosk.app.metricsUrl!);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

beforeAll(async () => {
  kiosk = await startKiosk({
    config: { metrics: { host: '127.0.0.1', port: 0 } },
    delays: { collectMs: 0, doneMs: 0 },
  });
  // A KIA printed, a lookup refused (not found), a code that is no code.
  const no = '3574-KIA-2611-000123';
  kiosk.scan(await kiosk.central.mintPrintCode(no));
  await waitForScreen(kiosk, 'confirm');
  kiosk.app.core.send({ type: 'confirm' });
  await waitForScreen(kiosk, 'survey');
  kiosk.app.core.send({ type: 'skip' });
  await waitForScreen(kiosk, 'home');
  kiosk.scan('not a print code');
  await waitForScreen(kiosk, 'error');
  kiosk.app.core.send({ type: 'home' });
  await waitForScreen(kiosk, 'home');
  // The session entry is appended as the kiosk goes home; the server answers from a snapshot at most
  // SNAPSHOT_MS old, and what is read from the store and disk (supplies, the audit chain) is read every
  // SOURCES_MS: a scrape a little later sees all of it.
  const settled = () =>
    text.includes('adm_sessions_total{outcome="refused"} 1') &&
    /^adm_supply_remaining\{supply="blank_cards"\} 99$/m.test(text) &&
    Number(/^adm_audit_chain_length (\d+)/m.exec(text)?.[1]) >= 2;
  const deadline = Date.now() + SOURCES_MS + SNAPSHOT_MS + 5_000;
  while (Date.now() < deadline && !settled()) {
    text = await scrape();
    await new Promise((r) => setTimeout(r, 200));
  }
});
afterAll(async () => {
  await kiosk?.stop();
});

describe('GET /metrics of a real kiosk', () => {
  it('has every metric of the contract with its type and labels', () => {
    const table = contractMetrics();
    expect(table.length).toBe(13);
    for (const m of table) {
      expect(text, m.name).toContain(`# TYPE ${m.name} ${m.type}`);
      const sample = new RegExp(`^${m.name}(?:_bucket|_count|_sum)?(?:\\{([^}]*)\\})? `, 'm').exec(text);
      if (m.type === 'histogram' || m.name === 'adm_central_api_requests_total' || m.labels.length === 0) {
        expect(sample, m.name).not.toBeNull();
      }
      if (!sample?.[1]) continue;
      const names = [...sample[1].matchAll(/([a-z_]+)="/g)].map((l) => l[1]).filter((l) => l !== 'le');
      expect(names.sort(), m.name).toEqual([...m.labels].sort());
    }
  });

  it('and the extra gauges of the fleet', () => {
    for (const name of [
      'adm_card_printer_head_cards_since_cleaning',
      'adm_card_printer_cooling_total',
      'adm_disk_free_bytes',
      'adm_audit_chain_length',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    expect(Number(/^adm_disk_free_bytes (\d+)/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/^adm_audit_chain_length (\d+)/m.exec(text)?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('counts what the sessions did', () => {
    expect(text).toContain('adm_sessions_total{outcome="printed"} 1');
    expect(text).toContain('adm_sessions_total{outcome="refused"} 1');
    expect(text).toContain('adm_documents_printed_total{service="KIA",medium="CARD"} 1');
    expect(text).toContain('adm_refusals_total{reason="invalid-qr"} 1');
    expect(text).toContain('adm_central_api_requests_total{route="lookup",status="200"} 1');
    expect(text).toContain('adm_central_api_requests_total{route="claim",status="201"} 1');
    expect(text).toContain('adm_kiosk_state{state="IN_SERVICE"} 1');
    expect(text).toContain('adm_device_up{device="card_printer"} 1');
    expect(text).toMatch(/^adm_supply_remaining\{supply="blank_cards"\} 99$/m);
    expect(text).toMatch(/^adm_step_duration_seconds_count\{step="scan_to_confirm"\} 1$/m);
    expect(text).toMatch(/^adm_step_duration_seconds_count\{step="confirm_to_print_start"\} 1$/m);
    expect(text).toMatch(/^adm_step_duration_seconds_count\{step="print_end_to_collect"\} 1$/m);
    expect(text).toContain(`adm_kiosk_info{kiosk_id="${kiosk.config.kioskId}",region="3574",version=`);
  });

  it('holds no name, NIK or application number of any application the kiosk could have seen', () => {
    const apps = kiosk.central.applications();
    expect(apps.length).toBeGreaterThan(5);
    const lower = text.toLowerCase();
    for (const a of apps) {
      expect(text).not.toContain(a.subject.nik);
      expect(text).not.toContain(a.applicationNo);
      expect(lower).not.toContain(a.subject.name.toLowerCase());
      // The masked NIK's visible parts together neither.
      expect(text).not.toContain(`${a.subject.nik.slice(0, 6)}******`);
    }
  });
});

describe('a metrics port that is taken', () => {
  it('is an incident; the kiosk serves applicants all the same', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const k = await startKiosk({ config: { metrics: { host: '127.0.0.1', port } } });
    try {
      expect(k.app.metricsUrl).toBeUndefined();
      expect(k.app.incidents.open().find((i) => i.kind === 'metrics-unavailable')?.detail).toMatchObject({
        port,
        code: 'EADDRINUSE',
      });
      await waitForScreen(k, 'home');
    } finally {
      await k.stop();
      blocker.close();
    }
  });
});
