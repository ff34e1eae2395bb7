import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../kiosk/paths.ts';
import { DATA_DIR_LOCKED_EXIT_CODE } from '../../kiosk/store/data-dir-lock.ts';
import { KioskProcess } from '../support/kiosk-process.ts';
import { makeKkPdf } from '../support/kk-pdf.ts';

// The compiled kiosk, built by the project's own build script into a folder of its own (inside the project,
// so the kiosk finds its root by walking up as it does from dist/app).
const OUT = join(ROOT, 'dist', `.test-app-${process.pid}`);
const MAIN = join(OUT, 'kiosk', 'main.js');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Dependencies the compiled kiosk does not import yet: the core is being wired to use them. */
const AWAITING_WIRING = new Set<string>();

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-kiosk.mjs'), '--out', OUT], { stdio: 'pipe' });
}, 120_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

/** The packages the compiled kiosk loads: every bare specifier of an import, import() or require. */
function packagesImported(): Set<string> {
  const found = new Set<string>();
  const builtins = new Set(builtinModules);
  for (const file of jsFiles(OUT)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:(?:^|[\s}*])from\s+|\bimport\(\s*|\brequire(?:\.resolve)?\(\s*)['"]([^'"./][^'"]*)['"]/gm,
    )) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return found;
}

describe('the kiosk as built code', () => {
  it('compiles both entries (the command line and the Electron main) to JavaScript', () => {
    expect(existsSync(MAIN)).toBe(true);
    expect(existsSync(join(OUT, 'kiosk', 'hosts', 'electron', 'entry.js'))).toBe(true);
    expect(pkg.main).toBe('dist/app/kiosk/hosts/electron/entry.js');
    // Every relative import names a .js file: nothing is left for a TypeScript loader.
    for (const file of jsFiles(OUT)) expect(readFileSync(file, 'utf8')).not.toMatch(/from '\.[^']*\.tsx?'/);
  });

  it('draws the A4 preview in its worker thread: the worker entry, which nothing imports, is compiled too', async () => {
    const dir = join(OUT, 'drivers', 'paper-printer');
    expect(existsSync(join(dir, 'preview-worker.js'))).toBe(true);
    const preview = (await import(
      /* @vite-ignore */ pathToFileURL(join(dir, 'preview.js')).href
    )) as typeof import('../../drivers/paper-printer/preview.ts');
    try {
      const png = await preview.renderPdfFirstPage(await makeKkPdf());
      expect(
        Buffer.from(png ?? [])
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    } finally {
      await preview.closePreviewWorker();
    }
  }, 60_000);

  it('loads at run time only packages listed in dependencies; build and test tools are devDependencies', () => {
    const imported = packagesImported();
    expect(imported.size).toBeGreaterThan(5);
    // Electron is the runtime of its own host, not a package the kiosk ships (electron-builder wants it there).
    const missing = [...imported].filter((p) => !(p in pkg.dependencies) && p !== 'electron');
    expect(missing).toEqual([]);
    const unused = Object.keys(pkg.dependencies).filter((p) => !imported.has(p) && !AWAITING_WIRING.has(p));
    expect(unused).toEqual([]);
    for (const tool of ['tsx', 'esbuild', 'typescript', 'vitest', '@biomejs/biome', 'electron', 'preact']) {
      expect(pkg.dependencies).not.toHaveProperty(tool);
      expect(pkg.devDependencies).toHaveProperty(tool);
    }
  });

  it('runs with plain Node, and a second kiosk on the same data folder exits at once with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-built-'));
    const config = KioskProcess.writeSimConfig(dir);
    const first = new KioskProcess(config, { main: MAIN });
    try {
      await first.start();
      const second = spawnSync(process.execPath, [MAIN, '--config', config, '--host', 'browser'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(second.status).toBe(DATA_DIR_LOCKED_EXIT_CODE);
      expect(second.stdout).not.toContain('KIOSK READY');
      expect(second.stderr).toMatch(
        /^kiosk: another kiosk \(pid \d+\) is running on the data folder .*\/data; stop it first\n$/,
      );
      // A power cut: the lock is left behind; the next start takes it over.
      await first.kill('SIGKILL');
      const next = new KioskProcess(config, { main: MAIN });
      await next.start();
      expect(await next.kill('SIGTERM')).toBe(0);
    } finally {
      await first.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
