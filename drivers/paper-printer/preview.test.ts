import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { makeKkPdf } from '../../test/support/kk-pdf.ts';
import { renderPdfFirstPage } from './preview.ts';

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
