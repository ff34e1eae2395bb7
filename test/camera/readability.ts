import type { Point } from './render-frame.ts';

/**
 * Whether a generated frame still holds a readable code, decided from how the frame was drawn and
 * never from a decoder: the corpus marks a frame `unreadable` only when the code itself is gone.
 *
 * The code is a QR code at level M (the print code, version 13): its Reed-Solomon blocks correct
 * errors in about 15 % of the codewords, and a decoder must first find all three finder patterns.
 * A module is lost when
 *
 * - something opaque lies over it (a thumb: it reads as skin, whatever colour the module had), or
 * - the contrast left in the finest module pattern (dark, light, dark: a period of two modules) at
 *   that module is under the sensor noise. Every QR decoder samples the code module by module (the
 *   ISO 18004 reference algorithm reads each module's centre); with a residual amplitude `A` over
 *   noise `sigma`, a one-pixel sample of such a module falls on the wrong side of the threshold with
 *   probability Q(A / sigma), over 16 % once A < sigma, more than level M restores. The residual
 *   contrast is the screen's contrast, times what glare leaves of it, times the blurs' modulation
 *   transfer at the finest pattern (lens, the sensor's pixel, motion along the way the phone moved).
 *
 * The frame is unreadable when a finder pattern has lost more than a third of its 49 modules (past
 * that the hidden part reaches into the 3x3 centre from one side, so no scan line through the centre
 * keeps the 1:1:3:1:1 ratio a decoder looks for), or when more than 15 % of all modules are lost.
 */
export const LIMITS = {
  /** Modules lost over all the code's modules. */
  lostModules: 0.15,
  /** Of the 49 modules of any one finder pattern. */
  lostFinder: 1 / 3,
  /** Residual amplitude of the finest module pattern over the noise's standard deviation. */
  amplitudeOverNoise: 1,
};

/** How a frame blurred the code: the lens (`blur` of render-frame: two box passes of 2r+1 pixels), and motion. */
export interface FrameBlur {
  lensRadius: number;
  motion?: { length: number; angle: number };
}

/** The code as the frame shows it, module by module. */
export interface DrawnCode {
  modulesPerSide: number;
  /** Each module's centre in the image, row by row. */
  moduleCentres: Point[];
  /** Screen or paper grey minus ink grey. */
  contrast: number;
  /** The sensor noise's standard deviation, in grey levels. */
  noise: number;
  blur: FrameBlur;
  /** What glare leaves of the contrast at an image point (1 = none), if any glare. */
  glareLeft?: (x: number, y: number) => number;
  /** Whether something opaque (a thumb) lies over an image point. */
  covered?: (x: number, y: number) => boolean;
}

/** The reason no decoder can read the drawn code, or undefined when it is readable. */
export function whyUnreadable(code: DrawnCode): string | undefined {
  const n = code.modulesPerSide;
  const at = (x: number, y: number) => code.moduleCentres[y * n + x]!;
  let weakest = Number.POSITIVE_INFINITY;
  const lost = code.moduleCentres.map(([x, y], i) => {
    if (code.covered?.(x, y)) return true;
    const mx = i % n;
    const my = Math.floor(i / n);
    // The module grid's local Jacobian from the neighbouring centres (one-sided at the edges).
    const [ux0, ux1] = mx + 1 < n ? [mx, mx + 1] : [mx - 1, mx];
    const [vy0, vy1] = my + 1 < n ? [my, my + 1] : [my - 1, my];
    const a = at(ux1, my);
    const b = at(ux0, my);
    const c = at(mx, vy1);
    const d = at(mx, vy0);
    const m = finestModulation([a[0] - b[0], a[1] - b[1]], [c[0] - d[0], c[1] - d[1]], code.blur);
    weakest = Math.min(weakest, m);
    const amplitude = (m * code.contrast * (code.glareLeft?.(x, y) ?? 1)) / 2;
    return amplitude < LIMITS.amplitudeOverNoise * code.noise;
  });
  const hidden = lost.filter(Boolean).length / lost.length;
  if (hidden === 1) {
    return `blurred past the modules: the finest pattern keeps ${(weakest * 100).toFixed(1)} % of its contrast`;
  }
  for (const [fx, fy] of [
    [0, 0],
    [n - 7, 0],
    [0, n - 7],
  ] as const) {
    let hit = 0;
    for (let y = fy; y < fy + 7; y++) for (let x = fx; x < fx + 7; x++) if (lost[y * n + x]) hit += 1;
    if (hit / 49 > LIMITS.lostFinder) return `a finder pattern ${Math.round((hit / 49) * 100)} % lost`;
  }
  if (hidden > LIMITS.lostModules) return `${Math.round(hidden * 100)} % of the modules lost`;
  return undefined;
}

/**
 * The modulation the blurs leave of the finest module pattern, the worse of the code's two axes.
 * `du` and `dv` are the image steps from one module to the next along each axis; the pattern along
 * an axis has the wave vector half of that axis's gradient (cycles per pixel).
 */
export function finestModulation(du: Point, dv: Point, blur: FrameBlur): number {
  const det = du[0] * dv[1] - dv[0] * du[1];
  // Rows of the Jacobian's inverse: the gradients of the module coordinates u and v.
  const gu: Point = [dv[1] / det, -dv[0] / det];
  const gv: Point = [-du[1] / det, du[0] / det];
  return Math.max(transfer([gu[0] / 2, gu[1] / 2], blur), transfer([gv[0] / 2, gv[1] / 2], blur));
}

/** How much of a grating with wave vector `k` (cycles per pixel) survives the blurs. */
function transfer([kx, ky]: Point, blur: FrameBlur): number {
  const b = 2 * blur.lensRadius + 1;
  // Lens: two box passes of b pixels each way; pixel: the 2x2 sub-samples half a pixel apart.
  let t =
    boxMean(b, kx) ** 2 * boxMean(b, ky) ** 2 * Math.cos((Math.PI * kx) / 2) * Math.cos((Math.PI * ky) / 2);
  if (blur.motion) {
    const steps = Math.max(1, Math.round(blur.motion.length));
    t *= boxMean(steps, kx * Math.cos(blur.motion.angle) + ky * Math.sin(blur.motion.angle));
  }
  return Math.abs(t);
}

/** The response of the mean of `n` samples one pixel apart to a grating of `k` cycles per pixel. */
function boxMean(n: number, k: number): number {
  const s = Math.sin(Math.PI * k);
  return Math.abs(s) < 1e-9 ? 1 : Math.sin(Math.PI * n * k) / (n * s);
}
