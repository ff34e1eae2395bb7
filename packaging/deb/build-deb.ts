import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { productionPackages } from './node-modules.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = join(ROOT, 'packaging', 'deb', 'files');

/** Where the package puts things. */
export const LAYOUT = {
  app: '/usr/lib/adm-kiosk',
  node: '/usr/lib/adm-kiosk/node/bin/node',
  config: '/etc/adm-kiosk/config.json',
  policy: '/etc/chromium/policies/managed/adm-kiosk.json',
  units: '/lib/systemd/system',
  udev: '/lib/udev/rules.d/60-adm-kiosk.rules',
  dataDir: '/var/lib/adm-kiosk',
  /** The browser host's fixed port on the installed kiosk: the Chromium policy allows this origin only. */
  port: 8765,
} as const;

export interface DebOptions {
  /** Default: package.json's version. */
  version?: string;
  /** Folder for the .deb; default `dist/deb/`. */
  outDir?: string;
  /** Skip `npm run build` and take `dist/` as it is (the tests build once). */
  skipBuild?: boolean;
  /** The Node runtime to ship; default the one running this script. */
  nodeBinary?: string;
  /** Lighter compression (tests). */
  fast?: boolean;
}

/**
 * Files a kiosk never runs: sources of native modules, type declarations, maps, docs and their web pages,
 * dotfiles (linter and version-control settings), Windows and musl binaries, better-sqlite3's test extension.
 */
const DROP_FILE =
  /(\.(map|d\.ts|d\.mts|d\.cts|md|markdown|html|exe|gyp|gypi|cc|cpp|c|h|hpp|tsbuildinfo|musl\.node)|^test_extension\.node)$|^\./i;

/** Folders of a package the kiosk never loads (pdfjs-dist: the kiosk uses its legacy build only). */
const DROP_DIR: Record<string, string[]> = {
  'pdfjs-dist': ['build', 'web', 'image_decoders', 'types'],
  'pdf-lib': ['dist', 'ts3.4', 'src'],
};

/** A package folder without its nested node_modules (copied as packages of their own) and without dead weight. */
function copyPackage(from: string, to: string, name: string, top = from): void {
  const native = readdirSync(top).includes('binding.gyp');
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    const rel = relative(top, src);
    const dir = statSync(src).isDirectory();
    if (entry === 'node_modules' || (!dir && DROP_FILE.test(entry))) continue;
    if (dir && DROP_DIR[name]?.includes(rel)) continue;
    // Prebuilt bindings of other platforms (serialport, usb ship them all): the package is linux amd64.
    if (dir && /^prebuilds\/[^/]+$/.test(rel) && entry !== 'linux-x64') continue;
    // A native module needs its compiled binding only (build/Release/*.node), not its C sources or objects.
    if (native && dir && ['deps', 'src'].includes(rel)) continue;
    if (native && dir && rel.startsWith('build') && rel !== 'build' && rel !== join('build', 'Release'))
      continue;
    if (dir) copyPackage(src, join(to, entry), name, top);
    // Nothing in node_modules is run as a program: plain files, not executables.
    else install(src, join(to, entry), 0o644);
  }
}

/** The package name of a `node_modules/...` path: `a` or `@scope/a`. */
function packageName(rel: string): string {
  const parts = rel
    .split('/node_modules/')
    .at(-1)!
    .replace(/^node_modules\//, '')
    .split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** ELF files lose their debug symbols (lintian: unstripped-binary-or-object). */
function stripElf(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) stripElf(path);
    else if (entry.endsWith('.node') || entry === 'node') {
      const head = readFileSync(path).subarray(0, 4);
      if (head.toString('latin1') === '\x7fELF') execFileSync('strip', ['--strip-unneeded', path]);
    }
  }
}

function dirSizeKb(dir: string): number {
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    bytes += st.isDirectory() ? dirSizeKb(path) * 1024 : st.size;
  }
  return Math.ceil(bytes / 1024);
}

function install(from: string, to: string, mode: number): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, mode);
}

/** The config an install starts with: the simulator's, on the kiosk's data folder and the fixed port. */
function installedConfig(): string {
  const sim = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8'));
  return `${JSON.stringify(
    { ...sim, dataDir: LAYOUT.dataDir, host: { kind: 'browser', port: LAYOUT.port } },
    null,
    2,
  )}\n`;
}

function control(version: string, installedKb: number): string {
  return `Package: adm-kiosk
Version: ${version}
Architecture: amd64
Maintainer: Dukcapil ADM <adm-kiosk@dukcapil.kemendagri.go.id>
Installed-Size: ${installedKb}
Depends: adduser, libc6 (>= 2.28), libstdc++6
Recommends: systemd, udev, cage, chromium, cups
Suggests: printer-driver-cups-pdf
Section: misc
Priority: optional
Homepage: https://dukcapil.kemendagri.go.id/
Description: ADM self-service kiosk (Anjungan Dukcapil Mandiri)
 The software of the civil-registration self-service kiosk: scans a signed
 print code, checks the application on the central Dukcapil API, and prints
 KTP-el and KIA cards and A4 documents. Ships its own Node runtime, the
 systemd units of the kiosk and of its screen (cage with Chromium in kiosk
 mode under managed policies) and the udev rules of its devices.
`;
}

