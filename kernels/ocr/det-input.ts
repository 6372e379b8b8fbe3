/**
 * Detection input: which parts of a screen to run the text detector on, and how to
 * fill the detector's input tensor (ImageNet-normalized CHW float32, sides multiples of 32).
 *
 * Screens are mostly flat background. Running the detector only over text-bearing
 * rectangles (found by a recursive XY-cut over a grid of tiles with glyph-like edges) saves most of the
 * detection time on sparse pages; each rectangle is a pure function of the pixels it covers,
 * which is what lets incremental OCR reuse detection results exactly.
 */
import { blendRow, columnTaps } from './bilinear.ts';
import type { TileRect } from './det-tiles.ts';

/** Rectangle in detector coordinates (image pixels times the detection scale). */
export interface DetRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  /**
   * Detector rows [keepY1, keepY2) whose lines this region reports (by kernel centre), when it is
   * one band of a taller region (see detBands); all of its lines when absent.
   */
  keepY1?: number;
  keepY2?: number;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
/** Per channel: value = byte * MUL + ADD  ==  (byte / 255 - mean) / std. */
const DET_MUL = IMAGENET_STD.map((s) => 1 / (255 * s));
const DET_ADD = IMAGENET_MEAN.map((m, c) => -m / IMAGENET_STD[c]);

export const DET_ALIGN = 32;

export const alignUp = (v: number, a = DET_ALIGN): number => Math.max(a, Math.ceil(v / a) * a);

/**
 * Detector regions for an image: content leaves expanded by `margin` image pixels, mapped to
 * detector coordinates, sides rounded up to multiples of 32, overlapping ones merged.
 * Falls back to one whole-image region when the regions would cover most of it anyway.
 */
export function detRegions(
  leaves: TileRect[],
  tile: number,
  imageWidth: number,
  imageHeight: number,
  scale: number,
  margin: number,
): DetRegion[] {
  const fullW = alignUp(imageWidth * scale);
  const fullH = alignUp(imageHeight * scale);
  let rects = leaves.map((l) => {
    const x = Math.max(0, Math.floor((l.x0 * tile - margin) * scale));
    const y = Math.max(0, Math.floor((l.y0 * tile - margin) * scale));
    const x2 = Math.min(imageWidth * scale, (l.x1 * tile + margin) * scale);
    const y2 = Math.min(imageHeight * scale, (l.y1 * tile + margin) * scale);
    return { x, y, width: alignUp(x2 - x), height: alignUp(y2 - y) };
  });
  rects = mergeOverlapping(rects);
  const area = rects.reduce((s, r) => s + r.width * r.height, 0);
  if (rects.length === 0) return [];
  if (area >= 0.7 * fullW * fullH) return [{ x: 0, y: 0, width: fullW, height: fullH }];
  return rects.sort((a, b) => a.y - b.y || a.x - b.x);
}

/**
 * Splits each region larger than `maxArea` detector px into horizontal bands of equal height
 * (multiples of 32), neighbours overlapping by at least 2·`overlap` rows. Two neighbours are cut
 * at a seam row at least overlap/2 rows inside both: the one with the least `seamCost` (ties:
 * nearest the middle), a row between text lines where there is one. A band reports the lines
 * whose kernel centre lies between its seams (keepY1/keepY2), so every line is read once, from
 * a band that sees all of it plus overlap/2 rows of context. Why between lines: the two bands'
 * detections of a line often differ a little (a kernel split in two in one of them), and a cut
 * through a line could keep half of each ("Categor" from one band, "ies" from the other).
 * A band's lines stay a pure function of the pixels it covers (incremental OCR reuses them).
 *
 * Why: the detector's activations grow with its input; on a whole 1080p screen they peak near
 * 0.5 GB (no memory arena) and glibc keeps much of that mapped afterwards.
 * `seamCost(row, region)` rates a detector row as a place to cut (see rowEdgeCost).
 */
export function detBands(
  regions: DetRegion[],
  maxArea: number,
  overlap: number,
  seamCost: (row: number, region: DetRegion) => number,
): DetRegion[] {
  return regions.flatMap((r) => {
    if (r.width * r.height <= maxArea) return [r];
    const maxRows = Math.max(alignUp(2 * overlap) + 2 * DET_ALIGN, Math.floor(maxArea / r.width / DET_ALIGN) * DET_ALIGN);
    const n = Math.max(2, Math.ceil((r.height - 2 * overlap) / (maxRows - 2 * overlap)));
    // n bands of height h cover the region with n-1 overlaps of h - step >= 2·overlap rows each.
    const h = alignUp(Math.ceil((r.height + 2 * overlap * (n - 1)) / n));
    if (h >= r.height) return [r];
    const tops = Array.from({ length: n }, (_, i) => r.y + Math.round((i * (r.height - h)) / (n - 1)));
    const seams = tops.slice(1).map((top, i) => {
      const lo = top + (overlap >> 1);
      const hi = tops[i] + h - (overlap >> 1);
      const mid = (lo + hi) / 2;
      let best = lo;
      let bestCost = Infinity;
      for (let y = lo; y < hi; y++) {
        const cost = seamCost(y, r);
        if (cost < bestCost || (cost === bestCost && Math.abs(y - mid) < Math.abs(best - mid))) {
          best = y;
          bestCost = cost;
        }
      }
      return best;
    });
    return tops.map((y, i) => ({
      x: r.x,
      y,
      width: r.width,
      height: h,
      keepY1: i === 0 ? y : seams[i - 1],
      keepY2: i === n - 1 ? y + h : seams[i],
    }));
  });
}

