import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSWER_NICE } from '../../kiosk/metrics/server.ts';
import { AGENT_UNIT, agentNice, FLEET, fleetYaml, missingPrograms, PROGRAMS, run } from './programs.ts';

/* Every file of fleet/ checked by the program that loads it. */
const skip = missingPrograms();
if (skip) console.warn(`fleet configs: ${skip}`);

const AM = join(FLEET, 'alertmanager', 'alertmanager.yml');

describe.skipIf(skip)('the fleet configs, as the real programs read them', () => {
  it('promtool: the rules are clean and their unit tests pass (every rule firing and not firing)', () => {
    const check = run(PROGRAMS.promtool, ['check', 'rules', 'prometheus/adm-rules.yml']);
    expect(check.out).toContain('SUCCESS: 14 rules found');
    expect(check.out).not.toMatch(/WARNING|FAILED/);
    const test = run(PROGRAMS.promtool, ['test', 'rules', 'adm-rules.test.yml'], join(FLEET, 'prometheus'));
    expect(test.out, test.out).toContain('SUCCESS');
    expect(test.code).toBe(0);
  });

  it('promtool: the central, the regional and the agent configs load', () => {
    for (const file of ['central.yml', 'region-scrape.yml']) {
      const r = run(PROGRAMS.promtool, ['check', 'config', file], join(FLEET, 'prometheus'));
      expect(r.code, r.out).toBe(0);
    }
    const agent = run(
      PROGRAMS.promtool,
      ['check', 'config', '--agent', 'kiosk-agent.yml'],
      join(FLEET, 'prometheus'),
    );
    expect(agent.code, agent.out).toBe(0);
  });

  it("systemd: the agent's unit is clean and runs the agent config where it is installed", () => {
    const verify = spawnSync('systemd-analyze', ['verify', AGENT_UNIT], { encoding: 'utf8' });
    expect(verify.error, 'systemd-analyze (test/setup-system.sh installs systemd)').toBeUndefined();
    expect(verify.stderr.split('\n').filter((l) => /adm-kiosk-agent/.test(l))).toEqual([]);
    const unit = readFileSync(AGENT_UNIT, 'utf8');
    expect(unit).toContain('--config.file=/etc/adm-kiosk/kiosk-agent.yml');
    expect(unit).toContain('--enable-feature=agent');
    // The token where the config looks for it, and external labels from the environment file.
    const agent = fleetYaml<{ remote_write: Array<{ authorization: { credentials_file: string } }> }>(
      'prometheus/kiosk-agent.yml',
    );
    const [name, from] = /^LoadCredential=([^:]+):(.+)$/m.exec(unit)!.slice(1);
    expect(agent.remote_write[0]!.authorization.credentials_file).toBe(
      `/run/credentials/adm-kiosk-agent.service/${name}`,
    );
    expect(from).toBe('/etc/adm-kiosk/remote-write-token');
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/adm-kiosk\/agent\.env$/m);
    // Above the kiosk's session thread, not above its answering thread (ANSWER_NICE).
    expect(agentNice()).toBeLessThan(0);
    expect(agentNice()).toBeGreaterThan(ANSWER_NICE);
  });

  it('amtool: the Alertmanager config is clean', () => {
    const r = run(PROGRAMS.amtool, ['check-config', AM]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('SUCCESS');
  });

  it.each([
    [['team=central', 'alertname=AdmRegionalOutage', 'region=3574', 'severity=page'], 'central-team'],
    [['team=central', 'alertname=AdmOutboxStuck', 'region=3578', 'severity=page'], 'central-team'],
    [
      ['team=technicians', 'alertname=AdmDeviceDown', 'region=3574', 'severity=page'],
      'technicians-3574-page',
    ],
    [
      ['team=technicians', 'alertname=AdmHeadCleaningOverdue', 'region=3574', 'severity=ticket'],
      'technicians-3574-ticket',
    ],
    [['team=technicians', 'alertname=AdmSupplyLow', 'region=3578', 'severity=page'], 'technicians-3578-page'],
    [
      ['team=technicians', 'alertname=AdmSupplyRunningOut', 'region=3578', 'severity=ticket'],
      'technicians-3578-ticket',
    ],
    [
      ['team=technicians', 'alertname=AdmKioskSilent', 'region=3201', 'severity=page'],
      'technicians-province',
    ],
    [['alertname=Watchdog'], 'central-team'],
  ])('amtool: %j goes to %s', (labels, receiver) => {
    const r = run(PROGRAMS.amtool, [
      'config',
      'routes',
      'test',
      `--config.file=${AM}`,
      `--verify.receivers=${receiver}`,
      ...labels,
    ]);
    expect(r.out.trim().split('\n')[0]).toBe(receiver);
    expect(r.code, r.out).toBe(0);
  });
});
