import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../kiosk/paths.ts';
import { buildDeb, LAYOUT, repackDeb } from '../../packaging/deb/build-deb.ts';
import { buildRepo, REPO_COMPONENT, REPO_SUITE } from '../../packaging/repo/build-repo.ts';
import { ensureUiBuilt } from '../support/kiosk.ts';

const TOOLS = [
  'dpkg-deb',
  'dpkg',
  'lintian',
  'systemd-analyze',
  'strip',
  'adduser',
  'reprepro',
  'gpg',
  'apt-get',
];
const missingTools = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format, not a template
const installed = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'adm-kiosk'], { encoding: 'utf8' }).stdout;
const skipReason =
  process.getuid?.() !== 0
    ? 'the package test installs a .deb: run it as root'
    : missingTools.length > 0
      ? `the package test needs ${missingTools.join(', ')} (test/setup-system.sh installs them)`
      : installed.includes('installed')
        ? 'adm-kiosk is installed on this machine: the package test will not touch it'
        : undefined;
if (skipReason) console.warn(`test/packaging/deb.test.ts skipped: ${skipReason}`);

/** What an install touches, to see the machine left as it was found. */
function machineState(): Record<string, boolean> {
  const paths = [
    LAYOUT.app,
    '/etc/adm-kiosk',
    LAYOUT.dataDir,
    LAYOUT.policy,
    '/etc/chromium/policies/managed',
  ];
  const state: Record<string, boolean> = Object.fromEntries(paths.map((p) => [p, existsSync(p)]));
  state.user = spawnSync('getent', ['passwd', 'adm-kiosk']).status === 0;
  state.group = spawnSync('getent', ['group', 'adm-kiosk']).status === 0;
  state.package = spawnSync('dpkg-query', ['-W', 'adm-kiosk']).status === 0;
  return state;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: 'pipe' });

