import { performance } from 'node:perf_hooks';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { makeKkPdf } from '../../test/support/kk-pdf.ts';
import { closePreviewWorker, PREVIEW_WIDTH_PX, renderPdfFirstPage } from './preview.ts';
import { renderFirstPageHere } from './preview-render.ts';

describe('the A4 preview', () => {
  it('renders the first page of a KK as a PNG of A4 proportions with ink on it', async () => {
    const pdf = await makeKkPdf({ pages: 2, applicationNo: '3574-KK-2611-000200' });
    const png = await renderPdfFirstPage(pdf, 400);
    expect(png).toBeDefined();
    const img = await loadImage(Buffer.from(png!));
    expect(img.width).toBe(400);
    expect(img.height / img.width).toBeCloseTo(842 / 595, 1);
    const c = createCanvas(img.width, img.height);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const data = g.getImageData(0, 0, img.width, img.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
    // Text was drawn: some pixels are dark, most are paper.
    expect(dark).toBeGreaterThan(200);
    expect(dark).toBeLessThan((img.width * img.height) / 2);
  });

  it('gives nothing for bytes that are not a PDF', async () => {
    expect(await renderPdfFirstPage(new TextEncoder().encode('not a pdf'))).toBeUndefined();
  });
});

describe('the A4 preview masks identity numbers', () => {
  it('paints over a 16-digit NIK on the page (the printed PDF is untouched)', async () => {
    const { PDFDocument, StandardFonts } = await import('pdf-lib');
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    page.drawText('NIK: 3574014706950003', { x: 60, y: 600, size: 24, font });
    const pdf = await doc.save();
    const darkIn = async (png: Uint8Array) => {
      const img = await loadImage(Buffer.from(png));
      const c = createCanvas(img.width, img.height);
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, img.width, img.height).data;
    };
    const plain = await darkIn((await renderPdfFirstPage(pdf, 600, { maskIdNumbers: false }))!);
    const masked = await darkIn((await renderPdfFirstPage(pdf, 600))!);
    let differ = 0;
    for (let i = 0; i < plain.length; i += 4) if (Math.abs(plain[i]! - masked[i]!) > 64) differ++;
    // The digits' area was redrawn: a visible difference, confined to a small part of the page.
    expect(differ).toBeGreaterThan(100);
    expect(differ).toBeLessThan((600 * 848) / 20);
  });
});

describe('the A4 preview off the event loop', () => {
  /** The share of the time this thread's event loop was busy while `work` ran (0..1). */
  async function busyShare(work: () => Promise<unknown>): Promise<number> {
    const start = performance.eventLoopUtilization();
    await work();
    return performance.eventLoopUtilization(start).utilization;
  }

  it('renders in a worker thread: the event loop stays free, unlike a render in this thread', async () => {
    const pdf = await makeKkPdf({ pages: 2, applicationNo: '3574-KK-2611-000201' });
    // The worker's own start (its thread and modules) is measured apart, by the bench: here a warm one.
    await renderPdfFirstPage(pdf);
    const inWorker = await busyShare(() => renderPdfFirstPage(pdf));
    const here = await busyShare(() => renderFirstPageHere(new Uint8Array(pdf), PREVIEW_WIDTH_PX));
    // pdf.js parses and paints synchronously: in this thread the loop is busy nearly all along.
    expect(here).toBeGreaterThan(0.5);
    expect(inWorker).toBeLessThan(0.25);
    // The caller's bytes are still there (the worker got a copy).
    expect(pdf.byteLength).toBeGreaterThan(1000);
    await closePreviewWorker();
  });

  it('gives nothing for the previews still under way when the worker is ended', async () => {
    const pdf = await makeKkPdf({ pages: 1 });
    const under = renderPdfFirstPage(pdf);
    await closePreviewWorker();
    expect(await under).toBeUndefined();
    // And the next preview starts a new worker.
    expect(await renderPdfFirstPage(pdf, 200)).toBeDefined();
    await closePreviewWorker();
  });
});
