/** One CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvCell(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line of cells (no line break). */
export function csvLine(cells: ReadonlyArray<string | number | undefined>): string {
  return cells.map(csvCell).join(',');
}

/** A whole CSV file: header, rows, CRLF line ends as spreadsheets expect. */
export function csvFile(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>,
): string {
  return `${[csvLine(header), ...rows.map(csvLine)].join('\r\n')}\r\n`;
}
