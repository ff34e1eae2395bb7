import type { Answer, AvailabilityFeed, KioskAvailability } from './availability.ts';

export type Lang = 'id' | 'en';

const T = {
  id: {
    title: 'Ketersediaan ADM',
    intro:
      'Periksa sebelum berangkat: apakah Anjungan Dukcapil Mandiri (ADM) dapat mencetak KTP-el/KIA dan dokumen A4 saat ini.',
    updated: 'Diperbarui',
    card: 'Cetak kartu (KTP-el, KIA)',
    a4: 'Cetak dokumen A4 (KK, akta)',
    lasts: 'Blangko kartu cukup untuk hari ini',
    offline: 'Tidak terhubung: status tidak diketahui',
    hours: 'Jam layanan',
    yes: 'Ya',
    no: 'Tidak',
    unknown: 'Tidak diketahui',
    other: 'English',
    feed: 'Data (JSON)',
    note: 'Status dapat berubah sewaktu-waktu. Halaman ini tidak memuat data pribadi.',
  },
  en: {
    title: 'ADM availability',
    intro:
      'Check before you travel: whether each Dukcapil self-service kiosk (ADM) can print KTP-el/KIA cards and A4 documents now.',
    updated: 'Updated',
    card: 'Card printing (KTP-el, KIA)',
    a4: 'A4 printing (KK, certificates)',
    lasts: 'Blank cards expected to last the day',
    offline: 'Not connected: status unknown',
    hours: 'Opening hours',
    yes: 'Yes',
    no: 'No',
    unknown: 'Unknown',
    other: 'Bahasa Indonesia',
    feed: 'Data (JSON)',
    note: 'The status may change at any time. This page holds no personal data.',
  },
} as const;

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function row(label: string, answer: Answer, t: (typeof T)[Lang]): string {
  return `<div class="row"><dt>${esc(label)}</dt><dd class="${answer}">${t[answer]}</dd></div>`;
}

function kiosk(k: KioskAvailability, t: (typeof T)[Lang]): string {
  const body = k.online
    ? `<dl>${row(t.card, k.card, t)}${row(t.a4, k.a4, t)}${row(t.lasts, k.cardsLastTheDay, t)}</dl>`
    : `<p class="offline">${t.offline}</p>`;
  return `<li><article aria-labelledby="k-${esc(k.kioskId)}">
<h2 id="k-${esc(k.kioskId)}">${esc(k.place)}</h2>
${k.address ? `<p class="addr">${esc(k.address)}</p>` : ''}
${k.hours ? `<p class="addr">${t.hours}: ${esc(k.hours)}</p>` : ''}
${body}
</article></li>`;
}

/** The public page: mobile-first, no script, readable without colour (every answer is a word). */
export function renderPage(feed: AvailabilityFeed, lang: Lang): string {
  const t = T[lang];
  const other: Lang = lang === 'id' ? 'en' : 'id';
  const updated = new Date(feed.generatedAt).toISOString().slice(0, 16).replace('T', ' ');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f4f5f7}
header{background:#0b3d6e;color:#fff;padding:16px}
header h1{margin:0 0 4px;font-size:1.4rem}
header p{margin:0}
nav{display:flex;gap:16px;flex-wrap:wrap;margin-top:12px}
nav a{color:#fff;font-weight:600;min-height:44px;display:inline-flex;align-items:center}
main{padding:12px;max-width:48rem;margin:0 auto}
ul{list-style:none;margin:0;padding:0;display:grid;gap:12px}
@media (min-width:40rem){ul{grid-template-columns:1fr 1fr}}
article{background:#fff;border-radius:8px;padding:12px 16px;border:1px solid #d0d4da}
h2{font-size:1.1rem;margin:0 0 4px}
.addr{margin:0;color:#44484f;font-size:.95rem}
dl{margin:8px 0 0}
.row{display:flex;justify-content:space-between;gap:8px;padding:6px 0;border-top:1px solid #eceef1}
dt{flex:1}
dd{margin:0;font-weight:700}
.yes{color:#0a6b2d}.no{color:#a1120a}.unknown,.offline{color:#44484f}
.yes::before{content:"\\2714\\FE0E  "}.no::before{content:"\\2716\\FE0E  "}
footer{padding:12px 16px 24px;color:#44484f;font-size:.9rem;max-width:48rem;margin:0 auto}
</style>
</head>
<body>
<header>
<h1>${t.title}</h1>
<p>${t.intro}</p>
<nav><a href="?lang=${other}" lang="${other}" hreflang="${other}">${t.other}</a><a href="availability.json">${t.feed}</a></nav>
</header>
<main>
<p>${t.updated}: <time datetime="${feed.generatedAt}">${updated} UTC</time></p>
<ul>
${feed.kiosks.map((k) => kiosk(k, t)).join('\n')}
</ul>
</main>
<footer><p>${t.note}</p></footer>
</body>
</html>
`;
}
