import { serviceEntry } from '../../documents/services.ts';
import type { SimApplication, SimResident } from './seed.ts';
import { simTechnician } from './technician.ts';

/** What the code page needs of a simulator (an interface, so the page does not import the server). */
export interface CodesPageSource {
  applications(): SimApplication[];
  residents(): SimResident[];
  mintPrintCode(applicationNo: string): Promise<string>;
  mintBadge(technicianId: string, regionCode?: string): Promise<string>;
}

// qrcode is loaded when someone opens the page, not at every start of the simulator.
const qr = async (text: string) =>
  (await import('qrcode')).default.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 260 });

/**
 * The simulator's code page: marked "Simulator"; the technician's badge code and PIN for the
 * maintenance menu; the residents who can sign in with NIK and login PIN; and every seeded
 * application (one READY of each of the 24 services, every status that cannot print) with a freshly
 * minted print code as a QR image and its print PIN.
 */
export async function codesPage(sim: CodesPageSource): Promise<string> {
  const rows: string[] = [];
  for (const app of sim.applications()) {
    const code = await sim.mintPrintCode(app.applicationNo);
    rows.push(`<tr data-application="${esc(app.applicationNo)}"><td><img src="${await qr(code)}" width="260" height="260" alt="QR ${esc(app.applicationNo)}"></td>
<td><b>${esc(app.applicationNo)}</b><br>${esc(serviceEntry(app.service).name.id)}<br>${esc(app.label)}<br>${esc(app.service)} · ${esc(app.status)}${app.stage ? ` (${esc(app.stage)})` : ''}<br>
PIN: <code>${esc(app.pin)}</code>${app.pinRequired ? ' (wajib)' : ''}<br><textarea rows="4" cols="60" readonly>${esc(code)}</textarea></td></tr>`);
  }
  const residents = sim
    .residents()
    .map(
      (r) =>
        `<tr data-resident="${esc(r.nik)}"><td><code>${esc(r.nik)}</code></td><td>${esc(r.name)}</td><td><code>${esc(r.loginPin)}</code></td><td>${esc(r.label)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Simulator API Dukcapil: kode cetak</title>
<style>body{font-family:sans-serif;margin:2em}td{vertical-align:top;padding:8px;border-bottom:1px solid #ccc}
.badge{display:inline-block;background:#b00020;color:#fff;font-weight:bold;padding:4px 12px;border-radius:6px;letter-spacing:.05em}</style></head>
<body><p><span class="badge" data-sim-badge>Simulator</span> kunci uji, bukan untuk kios nyata</p>
<h1>Kode cetak simulator</h1>
${await technicianSection(sim)}
<h2>Masuk dengan NIK dan PIN (penduduk terdaftar)</h2>
<table><tr><th>NIK</th><th>Nama</th><th>PIN masuk</th><th></th></tr>${residents}</table>
<p>NIK lain (misalnya <code>3574019999990099</code>) belum terdaftar.</p>
<h2>Permohonan</h2>
<p>Pindai kode dengan kamera kios, atau salin teks kode ke pemindai simulasi.</p><table>${rows.join('\n')}</table></body></html>`;
}

async function technicianSection(sim: CodesPageSource): Promise<string> {
  const tech = await simTechnician();
  if (!tech) return '<p>Konfigurasi simulator tidak punya teknisi.</p>';
  const badge = await sim.mintBadge(tech.id, tech.regionCode);
  const pin = tech.pin
    ? `<code data-technician-pin>${esc(tech.pin)}</code>`
    : 'tidak diketahui (hash di config/sim.json tidak cocok dengan PIN simulator)';
  return `<h2>Teknisi (menu pemeliharaan)</h2>
<table><tr data-technician="${esc(tech.id)}"><td><img src="${await qr(badge)}" width="260" height="260" alt="Lencana teknisi ${esc(tech.id)}"></td>
<td>Lencana teknisi <b>${esc(tech.id)}</b><br>PIN: ${pin}<br><textarea rows="4" cols="60" readonly data-badge-code>${esc(badge)}</textarea></td></tr></table>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
