import { readFileSync, writeFileSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT_DOTS, CARD_WIDTH_DOTS, PANELS } from '../../../drivers/card-printer/protocol.ts';
import { monoPanel } from '../../../drivers/card-printer/render/panels.ts';
import type { CardDocument } from '../../../drivers/card-printer/types.ts';
import { renderCard, renderPanels, renderResin } from './render-card.ts';
import { sampleKia, sampleKtpEl, sampleLongKia, sampleLongKtpEl } from './sample-documents.ts';
import { type CardTemplate, loadCardTemplate } from './template.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

async function rgbaOf(png: Uint8Array | Buffer): Promise<Uint8ClampedArray> {
  const img = await loadImage(Buffer.from(png));
  expect([img.width, img.height]).toEqual([CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS]);
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  return g.getImageData(0, 0, img.width, img.height).data;
}

/** Share of pixels whose colour is off by more than `tolerance` in any channel. */
function differingShare(a: Uint8ClampedArray, b: Uint8ClampedArray, tolerance = 48): number {
  let off = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (
      Math.abs(a[i]! - b[i]!) > tolerance ||
      Math.abs(a[i + 1]! - b[i + 1]!) > tolerance ||
      Math.abs(a[i + 2]! - b[i + 2]!) > tolerance
    ) {
      off++;
    }
  }
  return off / (a.length / 4);
}

function countBits(panel: Uint8Array): number {
  let n = 0;
  for (const byte of panel) for (let v = byte; v; v &= v - 1) n++;
  return n;
}

/** Share of a mask's dots that are also set in the panel. */
function coverage(mask: Uint8Array, panel: Uint8Array): number {
  let inMask = 0;
  let both = 0;
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i]!;
    for (let v = m; v; v &= v - 1) inMask++;
    for (let v = m & panel[i]!; v; v &= v - 1) both++;
  }
  return both / inMask;
}

/** A field's own text, alone, rendered into a 1-bit mask with the same template. */
function fieldMask(template: CardTemplate, field: string, fields: Record<string, string>): Uint8Array {
  const canvas = renderResin(template, fields, (t) => t.field === field);
  return monoPanel(canvas.getContext('2d').getImageData(0, 0, CARD_WIDTH_DOTS, CARD_HEIGHT_DOTS).data);
}

const CASES: [string, CardDocument, string][] = [
  ['KTP-el', sampleKtpEl(), 'card-ktp-el.png'],
  ['KIA', sampleKia(), 'card-kia.png'],
  ['KIA under five (no photo)', sampleKia(true), 'card-kia-under-5.png'],
  ['KTP-el, 60-character name and a long address', sampleLongKtpEl(), 'card-ktp-el-long.png'],
  ['KIA, 100-character name, long family head and the longest address', sampleLongKia(), 'card-kia-long.png'],
];

/** `UPDATE_CARD_FIXTURES=1 npx vitest run drivers/card-printer/render` writes the expected images anew. */
const UPDATE = process.env.UPDATE_CARD_FIXTURES === '1';

describe('card rendering', () => {
  for (const [name, doc, expected] of CASES) {
    it(`${name}: five panels of the contract's sizes and a preview that matches the expected image`, async () => {
      const card = await renderCard(doc);
      expect(card.panels.y.length).toBe(PANELS.y.bytes);
      expect(card.panels.m.length).toBe(PANELS.m.bytes);
      expect(card.panels.c.length).toBe(PANELS.c.bytes);
      expect(card.panels.k.length).toBe(PANELS.k.bytes);
      expect(card.panels.o.length).toBe(PANELS.o.bytes);
      expect(card.panels.o.every((b) => b === 0xff)).toBe(true);
      if (UPDATE) writeFileSync(fixture(expected), card.previewPng);
      const got = await rgbaOf(card.previewPng);
      const want = await rgbaOf(readFileSync(fixture(expected)));
      // Anti-aliasing may move by a dot between Skia builds; a missing field or photo moves far more.
      expect(differingShare(got, want)).toBeLessThan(0.005);
    });

    it(`${name}: every text field is in the resin k panel, and a missing field would show`, async () => {
      const template = loadCardTemplate(doc.template);
      const card = await renderCard(doc);
      for (const [field, value] of Object.entries(doc.fields)) {
        const mask = fieldMask(template, field, doc.fields);
        expect(countBits(mask), `${field} draws something`).toBeGreaterThan(20);
        expect(coverage(mask, card.panels.k), `${field} = ${value}`).toBeGreaterThan(0.97);
        // Control: the same card with this one field blank does not cover it.
        const without = await renderPanels({ ...doc, fields: { ...doc.fields, [field]: '' } }, template);
        expect(coverage(mask, without.k), `${field} blanked`).toBeLessThan(0.6);
      }
    });
  }

  it('draws the photo once for a card and its masked copy: the dye panels are shared, the texts are not', async () => {
    const doc = sampleKtpEl();
    const masked = { ...doc, fields: { ...doc.fields, nik: '357401******0001' } };
    const [print, screen] = await Promise.all([renderCard(doc), renderCard(masked)]);
    expect(screen.panels.c).toBe(print.panels.c);
    expect(screen.panels.y).toBe(print.panels.y);
    expect(Buffer.from(screen.panels.k).equals(Buffer.from(print.panels.k))).toBe(false);
    // Another applicant's document (another photo object) is drawn afresh.
    const other = await renderCard({ ...doc, photo: { ...doc.photo! } });
    expect(other.panels.c).not.toBe(print.panels.c);
    expect(Buffer.from(other.panels.c).equals(Buffer.from(print.panels.c))).toBe(true);
  });

  it('prints the KIA photo only when there is one (a child under five has none)', async () => {
    const template = loadCardTemplate('KIA');
    const box = template.photo!;
    const meanCyan = (c: Uint8Array) => {
      let sum = 0;
      let n = 0;
      for (let y = box.y + 10; y < box.y + box.h - 10; y++) {
        for (let x = box.x + 10; x < box.x + box.w - 10; x++) {
          sum += c[y * CARD_WIDTH_DOTS + x]!;
          n++;
        }
      }
      return sum / n;
    };
    const withPhoto = await renderCard(sampleKia(false));
    const noPhoto = await renderCard(sampleKia(true));
    expect(meanCyan(withPhoto.panels.c)).toBeGreaterThan(100);
    expect(meanCyan(noPhoto.panels.c)).toBeLessThan(60);
  });

  it('keeps text out of the dye panels: the resin black alone carries it', async () => {
    const card = await renderCard(sampleKtpEl());
    const nik = fieldMask(loadCardTemplate('KTP_EL'), 'nik', sampleKtpEl().fields);
    // Where the NIK is printed in resin, the dye under it is only the light background art.
    let maxC = 0;
    for (let i = 0; i < nik.length; i++) {
      if (!nik[i]) continue;
      for (let bit = 0; bit < 8; bit++) {
        if (nik[i]! & (0x80 >> bit)) maxC = Math.max(maxC, card.panels.c[i * 8 + bit]!);
      }
    }
    expect(maxC).toBeLessThan(120);
  });
});