/**
 * The rows of a detector region (or band) to detect again when only its rows [y1, y2) changed,
 * or undefined when that would not save much (the whole region is then detected again).
 * The rows kept from the new detection run from a seam above the change to one below it, each
 * the row of least `seamCost` within overlap/2 rows of the change (ties: nearest it), never beyond
 * the region's own keep range; the band sees overlap/2 rows beyond each seam, as a band of
 * detBands does. Its other lines stay as the region's last detection found them. So the change's
 * lines are detected as a band would detect them, not bit for bit as the whole region would: the
 * detector pools over its whole input, and any other window moves its scores a little (measured
 * on the dense bench page: the same text and boxes, confidences within 0.03).
 */
export function changeBand(
  region: DetRegion,
  y1: number,
  y2: number,
  overlap: number,
  seamCost: (row: number, region: DetRegion) => number,
  maxShare = 0.6,
): DetRegion | undefined {
  const bottom = region.y + region.height;
  const keep1 = region.keepY1 ?? region.y;
  const keep2 = region.keepY2 ?? bottom;
  const reach = overlap >> 1;
  const cheapest = (from: number, to: number, near: number): number => {
    let best = near;
    let bestCost = Infinity;
    for (let y = from; y <= to; y++) {
      const cost = seamCost(y, region);
      if (cost < bestCost || (cost === bestCost && Math.abs(y - near) < Math.abs(best - near))) [best, bestCost] = [y, cost];
    }
    return best;
  };
  const seam1 = y1 - reach <= keep1 ? keep1 : cheapest(y1 - reach, y1, y1);
  const seam2 = y2 + reach >= keep2 ? keep2 : cheapest(y2, y2 + reach, y2);
  // On the region's own 32-row grid: the detector's strided layers then sample the same pixels.
  const top = region.y + Math.max(0, Math.floor((seam1 - reach - region.y) / DET_ALIGN) * DET_ALIGN);
  const height = Math.min(region.height, alignUp(Math.min(bottom, seam2 + reach) - top));
  if (height > maxShare * region.height) return undefined;
  const y = Math.min(top, bottom - height);
  return { x: region.x, y, width: region.width, height, keepY1: seam1, keepY2: seam2 };
}

/**
 * Seam cost of a detector row: luminance steps above `edgeTolerance` along the image rows it
 * samples, within the region's columns; 0 on a row of flat background between text lines.
 */
export function rowEdgeCost(
  gray: Uint8Array,
  width: number,
  height: number,
  scale: number,
  edgeTolerance: number,
  row: number,
  region: DetRegion,
): number {
  const x1 = Math.max(1, Math.floor(region.x / scale));
  const x2 = Math.min(width, Math.ceil((region.x + region.width) / scale));
  const y2 = Math.min(height, Math.ceil((row + 1) / scale));
  let cost = 0;
  for (let y = Math.max(0, Math.floor(row / scale)); y < y2; y++) {
    for (let i = y * width + x1, end = y * width + x2; i < end; i++) {
      const d = gray[i] - gray[i - 1];
      if (d > edgeTolerance || d < -edgeTolerance) cost++;
    }
  }
  return cost;
}

function overlaps(a: DetRegion, b: DetRegion): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function mergeOverlapping(rects: DetRegion[]): DetRegion[] {
  const out = rects.slice();
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < out.length && !changed; i++) {
      for (let j = i + 1; j < out.length; j++) {
        if (!overlaps(out[i], out[j])) continue;
        const a = out[i];
        const b = out[j];
        const x = Math.min(a.x, b.x);
        const y = Math.min(a.y, b.y);
        out[i] = {
          x,
          y,
          width: alignUp(Math.max(a.x + a.width, b.x + b.width) - x),
          height: alignUp(Math.max(a.y + a.height, b.y + b.height) - y),
        };
        out.splice(j, 1);
        changed = true;
        break;
      }
    }
  }
  return out;
}

/**
 * Fills `out` (length ≥ 3·region.width·region.height) with the detector input for a region:
 * RGB resampled bilinearly at `scale` (exact copy at scale 1), pixels beyond the image
 * replicate its edge, ImageNet-normalized, planar CHW.
 */
export function fillDetInput(
  rgb: Uint8Array,
  width: number,
  height: number,
  region: DetRegion,
  scale: number,
  out: Float32Array,
): void {
  const { width: rw, height: rh } = region;
  const plane = rw * rh;
  const [m0, m1, m2] = DET_MUL;
  const [a0, a1, a2] = DET_ADD;
  if (scale === 1) {
    // Every tap lands on a pixel (weights 1, 0, 0, 0): the same values, 3x faster.
    for (let y = 0; y < rh; y++) {
      const row = Math.min(height - 1, Math.max(0, region.y + y)) * width;
      for (let x = 0, o = y * rw; x < rw; x++, o++) {
        const p = (row + Math.min(width - 1, Math.max(0, region.x + x))) * 3;
        out[o] = rgb[p] * m0 + a0;
        out[o + plane] = rgb[p + 1] * m1 + a1;
        out[o + 2 * plane] = rgb[p + 2] * m2 + a2;
      }
    }
    return;
  }
  const inv = 1 / scale;
  const taps = columnTaps(rw, width, (x) => (region.x + x + 0.5) * inv - 0.5);
  for (let y = 0; y < rh; y++) {
    const sy = Math.min(height - 1, Math.max(0, (region.y + y + 0.5) * inv - 0.5));
    const y0 = Math.floor(sy);
    blendRow(rgb, width, y0, Math.min(height - 1, y0 + 1), sy - y0, taps, DET_MUL, DET_ADD, out, y * rw, plane);
  }
}
