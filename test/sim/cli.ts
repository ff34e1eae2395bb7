import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../support/browser.ts';
import { runScenarios } from './pool.ts';
import { loadScenario, type Scenario } from './scenario.ts';

/**
 * `npm run sim -- scenario FILE|DIR... [--lanes N] [--json]`: runs scenario files against the simulators
 * through the real UI in Chromium, prints each scenario's steps with pass/fail, and exits 0 when all
 * passed, 1 when one failed, 2 on a usage or file error.
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'scenario') return usage();
  let lanes = 1;
  let json = false;
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--lanes') lanes = Number(rest[++i]);
    else if (a === '--json') json = true;
    else paths.push(a);
  }
  if (paths.length === 0 || !Number.isInteger(lanes) || lanes < 1) return usage();
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const file of paths.flatMap(expand)) {
    const s = loadScenario(file);
    if (s.ok) scenarios.push(s.value);
    else problems.push(...s.error);
  }
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${p}\n`);
    return 2;
  }
  const browser = await launchChromium();
  try {
    const results = await runScenarios(browser, scenarios, {
      lanes,
      onResult: (r) => {
        if (json) return;
        process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'} ${r.name} (${(r.ms / 1000).toFixed(1)} s)\n`);
        for (const s of r.steps) {
          process.stdout.write(
            `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step} (${s.ms} ms)${s.error ? `\n       ${s.error}` : ''}\n`,
          );
        }
      },
    });
    const failed = results.filter((r) => !r.ok).length;
    if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
    return failed === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

function expand(path: string): string[] {
  const p = resolve(path);
  if (!statSync(p, { throwIfNoEntry: false })?.isDirectory()) return [p];
  return readdirSync(p)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(p, f));
}

function usage(): number {
  process.stderr.write('usage: npm run sim -- scenario FILE|DIR... [--lanes N] [--json]\n');
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
