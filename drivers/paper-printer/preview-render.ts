import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type NapiCanvas = { width: number; height: number; toBuffer(type: 'image/png'): Buffer };

const require = createRequire(import.meta.url);
/** pdf.js's own copies of the 14 standard PDF fonts, so a preview needs no system fonts and no network. */
const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** A 16-digit identity number (NIK, KK number) in a line of text. */
const ID_NUMBER = /\d{16}/g;

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}
interface Viewport {
  convertToViewportRectangle(rect: number[]): number[];
  scale: number;
}

/**
 * Paints over every 16-digit number on the page and writes it masked (first 6 and last 4 digits), as the
 * confirm screen shows a NIK: the preview is on a public screen, the printed document is not changed.
 */
async function maskIdNumbers(
  page: { getTextContent(): Promise<{ items: unknown[] }> },
  viewport: Viewport,
  ctx: CanvasRenderingContext2D,
): Promise<void> {
  const content = await page.getTextContent();
  for (const raw of content.items) {
    const item = raw as TextItem;
    if (typeof item.str !== 'string' || !item.str) continue;
    for (const m of item.str.matchAll(ID_NUMBER)) {
      const perChar = item.width / item.str.length;
      // Glyph widths differ, so the run's place is estimated from the item's average: cover a little more.
      const x = item.transform[4]! + perChar * (m.index! - 0.6);
      const y = item.transform[5]!;
      const h = item.height || Math.abs(item.transform[3]!);
      const [x1, y1, x2, y2] = viewport.convertToViewportRectangle([
        x,
        y - h * 0.25,
        x + perChar * 17.2,
        y + h,
      ]);
      const left = Math.min(x1!, x2!);
      const top = Math.min(y1!, y2!);
      const width = Math.abs(x2! - x1!);
      const height = Math.abs(y2! - y1!);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(left - 1, top - 1, width + 2, height + 2);
      ctx.fillStyle = '#000000';
      ctx.font = `${Math.round(height * 0.8)}px sans-serif`;
      ctx.textBaseline = 'bottom';
      // Written where the digits began (the cover starts a little before them).
      ctx.fillText(
        `${m[0].slice(0, 6)}******${m[0].slice(12)}`,
        left + perChar * 0.6 * viewport.scale,
        top + height,
      );
    }
  }
}

/** How a preview is drawn. */
export interface PreviewOptions {
  /** Paint over 16-digit identity numbers (default true). */
  maskIdNumbers?: boolean;
}

/**
 * The first page of a PDF as a PNG, drawn with pdf.js onto @napi-rs/canvas in the calling thread;
 * anything it cannot read gives undefined. The kiosk calls it through `renderPdfFirstPage`
 * (preview.ts), which runs it in a worker thread: pdf.js parses and paints synchronously for
 * hundreds of milliseconds, which would stall the kiosk's event loop.
 *
 * pdf.js takes ownership of (and detaches) the buffer it is given: `pdf` is handed over as it is, so
 * pass a copy if the caller still needs it.
 */
export async function renderFirstPageHere(
  pdf: Uint8Array,
  widthPx: number,
  opts: PreviewOptions = {},
): Promise<Uint8Array | undefined> {
  try {
    pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
    const { getDocument } = await pdfjs;
    const task = getDocument({
      data: pdf,
      isEvalSupported: false,
      standardFontDataUrl: STANDARD_FONTS,
      verbosity: 0,
    });
    const doc = await task.promise;
    try {
      const page = await doc.getPage(1);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: widthPx / base.width });
      // The canvas must come from pdf.js's own factory: it draws with the Path2D of the canvas package it
      // resolved itself, which another copy of that package refuses.
      const factory = (
        doc as unknown as {
          canvasFactory: {
            create(w: number, h: number): { canvas: NapiCanvas; context: CanvasRenderingContext2D };
          };
        }
      ).canvasFactory;
      const { canvas, context } = factory.create(Math.round(viewport.width), Math.round(viewport.height));
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({
        canvasContext: context,
        canvas: canvas as unknown as HTMLCanvasElement,
        viewport,
      }).promise;
      if (opts.maskIdNumbers !== false) await maskIdNumbers(page, viewport, context);
      return new Uint8Array(canvas.toBuffer('image/png'));
    } finally {
      await doc.destroy();
    }
  } catch (e) {
    if (process.env.ADM_DEBUG_PREVIEW) console.error(e);
    return undefined;
  }
}
