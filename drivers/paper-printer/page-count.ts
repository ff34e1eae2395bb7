import { err, ok, type Result } from '../shared/result.ts';
import type { PaperJobFailure, PaperPrintRequest } from './types.ts';

/**
 * The number of pages of a PDF, read with pdf-lib. Anything pdf-lib cannot parse (not a PDF, a truncated
 * download, an encrypted file it refuses) is `not-a-pdf`: the kiosk must not send it to the spooler.
 */
export async function pageCount(pdf: Uint8Array): Promise<Result<number, 'not-a-pdf'>> {
  // pdf-lib is loaded at the first A4 document, not at every start of the kiosk (issue 20: a fast start).
  const { PDFDocument } = await import('pdf-lib');
  // pdf-lib is lenient: a stray text file would parse as an empty document,
  // and it makes up a page tree for a truncated file, so the header and the end marker are checked first.
  if (!hasPdfHeader(pdf) || !hasEofMarker(pdf)) return err('not-a-pdf');
  try {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: true });
    const n = doc.getPageCount();
    return n > 0 ? ok(n) : err('not-a-pdf');
  } catch {
    return err('not-a-pdf');
  }
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"
/** The PDF spec allows junk before the header within the first 1024 bytes. */
const HEADER_SEARCH_BYTES = 1024;

const EOF_MARKER = [0x25, 0x25, 0x45, 0x4f, 0x46]; // "%%EOF"
/** Writers may put a few bytes (line ends, padding) after the last %%EOF. */
const EOF_SEARCH_BYTES = 1024;

function hasPdfHeader(bytes: Uint8Array): boolean {
  return indexOf(bytes, PDF_MAGIC, 0, Math.min(bytes.length, HEADER_SEARCH_BYTES + PDF_MAGIC.length)) >= 0;
}

function hasEofMarker(bytes: Uint8Array): boolean {
  return indexOf(bytes, EOF_MARKER, Math.max(0, bytes.length - EOF_SEARCH_BYTES), bytes.length) >= 0;
}

function indexOf(bytes: Uint8Array, needle: number[], from: number, to: number): number {
  for (let i = from; i + needle.length <= to; i++) {
    if (needle.every((b, j) => bytes[i + j] === b)) return i;
  }
  return -1;
}

/**
 * The check every driver makes before it sends anything to a spooler: the bytes are a PDF with exactly
 * the application's `pages`. Returns the page count.
 */
export async function checkPages(req: PaperPrintRequest): Promise<Result<number, PaperJobFailure>> {
  const pages = await pageCount(req.pdf);
  if (!pages.ok) return err({ kind: 'not-a-pdf' });
  if (pages.value !== req.expectedPages) {
    return err({ kind: 'page-count-mismatch', expected: req.expectedPages, actual: pages.value });
  }
  return pages;
}
