// `npm run build` (after the UI): compiles the kiosk to JavaScript in `dist/app/`, the same tree as the
// sources (`dist/app/kiosk/main.js`, `dist/app/kiosk/hosts/electron/entry.js`, the A4 preview's worker,
// which nothing imports but a `new Worker`, and the drivers and config modules they import), with tsc;
// packages stay in node_modules. The data files that modules find beside themselves
// (`config/card-templates/`, `config/fonts/`, `config/service-info/`) are copied to the same place in the
// tree, so every path a module takes from its own location holds in the compiled tree as in the sources.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out DIR` (tests): another folder, which must stay inside the project so the kiosk finds its root.
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, 'dist', 'app');
// `--no-check` (`npm test`, right after `npm run lint` type-checked the whole tree): emits without checking
// the types a second time (tsc --noCheck; the same JavaScript, in a third of the time).
const noCheck = process.argv.includes('--no-check');
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

rmSync(out, { recursive: true, force: true });
const run = spawnSync(
  process.execPath,
  [tsc, '-p', join(root, 'scripts', 'tsconfig.kiosk.json'), '--outDir', out, ...(noCheck ? ['--noCheck'] : [])],
  { stdio: 'inherit' },
);
if (run.status !== 0) {
  console.error('build: the kiosk did not compile');
  process.exit(run.status ?? 1);
}

/** Every file under config/ that is not a module: templates, fonts, service information, the sim config. */
function copyData(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyData(path);
    else if (!/\.(ts|tsx)$/.test(name)) cpSync(path, join(out, relative(root, path)));
  }
}
copyData(join(root, 'config'));
console.log(`build: kiosk in ${relative(process.cwd(), out) || '.'}`);
