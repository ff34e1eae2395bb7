import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A4 in PDF points, as Dukcapil prints KK and akta. */
export const A4_PT = { width: 595.28, height: 841.89 } as const;

/**
 * A KK (Kartu Keluarga) test document: A4 pages with some text, made with pdf-lib as the central API
 * simulator makes them. Deterministic for a given input (fixed dates), so tests can compare bytes.
 */
export async function makeKkPdf(opts: { pages?: number; applicationNo?: string } = {}): Promise<Uint8Array> {
  const pages = opts.pages ?? 2;
  const no = opts.applicationNo ?? 'KK-3574-0001';
  const doc = await PDFDocument.create();
  const fixed = new Date('2026-11-22T00:00:00Z');
  doc.setCreationDate(fixed);
  doc.setModificationDate(fixed);
  doc.setTitle(`KK ${no}`);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([A4_PT.width, A4_PT.height]);
    page.drawText('KARTU KELUARGA', { x: 200, y: 780, size: 20, font: bold });
    page.drawText(`No. ${no}`, { x: 200, y: 755, size: 12, font });
    page.drawText(`Halaman ${i + 1} dari ${pages}`, { x: 240, y: 40, size: 10, font });
    for (let row = 0; row < 10; row++) {
      page.drawText(
        `${row + 1}. ANGGOTA KELUARGA ${row + 1}    NIK 3574xxxxxxxx${String(row).padStart(4, '0')}`,
        {
          x: 50,
          y: 700 - row * 22,
          size: 10,
          font,
        },
      );
    }
  }
  return doc.save({ useObjectStreams: false });
}
