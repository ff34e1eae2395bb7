import type { Report } from '../../../test/bench/harness.ts';
import { renderCard } from './render-card.ts';
import { sampleKia, sampleKtpEl } from './sample-documents.ts';

/** Warm-up renders (font loading, template parse, JIT, the reused buffers) left out of the figures. */
const WARMUP = 10;
/** As many as the session bench: with 30 the p95 was the second-slowest render, one collector pause. */
const SAMPLES = 200;

/** Time to render one card into its five panels and its preview PNG. Goal (issue 20): p95 under 40 ms on one core. */
export async function bench(report: Report): Promise<void> {
  const cases = [
    ['card.render.ktp-el', sampleKtpEl()],
    ['card.render.kia', sampleKia()],
  ] as const;
  for (const [name, doc] of cases) {
    for (let i = 0; i < WARMUP; i++) (await renderCard(doc)).previewPng;
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      // The preview PNG is composed when first read: read it, so the figure includes it.
      (await renderCard(doc)).previewPng;
      samples.push(performance.now() - t0);
    }
    report({ name, unit: 'ms', samples });
  }
}
