import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type NapiCanvas = { width: number; height: number; toBuffer(type: 'image/png'): Buffer };

/** Width of the `confirm` screen's A4 preview, in pixels. */
export const PREVIEW_WIDTH_PX = 640;

const require = createRequire(import.meta.url);
/** pdf.js's own copies of the 14 standard PDF fonts, so a preview needs no system fonts and no network. */
const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/**
 * The first page of a PDF as a PNG, for the applicant to see on `confirm` before anything prints.
 * pdf.js renders it onto @napi-rs/canvas; anything it cannot read gives undefined (the document itself was
 * already checked by its SHA-256 and page count, so a missing preview only loses the picture).
 */
export async function renderPdfFirstPage(
  pdf: Uint8Array,
  widthPx = PREVIEW_WIDTH_PX,
): Promise<Uint8Array | undefined> {
  try {
    pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
    const { getDocument } = await pdfjs;
    // pdf.js takes ownership of (and detaches) the buffer it is given: pass a copy.
    const task = getDocument({
      data: new Uint8Array(pdf),
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
      return new Uint8Array(canvas.toBuffer('image/png'));
    } finally {
      await doc.destroy();
    }
  } catch (e) {
    if (process.env.ADM_DEBUG_PREVIEW) console.error(e);
    return undefined;
  }
}
