import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cupsd, printedFiles, startCupsd } from '../../test/support/cupsd.ts';
import { makeKkPdf } from '../../test/support/kk-pdf.ts';
import { CupsPaperPrinter } from './cups-printer.ts';

const run = promisify(execFile);

async function pdfinfo(file: string): Promise<{ pages: number; size: string }> {
  const { stdout } = await run('pdfinfo', [file]);
  return {
    pages: Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]),
    size: /^Page size:\s+(.*)$/m.exec(stdout)?.[1] ?? '',
  };
}

describe('CupsPaperPrinter against a real cupsd with a cups-pdf queue', () => {
  let cups: Cupsd;
  beforeAll(async () => {
    cups = await startCupsd();
  });
  afterAll(async () => {
    await cups?.stop();
  });

  it('prints a KK, follows the job to completed, and the output has the same pages on A4', async () => {
    const printer = new CupsPaperPrinter({ queue: cups.queue, server: cups.server });
    expect(await printer.getStatus()).toEqual({ state: 'READY' });
    const pdf = await makeKkPdf({ pages: 3, applicationNo: 'KK-3574-0042' });
    const seen: string[] = [];
    const result = await printer.print({ pdf, expectedPages: 3, jobName: 'KK-3574-0042' }, (job) => {
      seen.push(job.jobId);
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(seen).toEqual([result.value.jobId]);
    expect(await printer.jobState(result.value.jobId)).toBe('completed');
    const files = await printedFiles(cups.outDir);
    expect(files).toHaveLength(1);
    const info = await pdfinfo(files[0]!);
    expect(info.pages).toBe(3);
    expect(info.size).toMatch(/^595(\.\d+)? x 842(\.\d+)? pts \(A4\)/);
  });

  it('refuses a PDF whose page count differs from the application and prints nothing', async () => {
    const printer = new CupsPaperPrinter({ queue: cups.queue, server: cups.server });
    const before = (await printedFiles(cups.outDir)).length;
    const result = await printer.print({
      pdf: await makeKkPdf({ pages: 2 }),
      expectedPages: 3,
      jobName: 'KK-X',
    });
    expect(result).toEqual({ ok: false, error: { kind: 'page-count-mismatch', expected: 3, actual: 2 } });
    expect(await printedFiles(cups.outDir)).toHaveLength(before);
  });

  it('gives a device fault for a disabled queue and prints nothing', async () => {
    await cups.admin('lpadmin', ['-p', 'ADM_OFF', '-E', '-v', `file:///dev/null`, '-m', 'raw']);
    await cups.admin('cupsdisable', ['ADM_OFF']);
    const printer = new CupsPaperPrinter({ queue: 'ADM_OFF', server: cups.server });
    expect((await printer.getStatus()).state).toBe('QUEUE_DISABLED');
    const result = await printer.print({
      pdf: await makeKkPdf({ pages: 1 }),
      expectedPages: 1,
      jobName: 'KK-OFF',
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused', fault: 'QUEUE_DISABLED' } });
    const { stdout } = await run('lpstat', ['-W', 'all', '-o', 'ADM_OFF'], {
      env: { ...process.env, ...cups.env },
    });
    expect(stdout.trim()).toBe('');
  });

  it('gives a device fault for a queue that rejects jobs and prints nothing', async () => {
    await cups.admin('lpadmin', ['-p', 'ADM_REJ', '-E', '-v', `file:///dev/null`, '-m', 'raw']);
    await cups.admin('cupsreject', ['ADM_REJ']);
    const printer = new CupsPaperPrinter({ queue: 'ADM_REJ', server: cups.server });
    expect((await printer.getStatus()).state).toBe('QUEUE_DISABLED');
    const result = await printer.print({
      pdf: await makeKkPdf({ pages: 1 }),
      expectedPages: 1,
      jobName: 'KK-REJ',
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused', fault: 'QUEUE_DISABLED' } });
    const { stdout } = await run('lpstat', ['-W', 'all', '-o', 'ADM_REJ'], {
      env: { ...process.env, ...cups.env },
    });
    expect(stdout.trim()).toBe('');
  });

  it('reports a jam that stops the printer mid-job as a failed job, and cancels it', async () => {
    await cups.addFaultQueue('ADM_JAM', 'media-jam-error');
    const printer = new CupsPaperPrinter({ queue: 'ADM_JAM', server: cups.server });
    const result = await printer.print({
      pdf: await makeKkPdf({ pages: 2 }),
      expectedPages: 2,
      jobName: 'KK-JAM',
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'failed', fault: 'MEDIA_JAM' } });
    if (result.ok || result.error.kind !== 'failed') return;
    expect(await printer.jobState(result.error.jobId)).toBe('failed');
    expect(await printer.getStatus()).toMatchObject({ state: 'MEDIA_JAM' });
  });

  it('is OFFLINE when the queue does not exist', async () => {
    const printer = new CupsPaperPrinter({ queue: 'NO_SUCH_QUEUE', server: cups.server });
    expect((await printer.getStatus()).state).toBe('OFFLINE');
  });
});

describe('CupsPaperPrinter without a scheduler', () => {
  it('is OFFLINE and refuses jobs', async () => {
    const printer = new CupsPaperPrinter({ queue: 'ADM_A4', server: '/tmp/adm-no-cupsd-here.sock' });
    expect((await printer.getStatus()).state).toBe('OFFLINE');
    const result = await printer.submit({
      pdf: await makeKkPdf({ pages: 1 }),
      expectedPages: 1,
      jobName: 'KK',
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused', fault: 'OFFLINE' } });
  });
});
