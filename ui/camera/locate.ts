/**
 * A QR locator of the kiosk's own, for the codes zxing's detector misses or misplaces: heavy lens or
 * motion blur, moiré bands, glare, dimmed or cracked screens, a phone tilted 40° away, dark mode.
 *
 * zxing finds finder patterns by the 1:1:3:1:1 runs of a binarised row, which blur, bands and cracks
 * break. Here a finder is found in the grey itself, by its correlation with the finder's concentric
 * squares (finders.ts, rings.ts), so that blur, slow shading and low contrast change little; or near
 * where zxing's corners put it when zxing located a code it could not correct. Three whole finders
 * that make an L are the code; each finder's module size, measured along the grid, says how many
 * modules there are across (so the versions to try) and, as a code tilted away shows its far side
 * smaller, about where the bottom-right alignment pattern is; the best places of that pattern near
 * there, with the three finders, each give a perspective, and the version and place whose timing
 * patterns and version information fit what the picture shows win (grid.ts). Every other alignment
 * pattern, looked for where that geometry puts it, then refines it by a least-squares homography:
 * on the corpus's codes this locator finds, its module centres are within a fifth of a module of the
 * true ones. The result is the four outer corners and the version, as regrid.ts takes them; whatever
 * it makes of a picture, the read that follows is Reed-Solomon checked by zxing.
 */
import { alignmentPeaks, finderModule, findersNear, findFinders } from './finders.ts';
import { apply, finderModules, fitHomography, type Homography, versionFit, wholeFinders } from './grid.ts';
import { alignmentCentres, type Corner, type Located } from './regrid.ts';
import type { RingMatch } from './rings.ts';

/**
 * How far from where the finders' parallelogram puts it the bottom-right alignment pattern is looked
 * for, in modules: a phone tilted 40° moves it by 5 to 10.
 */
const ALIGNMENT_REACH = 8;
/** How far the modules across may be from the finders' estimate: the versions tried. */
const VERSION_SPREAD = 0.12;
/** The best places of that search that are tried, each by how well the geometry it makes fits. */
const ALIGNMENT_PEAKS = 4;
/** The least fit of the timing and version patterns for a geometry to be returned. */
const MIN_FIT = 0.3;
/** A fit from which no other L is tried. */
const GOOD_FIT = 0.5;

/** Three finders as the code's top-left, top-right and bottom-left, if they make a plausible L. */
function asL(a: RingMatch, b: RingMatch, c: RingMatch): [RingMatch, RingMatch, RingMatch] | undefined {
  const d = (p: RingMatch, q: RingMatch) => Math.hypot(p.x - q.x, p.y - q.y);
  // The corner is opposite the longest side.
  const sides: [number, RingMatch, RingMatch, RingMatch][] = [
    [d(b, c), a, b, c],
    [d(a, c), b, a, c],
    [d(a, b), c, a, b],
  ];
  sides.sort((p, q) => q[0] - p[0]);
  let [, tl, tr, bl] = sides[0]!;
  const l1 = d(tl, tr);
  const l2 = d(tl, bl);
  if (Math.max(l1, l2) > 1.6 * Math.min(l1, l2)) return undefined;
  const cos = ((tr.x - tl.x) * (bl.x - tl.x) + (tr.y - tl.y) * (bl.y - tl.y)) / (l1 * l2);
  if (Math.abs(cos) > 0.6) return undefined;
  const module = (a.module + b.module + c.module) / 3;
  // At least a version 1 code (14 modules between the finders' centres) and finders of about one size.
  if (Math.min(l1, l2) < 10 * module) return undefined;
  if (Math.max(a.module, b.module, c.module) > 2.2 * Math.min(a.module, b.module, c.module)) return undefined;
  // Top-right is clockwise from top-left in the picture (y down).
  if ((tr.x - tl.x) * (bl.y - tl.y) - (tr.y - tl.y) * (bl.x - tl.x) < 0) [tr, bl] = [bl, tr];
  return [tl, tr, bl];
}

/**
 * The geometry of an L of finders for a version: the three finders' centres and the bottom-right
 * alignment pattern's (`corner`, the parallelogram's fourth point when there is none).
 */
function baseGeometry(
  l: [RingMatch, RingMatch, RingMatch],
  version: number,
  corner: Corner | undefined,
): Homography | undefined {
  const n = 17 + 4 * version;
  const [tl, tr, bl] = l;
  const centres = alignmentCentres(version);
  const to: [number, number][] = [
    [tl.x, tl.y],
    [tr.x, tr.y],
    [bl.x, bl.y],
  ];
  if (corner && centres.length > 0) {
    const last = centres[centres.length - 1]! + 0.5;
    return fitHomography([...finderModules(n), [last, last]], [...to, [corner.x, corner.y]]);
  }
  return fitHomography(
    [...finderModules(n), [n - 3.5, n - 3.5]],
    [...to, [tr.x + bl.x - tl.x, tr.y + bl.y - tl.y]],
  );
}

