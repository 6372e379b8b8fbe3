/**
 * Recognition input: crops resized to height 48 (magnified at most `maxScale`) with
 * proportional width, normalized to [-1, 1], zero-padded (normalized grey, as PaddleOCR pads) to a bucket width so that each
 * crop's tensor depends on the crop alone, whatever batch it lands in.
 */
import { LUMA_B, LUMA_G, LUMA_R } from '../gray.ts';
import { blendRow, columnTaps } from './bilinear.ts';

export const REC_HEIGHT = 48;
/** The recognizer emits one timestep per 8 input columns. */
export const REC_STRIDE = 8;
/** Crop widths are padded up to multiples of this; crops of one bucket are batched together. */
export const REC_BUCKET = 32;

/** Crop in image pixels, float, exclusive ends. */
export interface CropBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Where a crop lands in the 48-row input. */
export interface RecGeometry {
  /** Input pixels per image pixel (both axes: aspect is preserved). */
  scale: number;
  /** Columns and rows the crop occupies; rows are vertically centred. */
  contentWidth: number;
  contentHeight: number;
  top: number;
}

/**
 * Crop placement: height scaled to 48, unless that would magnify by more than `maxScale`;
 * then the crop is scaled by `maxScale` and centred with background above and below.
 * Small screen text magnified 3x costs 3x the recognizer time and reads no better.
 */
export function recGeometry(box: CropBox, maxScale: number): RecGeometry {
  const h = box.y2 - box.y1;
  const w = box.x2 - box.x1;
  const scale = Math.min(REC_HEIGHT / h, maxScale);
  const contentHeight = Math.min(REC_HEIGHT, Math.max(1, Math.round(h * scale)));
  return {
    scale,
    contentWidth: Math.max(REC_STRIDE, Math.round(w * scale)),
    contentHeight,
    top: (REC_HEIGHT - contentHeight) >> 1,
  };
}

export const recBucketWidth = (contentWidth: number): number => Math.ceil(contentWidth / REC_BUCKET) * REC_BUCKET;

/**
 * Most frequent value per channel on the border of a crop: the background to pad with.
 * `hist` is 768 scratch counters.
 */
export function cropBackground(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: CropBox,
  hist: Uint32Array,
): [number, number, number] {
  const x1 = Math.max(0, Math.min(width - 1, Math.floor(box.x1)));
  const x2 = Math.max(x1 + 1, Math.min(width, Math.ceil(box.x2)));
  const y1 = Math.max(0, Math.min(height - 1, Math.floor(box.y1)));
  const y2 = Math.max(y1 + 1, Math.min(height, Math.ceil(box.y2)));
  hist.fill(0);
  const add = (x: number, y: number): void => {
    const p = (y * width + x) * 3;
    hist[rgb[p]]++;
    hist[256 + rgb[p + 1]]++;
    hist[512 + rgb[p + 2]]++;
  };
  for (let x = x1; x < x2; x++) {
    add(x, y1);
    add(x, y2 - 1);
  }
  for (let y = y1; y < y2; y++) {
    add(x1, y);
    add(x2 - 1, y);
  }
  const mode = (base: number): number => {
    let best = 0;
    for (let v = 1; v < 256; v++) if (hist[base + v] > hist[base + best]) best = v;
    return best;
  };
  return [mode(0), mode(256), mode(512)];
}

/**
 * Writes one crop into `out` at `offset` (a [3, 48, bucketWidth] slab): bilinear resample of
 * `box` into the rows/columns of `geom`, `pad` (RGB bytes) above and below it, (v / 127.5 - 1),
 * zeros (PaddleOCR's padding) right of the content.
 */
/** Recognizer input normalization: x / 127.5 - 1, as the per-channel affine blendRow applies. */
const REC_MUL = [1 / 127.5, 1 / 127.5, 1 / 127.5] as const;
const REC_ADD = [-1, -1, -1] as const;

