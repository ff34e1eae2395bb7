import { createPrivateKey, sign } from 'node:crypto';
import {
  fill,
  PDFDocument,
  type PDFFont,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  StandardFonts,
  setFillingColor,
} from 'pdf-lib';
import QRCode from 'qrcode';
import {
  sampleKia,
  sampleKtpEl,
  standInPortrait,
  standInSignature,
} from '../../documents/card/sample-documents.ts';
import { readSimIssuerKey } from './mint.ts';

/** Who a seeded document is about, as the simulator prints it. */
export interface DocumentSubject {
  applicationNo: string;
  nik: string;
  name: string;
}

const A4: [number, number] = [595.28, 841.89];
const ISSUED = new Date('2026-11-20T02:00:00Z');
const OFFICE = 'DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA PROBOLINGGO';

/** What a document's TTE signature covers: its number, title and subject. */
export function tteSignedText(title: string, s: DocumentSubject): string {
  return `${s.applicationNo}|${title}|${s.nik}|${s.name}`;
}

/** The text of a document's TTE QR code: a prefix, the number, the signature (base64url). */
export const TTE_QR_PATTERN = /^TTE-DUKCAPIL-SIM:([^:]+):([\w-]+)$/;

/**
 * The TTE seal of a document: an Ed25519 signature, with the simulated issuer's test key, over
 * `tteSignedText`, as text for its QR code (a verifier app checks it with the issuer's public key).
 */
function tteSeal(title: string, s: DocumentSubject): string {
  const key = createPrivateKey({ key: readSimIssuerKey().privateKeyJwk as never, format: 'jwk' });
  const signature = sign(null, Buffer.from(tteSignedText(title, s)), key).toString('base64url');
  return `TTE-DUKCAPIL-SIM:${s.applicationNo}:${signature}`;
}

/**
 * A realistic A4 document of `pages` pages: the office's letterhead, the title, the number, the
 * subject's data, and on the last page the TTE block with the QR code of the document's signature.
 */
export async function a4Pdf(title: string, s: DocumentSubject, pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${title} ${s.applicationNo}`);
  pdf.setCreationDate(ISSUED);
  pdf.setModificationDate(ISSUED);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const qr = qrRuns(tteSeal(title, s));
  for (let p = 1; p <= pages; p++) {
    const page = pdf.addPage(A4);
    const { width, height } = page.getSize();
    page.drawRectangle({
      x: 30,
      y: 30,
      width: width - 60,
      height: height - 60,
      borderColor: rgb(0.1, 0.3, 0.55),
      borderWidth: 2,
    });
    page.drawText('REPUBLIK INDONESIA', { x: 60, y: height - 80, size: 14, font: bold });
    page.drawText(OFFICE, { x: 60, y: height - 100, size: 10, font });
    page.drawText(title, {
      x: 60,
      y: height - 150,
      size: titleSize(title, bold, width - 120),
      font: bold,
      color: rgb(0.05, 0.2, 0.45),
    });
    const lines = [
      `Nomor: ${s.applicationNo}`,
      `NIK: ${s.nik}`,
      `Nama: ${s.name}`,
      'Tempat/Tgl. Lahir: PROBOLINGGO, 12-03-1990',
      'Alamat: JL. PANGLIMA SUDIRMAN NO. 45, MAYANGAN, KOTA PROBOLINGGO',
    ];
    for (const [i, line] of lines.entries())
      page.drawText(line, { x: 60, y: height - 190 - i * 20, size: 12, font });
    if (p === pages) tteBlock(page, font, bold, qr);
    page.drawText(`Halaman ${p} dari ${pages}`, { x: width - 160, y: 45, size: 10, font });
  }
  return pdf.save({ useObjectStreams: false });
}

function titleSize(title: string, font: PDFFont, room: number): number {
  return Math.min(22, (22 * room) / font.widthOfTextAtSize(title, 22));
}

/**
 * The QR code's dark modules as runs per row (x, y, length, in module units, y downwards): drawn by
 * the PDF itself as rectangles, sharp at any printer resolution and far quicker than an embedded PNG.
 */
function qrRuns(text: string): { runs: Array<[number, number, number]>; size: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const runs: Array<[number, number, number]> = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (!modules.get(y, x)) continue;
      const start = x;
      while (x + 1 < modules.size && modules.get(y, x + 1)) x++;
      runs.push([start, y, x - start + 1]);
    }
  }
  return { runs, size: modules.size };
}

function tteBlock(page: PDFPage, font: PDFFont, bold: PDFFont, qr: ReturnType<typeof qrRuns>) {
  const x = 60;
  const y = 70;
  page.drawRectangle({ x, y, width: 475, height: 130, borderColor: rgb(0.4, 0.4, 0.4), borderWidth: 1 });
  const m = 110 / qr.size;
  page.pushOperators(
    pushGraphicsState(),
    setFillingColor(rgb(0, 0, 0)),
    ...qr.runs.map(([rx, ry, len]) => rectangle(x + 10 + rx * m, y + 120 - (ry + 1) * m, len * m, m)),
    fill(),
    popGraphicsState(),
  );
  const text = [
    ['Ditandatangani secara elektronik oleh:', font],
    ['KEPALA DINAS KEPENDUDUKAN DAN', bold],
    ['PENCATATAN SIPIL KOTA PROBOLINGGO', bold],
    ['Tanggal: 20-11-2026', font],
    ['Dokumen ini sah tanpa tanda tangan basah (TTE).', font],
    ['Pindai kode QR untuk memeriksa keasliannya.', font],
  ] as const;
  for (const [i, [line, f]] of text.entries())
    page.drawText(line, { x: x + 135, y: y + 105 - i * 17, size: 10, font: f });
}

/** The card document (CardDocument JSON) of a KTP-el or a KIA, with a drawn stand-in photo and signature. */
export function cardDocument(
  template: 'KTP_EL' | 'KIA',
  spec: { nik: string; name: string },
  underFive: boolean,
) {
  // The card samples' fields (kiosk/documents/card), made this application's subject.
  const sample = template === 'KTP_EL' ? sampleKtpEl() : sampleKia(underFive);
  const fields = { ...sample.fields, nik: spec.nik, nama: spec.name };
  return {
    template,
    fields,
    photo: underFive
      ? null
      : {
          contentType: 'image/png',
          data: standInPortrait(Number(spec.nik.at(-1)) % 2 === 1 ? '#c8102e' : '#1f5fbf'),
        },
    signature: template === 'KTP_EL' ? { contentType: 'image/png', data: standInSignature(spec.name) } : null,
  };
}
