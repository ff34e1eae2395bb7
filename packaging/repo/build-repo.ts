import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The suite and component kiosks point apt at. */
export const REPO_SUITE = 'bookworm';
export const REPO_COMPONENT = 'main';

export interface RepoOptions {
  /** The .deb files to publish. */
  debs: string[];
  /** The repository's folder (reprepro's base dir). */
  outDir: string;
  /**
   * The GnuPG home holding the signing key. With no key in it, a test key (ed25519, no passphrase) is made
   * there: fine for tests, never for kiosks in the field (bring your own key, see the README).
   */
  gnupgHome: string;
}

const gpg = (home: string, args: string[]) =>
  execFileSync('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** The fingerprint of the first secret key in `home`, making a test key when there is none. */
function signingKey(home: string): string {
  mkdirSync(home, { recursive: true });
  chmodSync(home, 0o700);
  const list = () => gpg(home, ['--with-colons', '--list-secret-keys']);
  if (!/^fpr:/m.test(list())) {
    gpg(home, [
      '--passphrase',
      '',
      '--quick-gen-key',
      'ADM kiosk test repository <adm-kiosk@localhost>',
      'ed25519',
      'sign',
      '0',
    ]);
  }
  return /^fpr:+([0-9A-F]+):/m.exec(list())![1]!;
}

/**
 * A signed apt repository built with reprepro: `dists/bookworm/{InRelease,Release.gpg}` signed with the
 * key in `gnupgHome`, the packages in `pool/`, and the public key as `adm-kiosk-archive.gpg` for kiosks'
 * `signed-by=`. Returns the key file's path.
 */
export function buildRepo(options: RepoOptions): { keyFile: string; fingerprint: string } {
  const base = resolve(options.outDir);
  const fingerprint = signingKey(options.gnupgHome);
  mkdirSync(join(base, 'conf'), { recursive: true });
  writeFileSync(
    join(base, 'conf', 'distributions'),
    `Origin: ADM kiosk
Label: ADM kiosk
Suite: stable
Codename: ${REPO_SUITE}
Architectures: amd64
Components: ${REPO_COMPONENT}
Description: ADM kiosk software
SignWith: ${fingerprint}
`,
  );
  for (const deb of options.debs) {
    execFileSync('reprepro', ['--basedir', base, '--silent', 'includedeb', REPO_SUITE, deb], {
      env: { ...process.env, GNUPGHOME: options.gnupgHome },
      stdio: 'pipe',
    });
  }
  const keyFile = join(base, 'adm-kiosk-archive.gpg');
  execFileSync('gpg', [
    '--homedir',
    options.gnupgHome,
    '--batch',
    '--yes',
    '--export',
    '--output',
    keyFile,
    fingerprint,
  ]);
  // Signing started a gpg-agent for this home: it ends with the build, leaving nothing running.
  execFileSync('gpgconf', ['--homedir', options.gnupgHome, '--kill', 'all'], { stdio: 'ignore' });
  return { keyFile, fingerprint };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const debDir = join(root, 'dist', 'deb');
  const debs = existsSync(debDir) ? readdirSync(debDir).filter((f) => f.endsWith('.deb')) : [];
  if (debs.length === 0) {
    console.error('package:repo: no .deb in dist/deb (run npm run package:deb first)');
    process.exit(1);
  }
  const home = process.env.ADM_REPO_GNUPGHOME ?? join(root, 'dist', 'repo-gnupg');
  const { keyFile, fingerprint } = buildRepo({
    debs: debs.map((f) => join(debDir, f)),
    outDir: join(root, 'dist', 'repo'),
    gnupgHome: home,
  });
  console.log(`package:repo: dist/repo signed with ${fingerprint}; public key ${keyFile}`);
}