export function fillRecInput(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: CropBox,
  geom: RecGeometry,
  pad: readonly [number, number, number],
  bucketWidth: number,
  out: Float32Array,
  offset: number,
): void {
  const plane = REC_HEIGHT * bucketWidth;
  const { contentWidth, contentHeight, top } = geom;
  const sxScale = (box.x2 - box.x1) / contentWidth;
  const syScale = (box.y2 - box.y1) / contentHeight;
  const k = 1 / 127.5;
  const pr = pad[0] * k - 1;
  const pg = pad[1] * k - 1;
  const pb = pad[2] * k - 1;
  const taps = columnTaps(contentWidth, width, (x) => box.x1 + (x + 0.5) * sxScale - 0.5);
  for (let y = 0; y < REC_HEIGHT; y++) {
    let o = offset + y * bucketWidth;
    const cy = y - top;
    if (cy < 0 || cy >= contentHeight) {
      for (let x = 0; x < contentWidth; x++, o++) {
        out[o] = pr;
        out[o + plane] = pg;
        out[o + 2 * plane] = pb;
      }
    } else {
      const sy = Math.min(height - 1, Math.max(0, box.y1 + (cy + 0.5) * syScale - 0.5));
      const y0 = Math.floor(sy);
      blendRow(rgb, width, y0, Math.min(height - 1, y0 + 1), sy - y0, taps, REC_MUL, REC_ADD, out, o, plane);
      o += contentWidth;
    }
    for (let x = contentWidth; x < bucketWidth; x++, o++) {
      out[o] = 0;
      out[o + plane] = 0;
      out[o + 2 * plane] = 0;
    }
  }
}

/**
 * Groups crop indices into batches: same bucket width only (so padding never depends on the
 * batch), at most `maxColumns` input columns per batch. Returns batches ordered by width.
 */
export function planRecBatches(bucketWidths: ArrayLike<number>, maxColumns: number): number[][] {
  const order = Array.from({ length: bucketWidths.length }, (_, i) => i).sort(
    (a, b) => bucketWidths[a] - bucketWidths[b] || a - b,
  );
  const batches: number[][] = [];
  let current: number[] = [];
  let currentWidth = -1;
  for (const i of order) {
    const w = bucketWidths[i];
    if (current.length && (w !== currentWidth || (current.length + 1) * w > maxColumns)) {
      batches.push(current);
      current = [];
    }
    current.push(i);
    currentWidth = w;
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * Where to cut a crop wider than `maxWidth` image px into narrower pieces: at the middles of
 * blank column runs at least `minGap` px wide (no pixel of the column, within the crop, differs
 * in luminance from the background `bg` by more than `inkThreshold`), each time at the last
 * such run within reach. Returns the cut x positions (image px, ascending); none when the crop
 * fits or has no gap to cut at. `cols` is scratch of at least the crop's width.
 */
export function recSplits(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: CropBox,
  bg: readonly [number, number, number],
  maxWidth: number,
  minGap: number,
  inkThreshold: number,
  cols: Uint8Array,
): number[] {
  if (box.x2 - box.x1 <= maxWidth) return [];
  const x1 = Math.max(0, Math.floor(box.x1));
  const x2 = Math.min(width, Math.ceil(box.x2));
  const y1 = Math.max(0, Math.ceil(box.y1));
  const y2 = Math.min(height, Math.floor(box.y2));
  const bgLum = bg[0] * LUMA_R + bg[1] * LUMA_G + bg[2] * LUMA_B;
  const t = inkThreshold * 256;
  const n = x2 - x1;
  cols.fill(0, 0, n);
  for (let y = y1; y < y2; y++) {
    for (let x = x1, p = (y * width + x1) * 3; x < x2; x++, p += 3) {
      const d = rgb[p] * LUMA_R + rgb[p + 1] * LUMA_G + rgb[p + 2] * LUMA_B - bgLum;
      if (d > t || d < -t) cols[x - x1] = 1;
    }
  }
  // Middles of the blank runs wide enough to cut at.
  const gaps: number[] = [];
  for (let i = 0; i < n; ) {
    if (cols[i]) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && !cols[i]) i++;
    if (i - start >= minGap && start > 0 && i < n) gaps.push(x1 + (start + i) / 2);
  }
  const cuts: number[] = [];
  let from = box.x1;
  while (box.x2 - from > maxWidth) {
    let cut: number | undefined;
    for (const g of gaps) if (g > from + minGap && g <= from + maxWidth) cut = g;
    if (cut === undefined) break;
    cuts.push(cut);
    from = cut;
  }
  return cuts;
}
