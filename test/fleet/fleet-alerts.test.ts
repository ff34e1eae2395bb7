import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import { startKiosk, type TestKiosk } from '../support/kiosk.ts';
import { KioskProcess } from '../support/kiosk-process.ts';
import {
  fleetYaml,
  freePort,
  missingPrograms,
  type Notification,
  PROGRAMS,
  Program,
  SHORT_FOR_MS,
  shortRules,
  startWebhookReceiver,
  writeYaml,
} from './programs.ts';

/*
 * The fleet as operators run it, on loopback: three kiosks (two in this process, one as its own process
 * so it can be killed), a Prometheus agent beside each (kiosk-agent.yml) pushing by remote write to the
 * central Prometheus (central.yml, with a test copy of the rules in seconds), Alertmanager
 * (alertmanager.yml) and a webhook receiver in place of the operators' relay.
 */
const skip = missingPrograms();
if (skip) console.warn(`fleet-alerts: ${skip}`);

const REGION = '3574';
const APPLICATION = '3574-KIA-2611-000123';
const WAIT = { timeout: 40_000, interval: 250 };

let dir: string;
let central: CentralApiSimulator;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
const programs: Program[] = [];
let k1: TestKiosk;
let k2: TestKiosk;
let k3: KioskProcess;
let k3Dir: string;
/** KioskProcess.kill waits for an exit: a second kill of a killed kiosk would wait forever. */
let k3Running = false;

