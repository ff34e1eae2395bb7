import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { KioskMetrics } from './kiosk-metrics.ts';
import { meteredFetch, observeHeartbeat, routeOf } from './observe.ts';
import { ANSWER_NICE, SNAPSHOT_MS, SOURCES_MS, startMetricsServer } from './server.ts';

const NIK = '3574010101900001';

function metrics(): KioskMetrics {
  return new KioskMetrics({ kioskId: 'ADM-3574-MPP-01', region: '3574', version: '0.1.0' });
}

describe('KioskMetrics', () => {
  it('exposes the process metrics and starts every outcome and refusal reason at 0', async () => {
    const { body } = await metrics().scrape();
    expect(body).toContain('process_cpu_seconds_total');
    expect(body).toContain('nodejs_heap_size_used_bytes');
    expect(body).toContain('adm_sessions_total{outcome="refused"} 0');
    expect(body).toContain('adm_refusals_total{reason="service-unavailable"} 0');
    expect(body).toContain('adm_kiosk_info{kiosk_id="ADM-3574-MPP-01",region="3574",version="0.1.0"} 1');
  });

  it('turns anything outside its closed sets into "other": a NIK or a name never becomes a label', async () => {
    const m = metrics();
    m.documentPrinted(NIK, 'CARD');
    m.documentPrinted('BUDI SANTOSO', 'A4');
    m.documentPrinted('KTP_EL', 'CARD');
    m.refusal(`not-found ${NIK}`);
    m.handoff('Budi');
    m.setDevice('card_printer', `jam ${NIK}`, false);
    m.centralApiRequest('lookup', 200);
    const { body } = await m.scrape();
    expect(body).not.toContain(NIK);
    expect(body).not.toMatch(/budi/i);
    expect(body).toContain('adm_documents_printed_total{service="other",medium="CARD"} 1');
    expect(body).toContain('adm_documents_printed_total{service="KTP_EL",medium="CARD"} 1');
    expect(body).toContain('adm_refusals_total{reason="other"} 1');
    expect(body).toContain('adm_device_state{device="card_printer",state="other"} 1');
  });

  it('keeps one state series per device and reads the heartbeat the core queues', async () => {
    const m = metrics();
    const beat = (card: string) =>
      observeHeartbeat(m, {
        at: '2026-12-03T00:00:00Z',
        state: card === 'READY' ? 'IN_SERVICE' : 'OUT_OF_SERVICE',
        softwareVersion: '0.1.0',
        devices: { cardPrinter: card, scanner: 'READY' },
        supplies: { blankCards: 12, ribbonPanelsLeft: 400 },
        outboxPending: 0,
      });
    beat('READY');
    beat('CARD_JAM');
    const { body } = await m.scrape();
    expect(body).toContain('adm_device_state{device="card_printer",state="CARD_JAM"} 1');
    expect(body).not.toContain('state="READY",device="card_printer"');
    expect(body).not.toMatch(/adm_device_state\{device="card_printer",state="READY"\}/);
    expect(body).toContain('adm_device_up{device="card_printer"} 0');
    expect(body).toContain('adm_device_up{device="scanner"} 1');
    expect(body).toContain('adm_kiosk_state{state="OUT_OF_SERVICE"} 1');
    expect(body).toContain('adm_kiosk_state{state="IN_SERVICE"} 0');
    expect(body).toContain('adm_supply_remaining{supply="blank_cards"} 12');
    expect(body).toContain('adm_supply_remaining{supply="ribbon_panels"} 400');
  });

  it('measures a step once, from its start to its end', async () => {
    const m = metrics();
    m.stepEnd('scan_to_confirm');
    m.stepStart('scan_to_confirm');
    m.stepEnd('scan_to_confirm');
    m.stepEnd('scan_to_confirm');
    const { body } = await m.scrape();
    expect(body).toContain('adm_step_duration_seconds_count{step="scan_to_confirm"} 1');
  });

  it('answers OpenMetrics to a scraper that asks for it', async () => {
    const { body, contentType } = await metrics().scrape(true);
    expect(contentType).toMatch(/^application\/openmetrics-text/);
    expect(body.trimEnd().endsWith('# EOF')).toBe(true);
  });
});

