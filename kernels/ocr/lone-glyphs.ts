/**
 * Lone glyphs: marks of text size that stand alone, such as a "+" button, the "1" "2" "3" of a
 * pager or a "×" close button. The text detector learned lines of text; it scores such marks low
 * or not at all. This pass finds them from the pixels instead: ink blobs of glyph size, inside
 * candidate tiles that no read word covers, not touching anything larger (a border, a line).
 * Each returned box is a crop to recognize; the caller keeps only confident readings.
 */
import { componentBoxes } from './det-boxes.ts';
import { borderBackground } from './line-layout.ts';

/** Ink bounding box in image pixels, exclusive ends. */
export interface GlyphBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface LoneGlyphOptions {
  /** Tile side of the candidate grid, image px. */
  tile: number;
  /** A pixel is ink when its luminance differs from the window's background by more than this. */
  inkThreshold: number;
  /** Glyph height bounds, image px (scale them with the device pixel ratio). */
  minHeight: number;
  maxHeight: number;
  /** At most this many boxes come back (the first in reading order). */
  maxBoxes: number;
}

export interface LoneGlyphScratch {
  mask: Uint8Array;
  stack: Int32Array;
  hist: Uint32Array;
}

/** Growable scratch for loneGlyphBoxes. */
export function loneGlyphScratch(): LoneGlyphScratch {
  return { mask: new Uint8Array(0), stack: new Int32Array(0), hist: new Uint32Array(256) };
}

/**
 * Glyph-sized blobs in the candidate tiles (`candidates[i]` non-zero, a gw×gh grid), merged into
 * runs ("12" is one box), skipping blobs that overlap a box of `exclude` (words already read).
 * Each horizontal run of candidate tiles is searched in a window reaching half a glyph height
 * beyond it on every side, whose background is the most common luminance on the window's
 * border; blobs centred in the run are kept when they do not touch the window's edge (lines and
 * borders run on), have a glyph's height, and are neither a hollow rectangle (an empty checkbox
 * or input) nor a container of other blobs (a button's border around its label).
 */
export function loneGlyphBoxes(
  gray: Uint8Array,
  width: number,
  height: number,
  candidates: Uint8Array,
  gw: number,
  gh: number,
  exclude: ReadonlyArray<readonly [number, number, number, number]>,
  options: LoneGlyphOptions,
  scratch: LoneGlyphScratch,
): GlyphBox[] {
  const { tile, maxHeight } = options;
  // A kept blob is centred in the run and no taller than maxHeight: this margin holds it whole.
  const margin = Math.ceil(0.5 * maxHeight) + 2;
  const maxRun = 16;
  const found: GlyphBox[] = [];
  const seen = new Set<string>();
  for (let ty = 0; ty < gh; ty++) {
    for (let tx = 0; tx < gw; ) {
      if (!candidates[ty * gw + tx]) {
        tx++;
        continue;
      }
      const start = tx;
      while (tx < gw && candidates[ty * gw + tx] && tx - start < maxRun) tx++;
      const rx1 = start * tile;
      const ry1 = ty * tile;
      const rx2 = Math.min(width, tx * tile);
      const ry2 = Math.min(height, ry1 + tile);
      const wx1 = Math.max(0, rx1 - margin);
      const wy1 = Math.max(0, ry1 - margin);
      const wx2 = Math.min(width, rx2 + margin);
      const wy2 = Math.min(height, ry2 + margin);
      for (const b of windowBlobs(gray, width, wx1, wy1, wx2, wy2, exclude, options, scratch)) {
        const cx = (b.x1 + b.x2) / 2;
        const cy = (b.y1 + b.y2) / 2;
        const key = `${b.x1},${b.y1},${b.x2},${b.y2}`;
        if (cx < rx1 || cx >= rx2 || cy < ry1 || cy >= ry2 || seen.has(key)) continue;
        seen.add(key);
        found.push(b);
      }
    }
  }
  const merged = mergeRuns(found).sort((a, b) => a.y1 - b.y1 || a.x1 - b.x1);
  return merged.slice(0, options.maxBoxes);
}