async function agentFor(kioskId: string, metricsPort: number, centralPort: number): Promise<Program> {
  const port = await freePort();
  const cfg = fleetYaml<{
    global: Record<string, unknown>;
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    remote_write: Array<Record<string, unknown>>;
  }>('prometheus/kiosk-agent.yml');
  cfg.global.scrape_interval = '1s';
  cfg.global.scrape_timeout = '1s';
  cfg.scrape_configs[0]!.static_configs[0]!.targets = [`127.0.0.1:${metricsPort}`];
  cfg.scrape_configs[1]!.static_configs[0]!.targets = [`127.0.0.1:${port}`];
  const rw = cfg.remote_write[0]!;
  rw.url = `http://127.0.0.1:${centralPort}/api/v1/write`;
  delete rw.authorization;
  rw.queue_config = { ...(rw.queue_config as object), batch_send_deadline: '500ms' };
  const path = writeYaml(join(dir, kioskId), 'agent.yml', cfg);
  const agent = Program.start(
    `agent ${kioskId}`,
    PROGRAMS.prometheus,
    [
      '--enable-feature=agent',
      '--enable-feature=expand-external-labels',
      `--config.file=${path}`,
      `--storage.agent.path=${join(dir, kioskId, 'wal')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { ADM_KIOSK_ID: kioskId, ADM_REGION: REGION },
  );
  programs.push(agent);
  await agent.ready(`http://127.0.0.1:${port}/-/ready`);
  return agent;
}

/** Every alert of `name` a receiver got, with its status, where `labels` match. */
function notified(name: string, labels: Record<string, string> = {}) {
  const out: Array<{ receiver: string; status: string; labels: Record<string, string> }> = [];
  for (const { body } of hooks.received as Array<{ body: Notification }>)
    for (const a of body.alerts)
      if (a.labels.alertname === name && Object.entries(labels).every(([k, v]) => a.labels[k] === v))
        out.push({ receiver: body.receiver, status: a.status, labels: a.labels });
  return out;
}

const statuses = (name: string, labels: Record<string, string> = {}) =>
  [...new Set(notified(name, labels).map((n) => `${n.receiver}:${n.status}`))].sort();

describe.skipIf(skip)('alerts from three kiosks reach the right receivers and resolve', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adm-fleet-'));
    hooks = await startWebhookReceiver();
    central = await CentralApiSimulator.start({ port: 0 });

    const amPort = await freePort();
    const am = fleetYaml<{
      route: Record<string, unknown>;
      receivers: Array<{ webhook_configs: Array<{ url: string }> }>;
    }>('alertmanager/alertmanager.yml');
    Object.assign(am.route, { group_wait: '1s', group_interval: '1s' });
    const shorten = (routes: Array<Record<string, unknown>> | undefined) => {
      for (const r of routes ?? []) {
        if (r.group_wait) r.group_wait = '1s';
        shorten(r.routes as Array<Record<string, unknown>> | undefined);
      }
    };
    shorten(am.route.routes as Array<Record<string, unknown>>);
    for (const r of am.receivers)
      for (const w of r.webhook_configs) w.url = w.url.replace('127.0.0.1:9095', `127.0.0.1:${hooks.port}`);
    const alertmanager = Program.start('alertmanager', PROGRAMS.alertmanager, [
      `--config.file=${writeYaml(join(dir, 'am'), 'alertmanager.yml', am)}`,
      `--storage.path=${join(dir, 'am', 'data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    programs.push(alertmanager);

    const centralPort = await freePort();
    writeYaml(join(dir, 'central'), 'adm-rules.yml', shortRules());
    const prom = fleetYaml<{
      global: Record<string, unknown>;
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    }>('prometheus/central.yml');
    prom.global.evaluation_interval = '1s';
    prom.alerting.alertmanagers[0]!.static_configs[0]!.targets = [`127.0.0.1:${amPort}`];
    const prometheus = Program.start('prometheus', PROGRAMS.prometheus, [
      `--config.file=${writeYaml(join(dir, 'central'), 'central.yml', prom)}`,
      `--storage.tsdb.path=${join(dir, 'central', 'data')}`,
      `--web.listen-address=127.0.0.1:${centralPort}`,
      '--web.enable-remote-write-receiver',
      '--rules.alert.resend-delay=1s',
    ]);
    programs.push(prometheus);
    await Promise.all([
      alertmanager.ready(`http://127.0.0.1:${amPort}/-/ready`),
      prometheus.ready(`http://127.0.0.1:${centralPort}/-/ready`),
    ]);

    const metricsPort = () => ({ metrics: { host: '127.0.0.1', port: 0 } });
    k1 = await startKiosk({ central, config: { kioskId: 'ADM-3574-MPP-01', ...metricsPort() } });
    // Ten blank cards: below the floor from the start.
    k2 = await startKiosk({
      central,
      config: { kioskId: 'ADM-3574-MPP-02', ...metricsPort() },
      devices: {
        cardPrinter: { driver: 'sim', timeFactor: 0.01, blankCards: 10 },
        paperPrinter: { driver: 'sim', timeFactor: 0.01, paperSheets: 500 },
        scanner: { driver: 'sim' },
      },
    });
    k3Dir = mkdtempSync(join(tmpdir(), 'adm-fleet-k3-'));
    const k3Metrics = await freePort();
    k3 = new KioskProcess(
      KioskProcess.writeConfig(k3Dir, {
        kioskId: 'ADM-3574-MPP-03',
        regionCode: REGION,
        centralApi: { baseUrl: central.baseUrl, token: 'sim-token', timeoutMs: 2000 },
        qr: k1.config.qr,
        devices: {
          cardPrinter: { driver: 'sim', timeFactor: 0.01, blankCards: 100 },
          paperPrinter: { driver: 'sim', timeFactor: 0.01, paperSheets: 500 },
          scanner: { driver: 'sim' },
        },
        dataDir: join(k3Dir, 'data'),
        host: { kind: 'browser', port: 0 },
        metrics: { host: '127.0.0.1', port: k3Metrics },
      }),
    );
    await k3.start();
    k3Running = true;
    const port = (url: string | undefined) => Number(new URL(url!).port);
    await Promise.all([
      agentFor('ADM-3574-MPP-01', port(k1.app.metricsUrl), centralPort),
      agentFor('ADM-3574-MPP-02', port(k2.app.metricsUrl), centralPort),
      agentFor('ADM-3574-MPP-03', k3Metrics, centralPort),
    ]);
  }, 90_000);

  afterAll(async () => {
    if (k3Running) await k3.kill('SIGTERM');
    await k1?.stop();
    await k2?.stop();
    for (const p of programs.reverse()) await p.stop();
    await central?.close();
    await hooks?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (k3Dir) rmSync(k3Dir, { recursive: true, force: true });
  });

  it('supplies below the floor page the region technicians', async () => {
    await expect
      .poll(() => statuses('AdmSupplyLow', { kiosk_id: 'ADM-3574-MPP-02', supply: 'blank_cards' }), WAIT)
      .toEqual(['technicians-3574-page:firing']);
  });

  it('an applicant calling staff pages the region technicians; the technician clearing the call resolves it', async () => {
    const waiting = () => ({ kiosk_id: 'ADM-3574-MPP-01' });
    const requested = async () =>
      /^adm_assistance_requested (\d)$/m.exec(await (await fetch(k1.app.metricsUrl!)).text())?.[1];
    expect(await requested()).toBe('0');
    const pressed = Date.now();
    // What the UI's call-staff button sends (kiosk/hosts/intent-schema.ts).
    k1.app.core.send({ type: 'call-staff' });
    await expect.poll(requested, WAIT).toBe('1');
    await expect
      .poll(() => statuses('AdmApplicantWaitingForStaff', waiting()), WAIT)
      .toEqual(['technicians-3574-page:firing']);
    // Not before the rule's `for:` (the test copy's, shortRules).
    expect(Date.now() - pressed).toBeGreaterThanOrEqual(SHORT_FOR_MS);
    // The technician came: the call is cleared as the maintenance menu clears it.
    k1.app.core.clearAssistance();
    await expect.poll(requested, WAIT).toBe('0');
    await expect
      .poll(() => statuses('AdmApplicantWaitingForStaff', waiting()), WAIT)
      .toEqual(['technicians-3574-page:firing', 'technicians-3574-page:resolved']);
    expect(
      notified('AdmApplicantWaitingForStaff').every((n) => n.labels.kiosk_id === 'ADM-3574-MPP-01'),
    ).toBe(true);
  }, 90_000);

  it('the central API down at all three: one regional alert to the central team, no per-kiosk ones', async () => {
    central.setFault('lookup', { kind: 'status', status: 503 });
    const code = await central.mintPrintCode(APPLICATION);
    k1.scan(code);
    k2.scan(code);
    k3.scan(code);
    await expect
      .poll(() => statuses('AdmRegionalOutage', { region: REGION }), WAIT)
      .toEqual(['central-team:firing']);
    central.clearFaults();
    for (const k of [k1, k2]) k.app.core.send({ type: 'home' });
    await k3.send({ type: 'home' });
    await expect
      .poll(() => statuses('AdmRegionalOutage', { region: REGION }), WAIT)
      .toEqual(['central-team:firing', 'central-team:resolved']);
    // Inhibited by the regional alert while both were active.
    expect(notified('AdmKioskServiceUnavailable').filter((n) => n.status === 'firing')).toEqual([]);
  }, 90_000);

  it('an empty feeder and a jammed printer page; the jam cleared resolves; a killed kiosk is silent', async () => {
    k1.app.cardSim!.injectFault('FEEDER_EMPTY');
    k2.app.cardSim!.injectFault('CARD_JAM');
    await Promise.all([k1.app.core.refreshDevices(), k2.app.core.refreshDevices()]);
    k3Running = false;
    await k3.kill('SIGKILL');
    await expect
      .poll(() => statuses('AdmDeviceDown', { kiosk_id: 'ADM-3574-MPP-01', device: 'card_printer' }), WAIT)
      .toEqual(['technicians-3574-page:firing']);
    await expect
      .poll(() => statuses('AdmDeviceDown', { kiosk_id: 'ADM-3574-MPP-02', device: 'card_printer' }), WAIT)
      .toEqual(['technicians-3574-page:firing']);
    await expect
      .poll(() => statuses('AdmKioskSilent', { kiosk_id: 'ADM-3574-MPP-03' }), WAIT)
      .toEqual(['technicians-3574-page:firing']);

    k2.app.cardSim!.clearCause();
    await k2.app.cardPrinter!.clearFault();
    // The technician also loads cards: the ledger's count is the supply.
    k2.app.ledger.load(200, 'T-3574-01');
    await k2.app.core.refreshDevices();
    k2.app.core.heartbeat(true);
    await expect
      .poll(() => statuses('AdmDeviceDown', { kiosk_id: 'ADM-3574-MPP-02', device: 'card_printer' }), WAIT)
      .toEqual(['technicians-3574-page:firing', 'technicians-3574-page:resolved']);
    await expect
      .poll(() => statuses('AdmSupplyLow', { kiosk_id: 'ADM-3574-MPP-02', supply: 'blank_cards' }), WAIT)
      .toEqual(['technicians-3574-page:firing', 'technicians-3574-page:resolved']);
    // The feeder is still empty at K1: nothing resolved there.
    expect(statuses('AdmDeviceDown', { kiosk_id: 'ADM-3574-MPP-01', device: 'card_printer' })).toEqual([
      'technicians-3574-page:firing',
    ]);
  }, 90_000);
});