/** The geometry refined by every alignment pattern found near where it puts them (least squares). */
function refine(
  l: [RingMatch, RingMatch, RingMatch],
  H: Homography,
  version: number,
  inverted: boolean,
): Homography {
  const n = 17 + 4 * version;
  const centres = alignmentCentres(version);
  const from = finderModules(n);
  const to: [number, number][] = l.map((f) => [f.x, f.y]);
  const weights = [2, 2, 2];
  for (const r of centres) {
    for (const c of centres) {
      if ((r === 6 && (c === 6 || c === n - 7)) || (r === n - 7 && c === 6)) continue;
      const g = apply(H, c + 0.5, r + 0.5);
      const gx = apply(H, c + 1.5, r + 0.5);
      const gy = apply(H, c + 0.5, r + 1.5);
      const ex = { x: gx.x - g.x, y: gx.y - g.y };
      const ey = { x: gy.x - g.x, y: gy.y - g.y };
      const m = alignmentPeaks(g.x, g.y, ex, ey, 1, inverted, 1)[0];
      if (!m) continue;
      from.push([c + 0.5, r + 0.5]);
      to.push([m.x, m.y]);
      weights.push(1);
    }
  }
  return from.length > 3 ? (fitHomography(from, to, weights) ?? H) : H;
}

/**
 * Where a QR code is in a grey picture (w x h, row by row), by the kiosk's own finder search; the best
 * geometries first (at most `max`), each with the four outer corners and the version. Empty when no
 * three finders make a code. A few milliseconds on a code's region.
 */
export function locateCodes(
  gray: ArrayLike<number>,
  w: number,
  h: number,
  until = Infinity,
  hint?: Located,
  max = 2,
): Located[] {
  const all = hint ? findersNear(gray, w, h, hint) : findFinders(gray, w, h, until);
  const found: { at: Located; fit: number }[] = [];
  const ls: { l: [RingMatch, RingMatch, RingMatch]; score: number; inverted: boolean }[] = [];
  for (const inverted of [false, true]) {
    const finders = inverted ? all.inverted : all.normal;
    for (let i = 0; i < finders.length; i++) {
      for (let j = i + 1; j < finders.length; j++) {
        for (let k = j + 1; k < finders.length; k++) {
          const l = asL(finders[i]!, finders[j]!, finders[k]!);
          const score = Math.abs(finders[i]!.score + finders[j]!.score + finders[k]!.score);
          if (l) ls.push({ l, score, inverted });
        }
      }
    }
  }
  // The likeliest Ls first, and no more once one fits well: each costs about a millisecond.
  ls.sort((a, b) => b.score - a.score);
  for (const { l, inverted } of ls.slice(0, max)) {
    if (found.some((f) => f.fit >= GOOD_FIT) || performance.now() > until) break;
    {
      const [tl, tr, bl] = l;
      // The finders' module sizes, each to a few per cent, give the number of modules across (so the
      // versions to try) and, as a code tilted away shows its far side smaller, where the fourth
      // corner is: the parallelogram of the three finders would put it many modules off.
      const [mtl, mtr, mbl] = l.map((f) => finderModule(f, all.angle, inverted)) as [number, number, number];
      const across =
        (Math.hypot(tr.x - tl.x, tr.y - tl.y) / ((mtl + mtr) / 2) +
          Math.hypot(bl.x - tl.x, bl.y - tl.y) / ((mtl + mbl) / 2)) /
          2 +
        7;
      const lo = Math.max(1, Math.floor((across * (1 - VERSION_SPREAD) - 17) / 4));
      const hi = Math.min(40, Math.ceil((across * (1 + VERSION_SPREAD) - 17) / 4));
      const guess = {
        x: (bl.x + (tr.x - tl.x) * (mbl / mtl) + tr.x + (bl.x - tl.x) * (mtr / mtl)) / 2,
        y: (bl.y + (tr.y - tl.y) * (mbl / mtl) + tr.y + (bl.y - tl.y) * (mtr / mtl)) / 2,
      };
      const ex = { x: (guess.x - bl.x) / (across - 7), y: (guess.y - bl.y) / (across - 7) };
      const ey = { x: (guess.x - tr.x) / (across - 7), y: (guess.y - tr.y) / (across - 7) };
      const corners = alignmentPeaks(
        guess.x - 3 * (ex.x + ey.x),
        guess.y - 3 * (ex.y + ey.y),
        ex,
        ey,
        ALIGNMENT_REACH,
        inverted,
        ALIGNMENT_PEAKS,
      );
      let best: { H: Homography; fit: number; version: number } | undefined;
      for (let version = lo; version <= hi; version++) {
        for (const c of [...corners, undefined]) {
          const H = baseGeometry(l, version, c);
          if (!H) continue;
          const f = versionFit(gray, w, h, H, version, inverted);
          if (!best || f > best.fit) best = { H, fit: f, version };
        }
      }
      if (!best) continue;
      const H = refine(l, best.H, best.version, inverted);
      best = { H, fit: versionFit(gray, w, h, H, best.version, inverted), version: best.version };
      if (best.fit < MIN_FIT || !wholeFinders(gray, w, h, H, best.version, inverted)) continue;
      const n = 17 + 4 * best.version;
      found.push({
        at: {
          topLeft: apply(best.H, 0, 0),
          topRight: apply(best.H, n, 0),
          bottomRight: apply(best.H, n, n),
          bottomLeft: apply(best.H, 0, n),
          version: best.version,
          inverted,
        },
        fit: best.fit,
      });
    }
  }
  found.sort((a, b) => b.fit - a.fit);
  return found.slice(0, max).map((f) => f.at);
}
