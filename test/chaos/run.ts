// `npm run chaos [-- --kills N] [-- --seed S]`: power cuts at random moments of real sessions (see
// chaos.ts); prints the counts and exits 1 on any double print, lost completion or dangling claim.
import { runChaos } from './chaos.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const report = await runChaos({
  kills: arg('kills', 200),
  seed: arg('seed', 20261203),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify(report)}\n`);
const bad =
  report.doublePrints + report.lostCompletions + report.completionsWithoutPrint + report.danglingClaims;
process.exit(bad > 0 || report.failures.length > 0 ? 1 : 0);
