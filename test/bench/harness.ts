/**
 * The benchmark harness. Each `*.bench.ts` file under the project exports `bench(report)`; this file
 * runs them all in one process (so peers are compared in the same run) and prints a table for people or,
 * with `--json`, one JSON line per figure.
 */
export type Figure =
  | { name: string; unit: 'ms'; samples: number[] }
  | { name: string; unit: 'ratio' | 'MB'; value: number; n?: number };

export type Report = (figure: Figure) => void;

export interface BenchModule {
  bench(report: Report): Promise<void>;
}

/** The p-th percentile (0..100) of the samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export type FigureLine =
  | { name: string; unit: 'ms'; p50: number; p95: number; n: number }
  | { name: string; unit: 'ratio' | 'MB'; value: number; n?: number };

/** The JSON line of one figure. */
export function summarise(f: Figure): FigureLine {
  if (f.unit !== 'ms')
    return f.n === undefined
      ? { name: f.name, unit: f.unit, value: round(f.value) }
      : { name: f.name, unit: f.unit, value: round(f.value), n: f.n };
  return {
    name: f.name,
    unit: 'ms',
    p50: round(percentile(f.samples, 50)),
    p95: round(percentile(f.samples, 95)),
    n: f.samples.length,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