function changelog(version: string): Buffer {
  const date = execFileSync('date', ['-R', '-u', '-d', '@0'], { encoding: 'utf8' }).trim();
  return gzipSync(
    `adm-kiosk (${version}) stable; urgency=medium\n\n  * Release ${version}.\n\n -- Dukcapil ADM <adm-kiosk@dukcapil.kemendagri.go.id>  ${date}\n`,
    { level: 9 },
  );
}

/**
 * Builds `adm-kiosk_<version>_amd64.deb` with dpkg-deb from the built kiosk (`dist/app`, `dist/ui`), the
 * production packages of the installed tree, the Node runtime, the contract copy and config data, and the
 * system files (units, udev rules, conffile, Chromium policy). Returns the .deb's path.
 */
export function buildDeb(options: DebOptions = {}): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const version = options.version ?? pkg.version;
  const outDir = resolve(options.outDir ?? join(ROOT, 'dist', 'deb'));
  if (!options.skipBuild) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });

  const stage = mkdtempSync(join(tmpdir(), 'adm-deb-'));
  try {
    const app = join(stage, LAYOUT.app);
    mkdirSync(app, { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    cpSync(join(ROOT, 'dist', 'app'), join(app, 'dist', 'app'), {
      recursive: true,
      filter: (src) => !src.endsWith('.map'),
    });
    cpSync(join(ROOT, 'dist', 'ui'), join(app, 'dist', 'ui'), { recursive: true });
    cpSync(join(ROOT, 'contract'), join(app, 'contract'), { recursive: true });
    cpSync(join(ROOT, 'config'), join(app, 'config'), {
      recursive: true,
      filter: (src) => statSync(src).isDirectory() || !/\.tsx?$/.test(src),
    });
    for (const rel of productionPackages(ROOT))
      copyPackage(join(ROOT, rel), join(app, rel), packageName(rel));
    install(options.nodeBinary ?? process.execPath, join(stage, LAYOUT.node), 0o755);
    stripElf(app);
    install(join(FILES, 'display'), join(app, 'session', 'display'), 0o755);
    install(join(FILES, 'adm-kiosk'), join(stage, 'usr', 'bin', 'adm-kiosk'), 0o755);
    install(join(FILES, 'adm-kiosk.service'), join(stage, LAYOUT.units, 'adm-kiosk.service'), 0o644);
    install(
      join(FILES, 'adm-kiosk-display.service'),
      join(stage, LAYOUT.units, 'adm-kiosk-display.service'),
      0o644,
    );
    install(join(FILES, '60-adm-kiosk.rules'), join(stage, LAYOUT.udev), 0o644);
    install(join(FILES, 'chromium-policy.json'), join(stage, LAYOUT.policy), 0o644);
    mkdirSync(dirname(join(stage, LAYOUT.config)), { recursive: true });
    writeFileSync(join(stage, LAYOUT.config), installedConfig(), { mode: 0o600 });

    const doc = join(stage, 'usr', 'share', 'doc', 'adm-kiosk');
    install(join(FILES, 'copyright'), join(doc, 'copyright'), 0o644);
    // A native package (no Debian revision) names its changelog changelog.gz.
    writeFileSync(join(doc, 'changelog.gz'), changelog(version), { mode: 0o644 });
    install(
      join(FILES, 'lintian-overrides'),
      join(stage, 'usr', 'share', 'lintian', 'overrides', 'adm-kiosk'),
      0o644,
    );

    const installedKb = dirSizeKb(stage);
    const debian = join(stage, 'DEBIAN');
    mkdirSync(debian);
    writeFileSync(join(debian, 'control'), control(version, installedKb));
    writeFileSync(join(debian, 'conffiles'), `${LAYOUT.config}\n${LAYOUT.policy}\n`);
    for (const script of ['postinst', 'prerm', 'postrm'])
      install(join(FILES, script), join(debian, script), 0o755);
    // Everything root-owned and not group-writable, whatever this machine's umask made of the copies.
    execFileSync('chmod', ['-R', 'go-w', stage]);

    mkdirSync(outDir, { recursive: true });
    const deb = join(outDir, `adm-kiosk_${version}_amd64.deb`);
    // gzip: xz would take minutes for the runtime and the native modules on a loaded machine.
    const level = options.fast ? '-z1' : '-z6';
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', level, '--build', stage, deb], {
      stdio: 'pipe',
    });
    return deb;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * The same package under another version (an upgrade to test, a rebuild for the repository): unpacked,
 * its control file given the new version, packed again.
 */
export function repackDeb(deb: string, version: string, outDir: string): string {
  const stage = mkdtempSync(join(tmpdir(), 'adm-deb-'));
  try {
    execFileSync('dpkg-deb', ['-R', deb, stage]);
    const controlFile = join(stage, 'DEBIAN', 'control');
    writeFileSync(
      controlFile,
      readFileSync(controlFile, 'utf8').replace(/^Version: .*$/m, `Version: ${version}`),
    );
    writeFileSync(join(stage, 'usr', 'share', 'doc', 'adm-kiosk', 'changelog.gz'), changelog(version));
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `adm-kiosk_${version}_amd64.deb`);
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z1', '--build', stage, out], {
      stdio: 'pipe',
    });
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const deb = buildDeb({
    ...(arg('--version') ? { version: arg('--version')! } : {}),
    ...(arg('--out') ? { outDir: arg('--out')! } : {}),
    skipBuild: process.argv.includes('--skip-build'),
  });
  console.log(`package:deb: ${relative(process.cwd(), deb)}`);
}
