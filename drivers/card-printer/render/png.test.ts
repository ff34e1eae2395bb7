import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { encodeRgbPng } from './png.ts';

describe('encodeRgbPng', () => {
  it('round-trips through a PNG decoder pixel for pixel', async () => {
    const w = 37;
    const h = 11;
    const rgba = new Uint8ClampedArray(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 31) & 0xff));
    const img = await loadImage(Buffer.from(encodeRgbPng(rgba, w, h)));
    expect([img.width, img.height]).toEqual([w, h]);
    const c = createCanvas(w, h);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    expect([...g.getImageData(0, 0, w, h).data]).toEqual([...rgba]);
  });
});