function windowBlobs(
  gray: Uint8Array,
  width: number,
  wx1: number,
  wy1: number,
  wx2: number,
  wy2: number,
  exclude: ReadonlyArray<readonly [number, number, number, number]>,
  options: LoneGlyphOptions,
  scratch: LoneGlyphScratch,
): GlyphBox[] {
  const ww = wx2 - wx1;
  const wh = wy2 - wy1;
  if (ww < 3 || wh < 3) return [];
  const n = ww * wh;
  if (scratch.mask.length < n) scratch.mask = new Uint8Array(n);
  if (scratch.stack.length < n) scratch.stack = new Int32Array(n);
  const mask = scratch.mask;
  const bg = borderBackground(gray, width, wx1, wy1, wx2, wy2, scratch.hist);
  const t = options.inkThreshold;
  for (let y = 0; y < wh; y++) {
    for (let x = 0, i = (wy1 + y) * width + wx1, o = y * ww; x < ww; x++, i++, o++) {
      const d = gray[i] - bg;
      mask[o] = d > t || d < -t ? 1 : 0;
    }
  }
  const all = componentBoxes(mask, ww, wh, scratch.stack).map((b) => ({ x1: b.x1 + wx1, y1: b.y1 + wy1, x2: b.x2 + wx1, y2: b.y2 + wy1 }));
  const near = exclude.filter((e) => e[0] < wx2 && wx1 < e[2] && e[1] < wy2 && wy1 < e[3]);
  const inside = (a: GlyphBox, b: GlyphBox): boolean => a !== b && a.x1 >= b.x1 && a.y1 >= b.y1 && a.x2 <= b.x2 && a.y2 <= b.y2;
  return all.filter((b) => {
    const h = b.y2 - b.y1;
    const w = b.x2 - b.x1;
    if (b.x1 <= wx1 || b.y1 <= wy1 || b.x2 >= wx2 || b.y2 >= wy2) return false;
    if (h < options.minHeight || h > options.maxHeight || w > 1.5 * options.maxHeight) return false;
    // A sliver is the side of a box or a rule, not a glyph ("1" has its flag, "l" alone is rare).
    if (w < 3 || w < 0.2 * h) return false;
    // Lone glyphs are about as wide as tall or narrower ("+", "×", digits); a wide flat mark is a
    // chevron or an arrow of a control.
    if (w > 1.4 * h) return false;
    if (near.some((e) => b.x1 < e[2] + 1 && e[0] - 1 < b.x2 && b.y1 < e[3] + 1 && e[1] - 1 < b.y2)) return false;
    if (all.some((o) => inside(o, b))) return false;
    return !hollowRectangle(gray, width, b, bg, t);
  });
}

/**
 * An outlined rectangle (empty checkbox, input, frame): ink in all four corners and none in the
 * interior more than 3 px from the edges. Round glyphs ("0", "O") leave their corners empty.
 */
export function hollowRectangle(gray: Uint8Array, width: number, b: GlyphBox, bg: number, t: number): boolean {
  const ink = (x: number, y: number): boolean => {
    const d = gray[y * width + x] - bg;
    return d > t || d < -t;
  };
  const corner = (cx: number, cy: number, dx: number, dy: number): boolean => {
    for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) if (ink(cx + j * dx, cy + k * dy)) return true;
    return false;
  };
  if (b.x2 - b.x1 < 8 || b.y2 - b.y1 < 8) return false;
  if (!(corner(b.x1, b.y1, 1, 1) && corner(b.x2 - 1, b.y1, -1, 1) && corner(b.x1, b.y2 - 1, 1, -1) && corner(b.x2 - 1, b.y2 - 1, -1, -1))) return false;
  for (let y = b.y1 + 3; y < b.y2 - 3; y++) for (let x = b.x1 + 3; x < b.x2 - 3; x++) if (ink(x, y)) return false;
  return true;
}

/** Blobs side by side on one baseline, closer than half their height, become one box ("12", "OK"). */
function mergeRuns(blobs: GlyphBox[]): GlyphBox[] {
  const sorted = [...blobs].sort((a, b) => a.x1 - b.x1);
  const out: GlyphBox[] = [];
  for (const b of sorted) {
    const last = out.find((o) => {
      const h = Math.max(o.y2 - o.y1, b.y2 - b.y1);
      const overlap = Math.min(o.y2, b.y2) - Math.max(o.y1, b.y1);
      return overlap >= 0.5 * Math.min(o.y2 - o.y1, b.y2 - b.y1) && b.x1 - o.x2 <= 0.5 * h && b.x1 >= o.x1;
    });
    if (last) {
      last.x2 = Math.max(last.x2, b.x2);
      last.y1 = Math.min(last.y1, b.y1);
      last.y2 = Math.max(last.y2, b.y2);
    } else out.push({ ...b });
  }
  return out;
}
