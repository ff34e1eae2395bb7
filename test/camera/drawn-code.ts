import QRCode from 'qrcode';
import {
  addNoise,
  blur,
  fakePrintCode,
  type GrayFrame,
  type Point,
  PRINTED_QUIET_ZONE,
  paintBackground,
  paintQuad,
  placeSquare,
  quadPoint,
  seededRandom,
} from './render-frame.ts';

/** Where a locator would say a drawn code is: its symbol's outer corners (quiet zone apart) and version. */
export interface DrawnLocation {
  topLeft: { x: number; y: number };
  topRight: { x: number; y: number };
  bottomRight: { x: number; y: number };
  bottomLeft: { x: number; y: number };
  version: number;
  inverted?: boolean;
}

/**
 * Where the symbol of a code of `size` modules and `version` lands when the code with its printed quiet
 * zone is drawn into `corners` (top-left, top-right, bottom-right, bottom-left): its outer corners.
 */
export function symbolLocation(
  corners: [Point, Point, Point, Point],
  size: number,
  version: number,
): DrawnLocation {
  const units = size + 2 * PRINTED_QUIET_ZONE;
  const at = (u: number, v: number) => {
    const [x, y] = quadPoint(corners, (u + PRINTED_QUIET_ZONE) / units, (v + PRINTED_QUIET_ZONE) / units);
    return { x, y };
  };
  return {
    topLeft: at(0, 0),
    topRight: at(size, 0),
    bottomRight: at(size, size),
    bottomLeft: at(0, size),
    version,
  };
}

export interface DrawnCodeOptions {
  /** The lens blur's radius (`blur`). */
  lens: number;
  /** A module's darkness (0 light, 1 dark) given its index (row * size + col) and what the code says. */
  change?: (module: number, darkness: number) => number;
  /** Light modules on dark, as a phone in dark mode. */
  inverted?: boolean;
}

/**
 * A print code drawn into a 640x480 grey frame at an angle with a little perspective, 4.2 pixels a
 * module (grey 30 on 220), blurred by the lens and with noise of 4 grey levels, deterministic from the
 * seed; and where its symbol landed, as a locator reports it, for the module readers' tests.
 */
export function drawnCode(seed: number, opts: DrawnCodeOptions) {
  const rand = seededRandom(seed);
  const text = fakePrintCode(rand);
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const corners = placeSquare(320, 240, 4.2 * (n + 2 * PRINTED_QUIET_ZONE), 0.4, [
    [6, -4],
    [0, 0],
    [-5, 3],
    [0, 0],
  ]);
  const frame: GrayFrame = { width: 640, height: 480, gray: new Uint8Array(640 * 480) };
  paintBackground(frame.gray, 640, 480, rand);
  const units = n + 2 * PRINTED_QUIET_ZONE;
  paintQuad(frame.gray, 640, 480, corners, (u, v) => {
    const mx = Math.floor(u * units) - PRINTED_QUIET_ZONE;
    const my = Math.floor(v * units) - PRINTED_QUIET_ZONE;
    const inside = mx >= 0 && my >= 0 && mx < n && my < n;
    let d = inside && qr.modules.get(my, mx) === 1 ? 1 : 0;
    if (inside && opts.change) d = opts.change(my * n + mx, d);
    if (opts.inverted) d = 1 - d;
    return 220 - d * 190;
  });
  blur(frame, opts.lens);
  addNoise(frame, 4, rand);
  const located: DrawnLocation = {
    ...symbolLocation(corners, n, qr.version),
    ...(opts.inverted ? { inverted: true } : {}),
  };
  return { text, qr, frame, located };
}
