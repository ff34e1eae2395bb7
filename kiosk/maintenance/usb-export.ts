import { accessSync, constants, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '../audit/types.ts';
import { csvFile } from './csv.ts';
import type { DailyReport } from './report.ts';
import { formatTime } from './time-zone.ts';
import { RECONCILIATION_COLUMNS, type ReconciliationRow } from './view-model.ts';

function writableDir(path: string): boolean {
  try {
    if (!statSync(path).isDirectory()) return false;
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function subdirs(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => join(path, e.name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The USB stick to export to: the first writable folder where the package's udev rule mounts one
 * (`<root>/<label>`) or where a desktop mounts it (`<root>/<user>/<label>`); undefined when none is
 * plugged in. `root` is the config's `usbMediaRoot` (`/media`).
 */
export function findUsbStick(root: string): string | undefined {
  for (const d of subdirs(root)) {
    const inner = subdirs(d).filter(writableDir);
    // A folder holding mounted sticks (`/media/<user>`) is not itself the stick.
    if (inner.length > 0 && !d.toUpperCase().includes('USB')) return inner[0];
    if (writableDir(d)) return d;
  }
  return undefined;
}

/** Writes one export file to `<stick>/ADM-<kioskId>/<name>` atomically; returns its path. */
export function writeToStick(
  stick: string,
  kioskId: string,
  name: string,
  data: string | Uint8Array,
): string {
  const dir = join(stick, `ADM-${kioskId.replace(/[^A-Za-z0-9-]/g, '_')}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
  return path;
}

/** The reconciliation as CSV: one line per supply, the printer's figure and the difference. */
export function reconciliationCsv(rows: ReconciliationRow[], at: number, timeZone: string): string {
  return csvFile(
    // The header names the same columns, in snake case (`printerSays` is `printer_says`).
    ['at', 'item', ...RECONCILIATION_COLUMNS.map((c) => c.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`))],
    rows.map((r) => [formatTime(at, timeZone), r.item, ...RECONCILIATION_COLUMNS.map((c) => r[c])]),
  );
}

/**
 * The session log as CSV with no personal data: time, kind, outcome, technician, service and reason;
 * never the application number, the NIK or anything else of an applicant.
 */
export function logCsv(entries: AuditEntry[], timeZone: string): string {
  return csvFile(
    ['at', 'seq', 'type', 'outcome', 'technician', 'service', 'reason'],
    entries.map((e) => {
      const d = e.detail ?? {};
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return [
        formatTime(e.at, timeZone),
        e.seq,
        e.type,
        e.outcome,
        e.technicianId,
        str(d.service),
        str(d.reason),
      ];
    }),
  );
}

/** The daily report as a one-page A4 PDF: a table per document type with totals, in the kiosk's time zone. */
export async function reportPdf(
  report: DailyReport,
  kioskId: string,
  printedAt: number,
): Promise<Uint8Array> {
  // pdf-lib is loaded when a technician exports a report, not at every start of the kiosk.
  const { PDFDocument, rgb, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  doc.setTitle(`ADM ${kioskId} ${report.day}`);
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let y = 790;
  const text = (s: string, x: number, size = 10, f = font) =>
    page.drawText(s, { x, y, size, font: f, color: rgb(0.07, 0.09, 0.15) });
  text(`Laporan harian / Daily report  ${report.day}`, 40, 16, bold);
  y -= 22;
  text(
    `${kioskId}  ·  ${formatTime(report.from, report.timeZone)} – ${formatTime(report.until, report.timeZone)}`,
    40,
  );
  y -= 30;
  const cols = [
    ['Layanan / Service', 40],
    ['Tercetak', 170],
    ['Ditolak', 230],
    ['Gangguan', 290],
    ['Kartu', 355],
    ['Rusak', 405],
    ['Lembar', 455],
    ['Rusak', 510],
  ] as const;
  for (const [label, x] of cols) text(label, x, 10, bold);
  y -= 6;
  page.drawLine({ start: { x: 40, y }, end: { x: 555, y }, thickness: 0.8 });
  y -= 16;
  const total = { printed: 0, refused: 0, faults: 0, cu: 0, cs: 0, su: 0, ss: 0 };
  for (const r of report.rows) {
    const refused = Object.values(r.refused).reduce((a, b) => a + b, 0);
    const cells = [
      r.service,
      r.printed,
      refused,
      r.faults,
      r.cardsUsed,
      r.cardsSpoiled,
      r.sheetsUsed,
      r.sheetsSpoiled,
    ];
    for (const [i, c] of cells.entries()) text(String(c), cols[i]![1]);
    total.printed += r.printed;
    total.refused += refused;
    total.faults += r.faults;
    total.cu += r.cardsUsed;
    total.cs += r.cardsSpoiled;
    total.su += r.sheetsUsed;
    total.ss += r.sheetsSpoiled;
    y -= 16;
  }
  page.drawLine({ start: { x: 40, y: y + 10 }, end: { x: 555, y: y + 10 }, thickness: 0.8 });
  const totals = [
    'Jumlah / Total',
    total.printed,
    total.refused,
    total.faults,
    total.cu,
    total.cs,
    total.su,
    total.ss,
  ];
  for (const [i, c] of totals.entries()) text(String(c), cols[i]![1], 10, bold);
  y -= 30;
  const s = report.supplies;
  text(`Kartu diisi / cards loaded: ${s.cardsLoaded}   ditarik / drawn back: ${s.cardsRemoved}`, 40);
  y -= 14;
  text(`Kertas diisi / sheets loaded: ${s.sheetsLoaded}   ditarik / drawn back: ${s.sheetsRemoved}`, 40);
  y -= 30;
  text(`Dicetak / printed ${formatTime(printedAt, report.timeZone)}`, 40, 8);
  return doc.save();
}
