import QRCode from 'qrcode';
import type { CentralApiSimulator } from './server.ts';

/**
 * The simulator's code page: every seeded application with a freshly minted print code as a QR image
 * and its print PIN, so a person can try the kiosk with a phone screen or a printed code.
 */
export async function codesPage(sim: CentralApiSimulator): Promise<string> {
  const rows: string[] = [];
  for (const app of sim.applications()) {
    const code = await sim.mintPrintCode(app.applicationNo);
    const img = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 2, width: 260 });
    rows.push(`<tr><td><img src="${img}" width="260" height="260" alt="QR ${esc(app.applicationNo)}"></td>
<td><b>${esc(app.applicationNo)}</b><br>${esc(app.label)}<br>${esc(app.service)} · ${esc(app.status)}${app.stage ? ` (${esc(app.stage)})` : ''}<br>
PIN: <code>${esc(app.pin)}</code>${app.pinRequired ? ' (wajib)' : ''}<br><textarea rows="4" cols="60" readonly>${esc(code)}</textarea></td></tr>`);
  }
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Simulator API Dukcapil: kode cetak</title>
<style>body{font-family:sans-serif;margin:2em}td{vertical-align:top;padding:8px;border-bottom:1px solid #ccc}</style></head>
<body><h1>Kode cetak simulator (kunci uji, bukan untuk kios nyata)</h1>
<p>Pindai kode dengan kamera kios, atau salin teks kode ke pemindai simulasi.</p><table>${rows.join('\n')}</table></body></html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