describe('central API requests', () => {
  it('names the route from the method and path, never the numbers in it', () => {
    const base = 'http://127.0.0.1:1/v1';
    expect(routeOf('GET', `${base}/applications/3574-KIA-2611-000123`)).toBe('lookup');
    expect(routeOf('POST', `${base}/residents/${NIK}/logins`)).toBe('login');
    expect(routeOf('POST', `${base}/applications/X/pin-verifications`)).toBe('pin');
    expect(routeOf('POST', `${base}/applications/X/claims`)).toBe('claim');
    expect(routeOf('GET', `${base}/documents/D1`)).toBe('document');
    expect(routeOf('POST', `${base}/claims/C/complete`)).toBe('complete');
    expect(routeOf('POST', `${base}/claims/C/release`)).toBe('release');
    expect(routeOf('POST', `${base}/kiosks/K/heartbeat`)).toBe('heartbeat');
    expect(routeOf('POST', `${base}/kiosks/K/handoffs`)).toBe('handoff');
    expect(routeOf('POST', `${base}/kiosks/K/assistance-requests`)).toBe('assistance');
    expect(routeOf('POST', `${base}/feedback`)).toBe('feedback');
    expect(routeOf('DELETE', `${base}/feedback`)).toBeUndefined();
  });

  it('counts statuses, timeouts and broken connections', async () => {
    const m = metrics();
    const ok = meteredFetch(m, async () => new Response('{}', { status: 503 }));
    await ok(new Request('http://h/v1/applications/A', { method: 'GET' }));
    const timeout = meteredFetch(m, async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(timeout('http://h/v1/claims/C/complete', { method: 'POST' })).rejects.toThrow();
    const broken = meteredFetch(m, async () => {
      throw new TypeError('fetch failed');
    });
    await expect(broken('http://h/v1/kiosks/K/heartbeat', { method: 'POST' })).rejects.toThrow();
    const { body } = await m.scrape();
    expect(body).toContain('adm_central_api_requests_total{route="lookup",status="503"} 1');
    expect(body).toContain('adm_central_api_requests_total{route="complete",status="timeout"} 1');
    expect(body).toContain('adm_central_api_requests_total{route="heartbeat",status="network"} 1');
  });
});

describe('the metrics server', () => {
  it('serves /metrics, 404 elsewhere', async () => {
    const server = (await startMetricsServer(metrics(), { host: '127.0.0.1', port: 0 }))!;
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
      expect(await res.text()).toContain('adm_kiosk_info');
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers from a thread of higher priority than the session thread, and only that one', async () => {
    const niceOf = (tid: string) =>
      // stat: "pid (comm) state ..."; after the command's closing parenthesis, nice is the 17th field.
      Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const before = readdirSync('/proc/self/task').map(niceOf);
    const server = (await startMetricsServer(metrics(), { host: '127.0.0.1', port: 0 }))!;
    try {
      const raised = readdirSync('/proc/self/task').filter((t) => niceOf(t) === ANSWER_NICE);
      if (process.getuid?.() === 0) {
        expect(server.priority).toBe(ANSWER_NICE);
        expect(raised.length).toBe(before.filter((n) => n === ANSWER_NICE).length + 1);
        expect(niceOf(String(process.pid))).toBe(0);
      } else {
        // Without the right the thread keeps the process's priority and still answers.
        expect(server.priority).toBe(niceOf(String(process.pid)));
      }
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers OpenMetrics over HTTP to a scraper that asks for it', async () => {
    const server = (await startMetricsServer(metrics(), { host: '127.0.0.1', port: 0 }))!;
    try {
      const res = await fetch(server.url, {
        headers: { accept: 'application/openmetrics-text; version=1.0.0' },
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
      expect((await res.text()).trimEnd().endsWith('# EOF')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('serves a snapshot at most a second or so old, and reads the store on its timer, never per scrape', async () => {
    let reads = 0;
    const m = new KioskMetrics({
      kioskId: 'ADM-3574-MPP-01',
      region: '3574',
      version: '0.1.0',
      processMetrics: false,
      auditLength: () => ++reads,
    });
    const server = (await startMetricsServer(m, { host: '127.0.0.1', port: 0 }))!;
    try {
      const first = await (await fetch(server.url)).text();
      expect(first).toContain('adm_assistance_requested 0');
      const readsBefore = reads;
      m.setAssistanceRequested(true);
      const t0 = Date.now();
      let text = first;
      while (!text.includes('adm_assistance_requested 1') && Date.now() - t0 < 5_000)
        text = await (await fetch(server.url)).text();
      expect(text).toContain('adm_assistance_requested 1');
      expect(Date.now() - t0).toBeLessThan(SNAPSHOT_MS + 500);
      for (let i = 0; i < 20; i++) await (await fetch(server.url)).text();
      // Dozens of scrapes within less than SOURCES_MS: at most one timed read of the store.
      expect(Date.now() - t0).toBeLessThan(SOURCES_MS);
      expect(reads - readsBefore).toBeLessThanOrEqual(1);
    } finally {
      await server.close();
    }
  });

  it('answers while the event loop is busy with a session', async () => {
    const server = (await startMetricsServer(metrics(), { host: '127.0.0.1', port: 0 }))!;
    try {
      await (await fetch(server.url)).text();
      // A scraper in a process of its own, as Prometheus is, scrapes while this thread computes for 1.5 s.
      const child = spawn(
        process.execPath,
        [
          '-e',
          `(async () => {
            const times = [];
            process.stdout.write('go\\n');
            for (let i = 0; i < 5; i++) {
              await new Promise((r) => setTimeout(r, 100));
              const t0 = performance.now();
              const res = await fetch(${JSON.stringify(server.url)});
              if (!(await res.text()).includes('adm_kiosk_info')) process.exit(2);
              times.push(performance.now() - t0);
            }
            process.stdout.write(JSON.stringify(times) + '\\n');
          })();`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      await new Promise<void>((r) =>
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('go')) r();
        }),
      );
      const until = Date.now() + 1_500;
      while (Date.now() < until) {
        // Blocked, as rendering a card blocks it.
      }
      await new Promise((r) => child.once('exit', r));
      const times = JSON.parse(out.split('\n')[1]!) as number[];
      expect(times).toHaveLength(5);
      // Answered by the snapshot thread: a server on this thread would have taken over a second.
      for (const t of times) expect(t).toBeLessThan(500);
    } finally {
      await server.close();
    }
  });

  it('reports a taken port and does not throw', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const seen: unknown[] = [];
    try {
      const server = await startMetricsServer(metrics(), {
        host: '127.0.0.1',
        port,
        onUnavailable: (d) => seen.push(d),
      });
      expect(server).toBeUndefined();
      expect(seen).toEqual([{ host: '127.0.0.1', port, code: 'EADDRINUSE' }]);
    } finally {
      blocker.close();
    }
  });
});
