import { writeFile } from 'node:fs/promises';
import { createCanvas } from '@napi-rs/canvas';
import QRCode from 'qrcode';

export interface Y4mOptions {
  /** The code shown; omit for a video with no code in it. */
  text?: string;
  width?: number;
  height?: number;
  /** Frames in the file; Chromium's fake camera loops them. */
  frames?: number;
  /** The code's side in pixels (quiet zone included). */
  codeSize?: number;
}

/**
 * Writes a Y4M video for Chromium's fake camera (`--use-file-for-fake-video-capture`): a print code
 * drawn with @napi-rs/canvas from the `qrcode` package's modules, held in the middle of the frame and
 * drifting a little from frame to frame as in a hand. 4:2:0 planar (C420jpeg), 30 fps.
 */
export async function writeY4m(path: string, opts: Y4mOptions = {}): Promise<void> {
  const width = opts.width ?? 1280;
  const height = opts.height ?? 720;
  const frames = opts.frames ?? 10;
  const size = opts.codeSize ?? 420;
  const qr = opts.text ? QRCode.create(opts.text, { errorCorrectionLevel: 'M' }) : undefined;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const chroma = (width / 2) * (height / 2);
  const parts: Buffer[] = [header];
  for (let f = 0; f < frames; f++) {
    ctx.fillStyle = '#6a6a70';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#3b3b40';
    ctx.fillRect(0, height * 0.75, width, height * 0.25);
    if (qr) {
      const n = qr.modules.size;
      const unit = size / (n + 8);
      const x0 = (width - size) / 2 + Math.sin(f / 3) * 12;
      const y0 = (height - size) / 2 + Math.cos(f / 4) * 8;
      ctx.fillStyle = '#f2f2f2';
      ctx.fillRect(x0, y0, size, size);
      ctx.fillStyle = '#141414';
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          if (qr.modules.get(y, x))
            ctx.fillRect(x0 + (x + 4) * unit, y0 + (y + 4) * unit, unit + 0.5, unit + 0.5);
        }
      }
    }
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const yPlane = Buffer.alloc(width * height);
    for (let i = 0; i < yPlane.length; i++) {
      yPlane[i] = Math.round(0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!);
    }
    parts.push(Buffer.from('FRAME\n', 'ascii'), yPlane, Buffer.alloc(chroma, 128), Buffer.alloc(chroma, 128));
  }
  await writeFile(path, Buffer.concat(parts));
}
