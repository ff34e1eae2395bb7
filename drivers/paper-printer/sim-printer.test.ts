import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeKkPdf } from '../../test/support/kk-pdf.ts';
import { ManualClock } from '../shared/clock.ts';
import { openPaperPrinter } from './index.ts';
import { PaperPrinterSimulator, SIM_PAGE_MS } from './sim-printer.ts';

async function runToEnd<T>(clock: ManualClock, p: Promise<T>): Promise<T> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  for (let i = 0; i < 400 && !done; i++) await clock.advanceAsync(250);
  return p;
}

describe('PaperPrinterSimulator', () => {
  it('prints a job page by page and writes the PDF to outDir', async () => {
    const clock = new ManualClock();
    const outDir = await mkdtemp(join(tmpdir(), 'adm-sim-paper-'));
    try {
      const { printer, sim } = await openPaperPrinter({ driver: 'sim', paperSheets: 10, outDir }, { clock });
      const pdf = await makeKkPdf({ pages: 3 });
      const started = clock.now();
      const result = await runToEnd(clock, printer.print({ pdf, expectedPages: 3, jobName: 'KK/1' }));
      expect(result.ok).toBe(true);
      expect(clock.now() - started).toBeGreaterThanOrEqual(3 * SIM_PAGE_MS);
      expect(sim?.printedJobs).toMatchObject([
        { jobName: 'KK/1', pages: 3, state: 'completed', pagesConsumed: 3 },
      ]);
      expect(sim?.paperSheets).toBe(7);
      expect(await readdir(outDir)).toEqual(['sim-1-KK_1.pdf']);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it('scales page time with timeFactor', async () => {
    const clock = new ManualClock();
    const sim = new PaperPrinterSimulator({ timeFactor: 0.01, clock });
    const started = clock.now();
    const result = await runToEnd(
      clock,
      sim.print({ pdf: await makeKkPdf({ pages: 2 }), expectedPages: 2, jobName: 'KK' }),
    );
    expect(result.ok).toBe(true);
    expect(clock.now() - started).toBeLessThan(2 * SIM_PAGE_MS);
  });

  it('refuses a job while a fault is on, and prints again once cleared', async () => {
    const clock = new ManualClock();
    const sim = new PaperPrinterSimulator({ clock, timeFactor: 0.01 });
    const pdf = await makeKkPdf({ pages: 1 });
    for (const fault of ['MEDIA_EMPTY', 'MEDIA_JAM', 'DOOR_OPEN', 'OFFLINE'] as const) {
      sim.injectFault(fault);
      expect(await sim.getStatus()).toEqual({ state: fault });
      expect(await sim.submit({ pdf, expectedPages: 1, jobName: 'KK' })).toEqual({
        ok: false,
        error: { kind: 'refused', fault },
      });
      sim.clearFault();
    }
    expect((await runToEnd(clock, sim.print({ pdf, expectedPages: 1, jobName: 'KK' }))).ok).toBe(true);
    expect(sim.jobs).toHaveLength(1);
  });

  it('a jam during a job fails it part-way, its pages spoiled', async () => {
    const clock = new ManualClock();
    const sim = new PaperPrinterSimulator({ clock, paperSheets: 20 });
    sim.injectFault('MEDIA_JAM', 'during-job');
    expect((await sim.getStatus()).state).toBe('READY');
    const result = await runToEnd(
      clock,
      sim.print({ pdf: await makeKkPdf({ pages: 4 }), expectedPages: 4, jobName: 'KK' }),
    );
    expect(result).toMatchObject({ ok: false, error: { kind: 'failed', fault: 'MEDIA_JAM' } });
    expect(sim.printedJobs).toEqual([]);
    expect(sim.jobs[0]).toMatchObject({ state: 'failed', pagesConsumed: 2 });
    expect(sim.pagesConsumed).toBe(2);
    expect(sim.paperSheets).toBe(18);
    expect((await sim.getStatus()).state).toBe('MEDIA_JAM');
  });

  it('running out of paper mid-job is MEDIA_EMPTY; loading paper makes it ready', async () => {
    const clock = new ManualClock();
    const sim = new PaperPrinterSimulator({ clock, paperSheets: 2 });
    const result = await runToEnd(
      clock,
      sim.print({ pdf: await makeKkPdf({ pages: 3 }), expectedPages: 3, jobName: 'KK' }),
    );
    expect(result).toMatchObject({ ok: false, error: { kind: 'failed', fault: 'MEDIA_EMPTY' } });
    expect(sim.pagesConsumed).toBe(2);
    sim.loadPaper(50);
    expect(await sim.getStatus()).toEqual({ state: 'READY', paperSheets: 50 });
  });

  it('checks the page count and the PDF before taking the job', async () => {
    const sim = new PaperPrinterSimulator();
    expect(await sim.submit({ pdf: await makeKkPdf({ pages: 2 }), expectedPages: 1, jobName: 'KK' })).toEqual(
      {
        ok: false,
        error: { kind: 'page-count-mismatch', expected: 1, actual: 2 },
      },
    );
    expect(await sim.submit({ pdf: new Uint8Array(10), expectedPages: 1, jobName: 'KK' })).toEqual({
      ok: false,
      error: { kind: 'not-a-pdf' },
    });
    expect(sim.jobs).toEqual([]);
    expect(await sim.jobState('sim-99')).toBe('unknown');
  });
});
