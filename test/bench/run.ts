import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchModule, type FigureLine, summarise } from './harness.ts';

const root = join(import.meta.dirname, '..', '..');
const json = process.argv.includes('--json');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

// The targets are for one core of a modest kiosk PC: the run pins itself to CPU 0 (taskset, from
// util-linux) and says on every line how many cores it had. `--all-cores` runs unpinned.
if (availableParallelism() > 1 && !process.argv.includes('--all-cores') && process.platform === 'linux') {
  const pinned = spawnSync(
    'taskset',
    ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
    },
  );
  if (!pinned.error) process.exit(pinned.status ?? 1);
  process.stderr.write(`bench: cannot pin to one core (${pinned.error.message}); running on all cores\n`);
}
const cores = availableParallelism();

function findBenches(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist' || name === 'data') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findBenches(p, out);
    else if (name.endsWith('.bench.ts')) out.push(p);
  }
  return out;
}

/** A figure line from a file's own process (any other output there is the bench's own). */
const FIGURE = 'BENCH-FIGURE ';
const childFile = process.argv.find((a) => a.startsWith('--bench-file='))?.slice('--bench-file='.length);
if (childFile) {
  const mod = (await import(pathToFileURL(childFile).href)) as BenchModule;
  await mod.bench((figure) => process.stdout.write(`${FIGURE}${JSON.stringify(summarise(figure))}\n`));
  process.exit(process.exitCode ?? 0);
}

const files = findBenches(root)
  .filter((f) => only.length === 0 || only.some((o) => relative(root, f).includes(o)))
  .sort();
const lines: FigureLine[] = [];
// Each file runs in a process of its own (pinned like this one): one file's heap, threads and leftovers
// (a peer that keeps 90 MB on purpose, a fleet of 200 metric registries) would otherwise lengthen the
// collector's pauses in the files after it. Peers compared in the same run are in the same file.
for (const file of files) {
  if (!json) process.stderr.write(`running ${relative(root, file)}\n`);
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      process.argv[1]!,
      ...process.argv.slice(2).filter((a) => a.startsWith('--')),
      `--bench-file=${file}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
  );
  for (const text of child.stdout.split('\n')) {
    if (!text.startsWith(FIGURE)) continue;
    const line = JSON.parse(text.slice(FIGURE.length)) as FigureLine;
    lines.push(line);
    if (json) process.stdout.write(`${JSON.stringify({ ...line, cores })}\n`);
  }
  if (child.status !== 0) {
    process.stderr.write(
      `bench: ${relative(root, file)} failed (${child.error?.message ?? `exit ${child.status}`})\n`,
    );
    process.exitCode = 1;
  }
}
if (!json) {
  const rows = lines.map((l) =>
    l.unit === 'ms'
      ? [l.name, 'ms', String(l.p50), String(l.p95), String(l.n)]
      : [l.name, l.unit, String(l.value), '', l.n === undefined ? '' : String(l.n)],
  );
  const head = ['figure', 'unit', 'p50 / value', 'p95', 'n'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`${cores} core${cores === 1 ? '' : 's'}`);
  console.log(fmt(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
}
process.exit(process.exitCode ?? 0);