describe.skipIf(skipReason !== undefined)('the Debian package (as root)', () => {
  let work: string;
  let deb: string;
  let before: Record<string, boolean>;
  let lintian: Promise<{ code: number; out: string }>;

  beforeAll(() => {
    before = machineState();
    work = mkdtempSync(join(tmpdir(), 'adm-deb-test-'));
    chmodSync(work, 0o755);
    // `npm test` builds first; a lone run builds what is missing (never over a build in use).
    ensureUiBuilt();
    if (!existsSync(join(ROOT, 'dist', 'app', 'kiosk', 'main.js')))
      run(process.execPath, [join(ROOT, 'scripts', 'build-kiosk.mjs')]);
    deb = buildDeb({ version: '0.1.0', outDir: work, skipBuild: true, fast: true });
    // lintian is the slowest step: it runs while the package is installed and tried.
    lintian = new Promise((resolve) =>
      execFile('lintian', ['--no-tag-display-limit', deb], { maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await lintian?.catch(() => undefined);
    if (machineState().package) spawnSync('dpkg', ['--purge', 'adm-kiosk']);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('installs, runs as its user, upgrades from the signed apt repository keeping config and ledger, purges to the machine as found', async () => {
    run('dpkg', ['-i', deb]);
    const uid = Number(run('id', ['-u', 'adm-kiosk']).trim());
    const gid = Number(run('id', ['-g', 'adm-kiosk']).trim());
    const config = statSync(LAYOUT.config);
    expect([config.uid, config.mode & 0o777]).toEqual([uid, 0o600]);
    expect(statSync(LAYOUT.dataDir).uid).toBe(uid);
    expect(readFileSync('/var/lib/dpkg/info/adm-kiosk.conffiles', 'utf8')).toContain(LAYOUT.config);

    // The units as installed (their programs exist now): no complaint about them.
    const verify = spawnSync(
      'systemd-analyze',
      ['verify', `${LAYOUT.units}/adm-kiosk.service`, `${LAYOUT.units}/adm-kiosk-display.service`],
      { encoding: 'utf8' },
    );
    expect(verify.stderr.split('\n').filter((l) => /adm-kiosk/.test(l))).toEqual([]);
    const unit = readFileSync(`${LAYOUT.units}/adm-kiosk.service`, 'utf8');
    for (const line of [
      'User=adm-kiosk',
      'ProtectSystem=strict',
      'ReadWritePaths=/var/lib/adm-kiosk',
      'PrivateTmp=yes',
      'NoNewPrivileges=yes',
      'ProtectHome=yes',
      'CapabilityBoundingSet=\n',
      'SystemCallFilter=@system-service',
      'Restart=on-failure',
      'StartLimitBurst=',
      'WatchdogSec=',
      'RestrictAddressFamilies=',
    ])
      expect(unit).toContain(line);
    expect(readFileSync(`${LAYOUT.units}/adm-kiosk-display.service`, 'utf8')).toMatch(/Restart=always/);

    const policy = JSON.parse(readFileSync(LAYOUT.policy, 'utf8'));
    const origin = `http://127.0.0.1:${LAYOUT.port}`;
    expect(policy).toMatchObject({
      DeveloperToolsAvailability: 2,
      DownloadRestrictions: 3,
      PrintingEnabled: false,
      URLBlocklist: ['*'],
      URLAllowlist: [origin],
      ExtensionInstallBlocklist: ['*'],
      PasswordManagerEnabled: false,
      TranslateEnabled: false,
      AutofillAddressEnabled: false,
      AutofillCreditCardEnabled: false,
      IncognitoModeAvailability: 1,
      VideoCaptureAllowed: false,
      VideoCaptureAllowedUrls: [origin],
    });
    const installedConfig = JSON.parse(readFileSync(LAYOUT.config, 'utf8'));
    expect(installedConfig.host).toEqual({ kind: 'browser', port: LAYOUT.port });

    // The installed kiosk, started by hand as its user with the simulator's config on its data folder.
    const simConfig = join(work, 'sim.json');
    writeFileSync(
      simConfig,
      JSON.stringify({ ...installedConfig, centralApiSim: { port: 0 }, host: { kind: 'browser', port: 0 } }),
    );
    chmodSync(simConfig, 0o644);
    await runInstalledKiosk(simConfig, uid, gid);
    // Read as the kiosk's user with the installed runtime, so no file of the store ends up root's.
    const ledgerRows = () =>
      Number(
        execFileSync(
          LAYOUT.node,
          [
            '-e',
            `const db = require('${LAYOUT.app}/node_modules/better-sqlite3')('${LAYOUT.dataDir}/kiosk.db');
             console.log(db.prepare('SELECT count(*) AS n FROM ledger_entries').get().n); db.close();`,
          ],
          { uid, gid, encoding: 'utf8' },
        ),
      );
    const rows = ledgerRows();
    expect(rows).toBeGreaterThan(0);

    // The operator edits the config; an upgrade from the signed repository keeps it, and the ledger.
    writeFileSync(LAYOUT.config, JSON.stringify({ ...installedConfig, kioskId: 'ADM-3574-EDITED' }, null, 2));
    const next = repackDeb(deb, '0.1.1', join(work, 'next'));
    aptInstallFromRepo(next, work);
    expect(run('dpkg-query', ['-W', '--showformat', '$' + '{Version}', 'adm-kiosk'])).toBe('0.1.1');
    expect(JSON.parse(readFileSync(LAYOUT.config, 'utf8')).kioskId).toBe('ADM-3574-EDITED');
    expect(ledgerRows()).toBe(rows);
    await runInstalledKiosk(simConfig, uid, gid);

    run('dpkg', ['--purge', 'adm-kiosk']);
    expect(machineState()).toEqual(before);
  }, 300_000);

  it('passes lintian with zero errors', async () => {
    const result = await lintian;
    const errors = result.out.split('\n').filter((line) => line.startsWith('E: '));
    expect(errors).toEqual([]);
  }, 240_000);
});

/**
 * Publishes `deb` in a reprepro repository signed with a test key and installs it with apt, as a kiosk
 * pointed at the repository would (`signed-by=` the repository's key). apt's sources, lists and cache are
 * folders of the test: the machine's apt configuration is not touched.
 */
function aptInstallFromRepo(deb: string, work: string): void {
  const repo = join(work, 'repo');
  const { keyFile } = buildRepo({ debs: [deb], outDir: repo, gnupgHome: join(work, 'gnupg') });
  const apt = join(work, 'apt');
  for (const sub of ['lists/partial', 'cache/archives/partial'])
    mkdirSync(join(apt, sub), { recursive: true });
  writeFileSync(
    join(apt, 'sources.list'),
    `deb [signed-by=${keyFile}] file:${repo} ${REPO_SUITE} ${REPO_COMPONENT}\n`,
  );
  const options = [
    `-o=Dir::Etc::SourceList=${join(apt, 'sources.list')}`,
    '-o=Dir::Etc::SourceParts=/dev/null',
    `-o=Dir::State::Lists=${join(apt, 'lists')}`,
    `-o=Dir::Cache=${join(apt, 'cache')}`,
    '-o=APT::Sandbox::User=root',
    '-o=Dpkg::Options::=--force-confold',
  ];
  const update = execFileSync('apt-get', [...options, 'update'], { encoding: 'utf8', stdio: 'pipe' });
  expect(update).toMatch(/InRelease/);
  execFileSync('apt-get', [...options, 'install', '-y', '--no-install-recommends', 'adm-kiosk'], {
    stdio: 'pipe',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Starts `/usr/bin/adm-kiosk` as the kiosk's user, waits for KIOSK READY, stops it with SIGTERM (exit 0). */
async function runInstalledKiosk(config: string, uid: number, gid: number): Promise<void> {
  const child: ChildProcess = spawn('/usr/bin/adm-kiosk', ['--config', config, '--host', 'browser'], {
    uid,
    gid,
    cwd: '/',
    env: { PATH: '/usr/bin:/bin' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no KIOSK READY within 30 s: ${stderr}`)), 30_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (/KIOSK READY http:\/\/127\.0\.0\.1:\d+\/\?s=/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the installed kiosk exited with ${code}: ${stderr}`));
    });
  }).catch((e: unknown) => {
    child.kill('SIGKILL');
    throw e;
  });
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}
