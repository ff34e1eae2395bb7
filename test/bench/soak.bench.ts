import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../kiosk/paths.ts';
import type { FigureLine, Report } from './harness.ts';

/**
 * `memory.kiosk.rss-growth-1000` from the soak (test/soak/run.ts: 1,000 mixed sessions, card and A4,
 * with the card printer's bezel and cooling on). The soak takes many minutes, so it runs only when asked:
 * `npm run bench -- --json --soak`. Its figure lines are passed on as they are; a soak that fails (a
 * failed session, a ledger that differs from the printer's counters) fails the bench.
 */
export async function bench(report: Report): Promise<void> {
  if (!process.argv.includes('--soak')) return;
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ROOT, 'test', 'soak', 'run.ts'), '--json'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
    const f = JSON.parse(line) as FigureLine;
    if (f.unit !== 'ms') report({ name: f.name, unit: f.unit, value: f.value, ...(f.n ? { n: f.n } : {}) });
  }
  if (code !== 0)
    throw new Error(`the soak failed (exit ${code}); its report is in test/output/soak-report.json`);
}
