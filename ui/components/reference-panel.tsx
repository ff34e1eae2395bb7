import { create } from 'qrcode';
import type { Translate } from '../i18n/translate.ts';

/** The QR code's quiet zone, in modules (ISO/IEC 18004 asks for 4). */
const QUIET = 4;

/**
 * One SVG path drawing the dark modules of the QR code of `text`: encoded here in the page (the UI
 * fetches nothing beyond its own origin), drawn as vector so it stays sharp at any size.
 */
export function qrPath(text: string): { size: number; d: string } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) d += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
    }
  }
  return { size: modules.size + 2 * QUIET, d };
}

/**
 * The session reference where the kiosk sends the applicant to the counter: large as text and as a QR
 * code, so the officer can go on from what happened here (contract 1.1, `data-reference`).
 */
export function ReferencePanel({ reference, t }: { reference: string; t: Translate }) {
  const { size, d } = qrPath(reference);
  return (
    <section class="reference" data-reference={reference} aria-labelledby="reference-title">
      <div class="reference-text">
        <h2 id="reference-title">{t('reference.title')}</h2>
        <p class="reference-code">{reference}</p>
        <p class="reference-hint">{t('reference.hint')}</p>
      </div>
      <svg
        class="reference-qr"
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label={t('reference.qr', { reference })}
        shape-rendering="crispEdges"
      >
        <rect width={size} height={size} fill="#fff" />
        <path d={d} fill="#000" />
      </svg>
    </section>
  );
}
