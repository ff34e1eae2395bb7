import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { makeKkPdf } from '../../test/support/kk-pdf.ts';
import { pageCount } from './page-count.ts';

describe('pageCount', () => {
  it('counts the pages of a PDF', async () => {
    expect(await pageCount(await makeKkPdf({ pages: 4 }))).toEqual({ ok: true, value: 4 });
  });

  it('is not-a-pdf for text, truncated bytes and an empty document', async () => {
    expect(await pageCount(new TextEncoder().encode('hello, not a pdf'))).toEqual({
      ok: false,
      error: 'not-a-pdf',
    });
    const pdf = await makeKkPdf({ pages: 2 });
    expect(await pageCount(pdf.subarray(0, 200))).toEqual({ ok: false, error: 'not-a-pdf' });
    const empty = await (await PDFDocument.create()).save({ addDefaultPage: false });
    expect(await pageCount(empty)).toEqual({ ok: false, error: 'not-a-pdf' });
  });
});
