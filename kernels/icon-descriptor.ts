/**
 * A shape descriptor for small icons that survives scale, colour, stroke weight and theme.
 *
 * 1. Ink: how far each pixel's colour is from the crop's background (the median of its
 *    border ring), as a fraction of the strongest contrast. Colour and polarity (dark theme)
 *    drop out here: white-on-black and black-on-white give the same ink.
 * 2. Grid: the ink's bounding box is scaled, aspect kept, into a fixed GRID×GRID square, so
 *    the icon's size on screen drops out.
 * 3. Orientation histograms (HOG-like): unsigned gradient orientation in BINS bins, pooled
 *    bilinearly into CELLS×CELLS cells and, coarser, 2×2 cells. An outline stroke and the
 *    edge of a filled shape put edges at about the same places with the same orientations,
 *    so stroke weight and filled-vs-outline matter far less than they would to a pixel
 *    template. Each block is L2-normalized and clipped (one strong edge cannot dominate).
 *
 * Everything works in caller-provided typed arrays (IconScratch): no allocation per call.
 */

export const GRID = 32;
/** Margin left empty around the ink inside the grid (gradients need a border). */
export const GRID_PAD = 2;
export const CELLS = 4;
export const BINS = 8;
export const FINE_LEN = CELLS * CELLS * BINS;
export const COARSE_LEN = 2 * 2 * BINS;
export const DESC_LEN = FINE_LEN + COARSE_LEN;
/** Ink at or above this (0..1) counts for the bounding box. */
export const INK_BOX_THRESHOLD = 0.3;
/** Lowe's clip: no histogram component above this after normalizing. */
const CLIP = 0.25;

export interface IconScratch {
  /** Ink of a crop (up to MAX_CROP² pixels). */
  ink: Float32Array;
  grid: Float32Array;
  hist: Uint32Array;
}

export const MAX_CROP = 128;

export function iconScratch(): IconScratch {
  return { ink: new Float32Array(MAX_CROP * MAX_CROP), grid: new Float32Array(GRID * GRID), hist: new Uint32Array(3 * 256) };
}

/**
 * Ink of the RGB crop [x1, x2) × [y1, y2) of an image `width` wide, into `ink` (row-major,
 * crop-sized). The background is the per-channel median of the crop's outermost ring.
 * Returns the strongest contrast seen (0..255); 0 means a flat crop.
 */
export function inkFromRgb(
  rgb: Uint8Array,
  width: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  s: IconScratch,
): number {
  const cw = x2 - x1;
  const ch = y2 - y1;
  const hist = s.hist;
  hist.fill(0);
  let ring = 0;
  for (let y = y1; y < y2; y++) {
    const edgeRow = y === y1 || y === y2 - 1;
    for (let x = x1; x < x2; x += edgeRow || x === x2 - 1 ? 1 : cw - 1) {
      const p = (y * width + x) * 3;
      hist[rgb[p]]++;
      hist[256 + rgb[p + 1]]++;
      hist[512 + rgb[p + 2]]++;
      ring++;
      if (cw === 1) break;
    }
  }
  const br = median(hist, 0, ring);
  const bg = median(hist, 256, ring);
  const bb = median(hist, 512, ring);
  let max = 0;
  const ink = s.ink;
  for (let y = 0; y < ch; y++) {
    let p = ((y1 + y) * width + x1) * 3;
    for (let x = 0; x < cw; x++, p += 3) {
      const dr = Math.abs(rgb[p] - br);
      const dg = Math.abs(rgb[p + 1] - bg);
      const db = Math.abs(rgb[p + 2] - bb);
      const d = dr > dg ? (dr > db ? dr : db) : dg > db ? dg : db;
      ink[y * cw + x] = d;
      if (d > max) max = d;
    }
  }
  // Antialiased strokes rarely reach full contrast: 85% of the strongest counts as solid.
  const k = max > 0 ? 1 / (0.85 * max) : 0;
  for (let i = 0; i < cw * ch; i++) ink[i] = Math.min(1, ink[i] * k);
  return max;
}

function median(hist: Uint32Array, base: number, n: number): number {
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[base + v];
    if (2 * acc >= n) return v;
  }
  return 255;
}

/**
 * Scales the ink's bounding box (ink ≥ INK_BOX_THRESHOLD) of an inkW×inkH map into s.grid,
 * aspect kept, centred, GRID_PAD empty around. Area-averages when shrinking (k×k samples per
 * grid pixel), bilinear when growing. Returns false when there is no ink.
 */
export function inkToGrid(ink: Float32Array, inkW: number, inkH: number, grid: Float32Array): boolean {
  let bx1 = inkW;
  let by1 = inkH;
  let bx2 = -1;
  let by2 = -1;
  for (let y = 0; y < inkH; y++) {
    for (let x = 0; x < inkW; x++) {
      if (ink[y * inkW + x] >= INK_BOX_THRESHOLD) {
        if (x < bx1) bx1 = x;
        if (x > bx2) bx2 = x;
        if (y < by1) by1 = y;
        if (y > by2) by2 = y;
      }
    }
  }
  grid.fill(0);
  if (bx2 < 0) return false;
  const bw = bx2 - bx1 + 1;
  const bh = by2 - by1 + 1;
  const inner = GRID - 2 * GRID_PAD;
  const scale = inner / Math.max(bw, bh);
  const ox = (GRID - bw * scale) / 2;
  const oy = (GRID - bh * scale) / 2;
  const k = Math.min(4, Math.max(1, Math.ceil(1 / scale)));
  const inv = 1 / (k * k);
  for (let gy = 0; gy < GRID; gy++) {
    for (let gx = 0; gx < GRID; gx++) {
      let acc = 0;
      for (let sy = 0; sy < k; sy++) {
        const v = by1 + (gy + (sy + 0.5) / k - oy) / scale - 0.5;
        for (let sx = 0; sx < k; sx++) {
          const u = bx1 + (gx + (sx + 0.5) / k - ox) / scale - 0.5;
          acc += bilinear(ink, inkW, inkH, u, v);
        }
      }
      grid[gy * GRID + gx] = acc * inv;
    }
  }
  return true;
}

/** Bilinear sample with zero outside the map. */
function bilinear(img: Float32Array, w: number, h: number, u: number, v: number): number {
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const fx = u - x0;
  const fy = v - y0;
  const a = at(img, w, h, x0, y0);
  const b = at(img, w, h, x0 + 1, y0);
  const c = at(img, w, h, x0, y0 + 1);
  const d = at(img, w, h, x0 + 1, y0 + 1);
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

const at = (img: Float32Array, w: number, h: number, x: number, y: number): number =>
  x < 0 || y < 0 || x >= w || y >= h ? 0 : img[y * w + x];

/**
 * The orientation-histogram descriptor of a GRID×GRID ink grid, into out[0..DESC_LEN).
 * Fine block: CELLS×CELLS cells; coarse block: 2×2 cells; both with bilinear spatial and
 * orientation interpolation.
 */
export function describeGrid(grid: Float32Array, out: Float32Array, offset = 0): void {
  out.fill(0, offset, offset + DESC_LEN);
  const fineCell = GRID / CELLS;
  const coarseCell = GRID / 2;
  for (let y = 1; y < GRID - 1; y++) {
    for (let x = 1; x < GRID - 1; x++) {
      const gx = grid[y * GRID + x + 1] - grid[y * GRID + x - 1];
      const gy = grid[(y + 1) * GRID + x] - grid[(y - 1) * GRID + x];
      const mag = Math.sqrt(gx * gx + gy * gy);
      if (mag < 1e-4) continue;
      let theta = Math.atan2(gy, gx);
      if (theta < 0) theta += Math.PI;
      const fb = (theta / Math.PI) * BINS - 0.5;
      let b0 = Math.floor(fb);
      const wb = fb - b0;
      let b1 = b0 + 1;
      if (b0 < 0) b0 += BINS;
      if (b1 >= BINS) b1 -= BINS;
      pool(out, offset, CELLS, (x + 0.5) / fineCell - 0.5, (y + 0.5) / fineCell - 0.5, b0, b1, wb, mag);
      pool(out, offset + FINE_LEN, 2, (x + 0.5) / coarseCell - 0.5, (y + 0.5) / coarseCell - 0.5, b0, b1, wb, mag);
    }
  }
  normalizeBlock(out, offset, FINE_LEN);
  normalizeBlock(out, offset + FINE_LEN, COARSE_LEN);
}

/** Adds mag to the 4 cells around (cx, cy) and the 2 bins b0/b1, bilinearly. */
function pool(out: Float32Array, base: number, cells: number, cx: number, cy: number, b0: number, b1: number, wb: number, mag: number): void {
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const fx = cx - x0;
  const fy = cy - y0;
  for (let dy = 0; dy < 2; dy++) {
    const yy = y0 + dy;
    if (yy < 0 || yy >= cells) continue;
    const wy = dy ? fy : 1 - fy;
    for (let dx = 0; dx < 2; dx++) {
      const xx = x0 + dx;
      if (xx < 0 || xx >= cells) continue;
      const w = (dx ? fx : 1 - fx) * wy * mag;
      const cell = base + (yy * cells + xx) * BINS;
      out[cell + b0] += w * (1 - wb);
      out[cell + b1] += w * wb;
    }
  }
}

/** L2-normalize, clip at CLIP, L2-normalize again, and scale so the whole descriptor has unit norm over its two blocks. */
function normalizeBlock(v: Float32Array, off: number, len: number): void {
  for (let pass = 0; pass < 2; pass++) {
    let ss = 0;
    for (let i = off; i < off + len; i++) ss += v[i] * v[i];
    const k = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let i = off; i < off + len; i++) v[i] = pass === 0 ? Math.min(CLIP, v[i] * k) : v[i] * k * Math.SQRT1_2;
  }
}

/** Dot product of `query` with row `row` of `table` (DESC_LEN is a multiple of 4: four accumulators). */
export function dotRow(query: Float32Array, table: Float32Array, row: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0, b = row * DESC_LEN; i < DESC_LEN; i += 4, b += 4) {
    s0 += query[i] * table[b];
    s1 += query[i + 1] * table[b + 1];
    s2 += query[i + 2] * table[b + 2];
    s3 += query[i + 3] * table[b + 3];
  }
  return s0 + s1 + s2 + s3;
}

/**
 * The `k` best rows of `table` (rows of DESC_LEN floats) by dot product with `query`,
 * into outIndex/outScore, best first. Returns how many were filled.
 */
export function topDot(
  query: Float32Array,
  table: Float32Array,
  rows: number,
  k: number,
  outIndex: Int32Array,
  outScore: Float32Array,
): number {
  let filled = 0;
  for (let r = 0; r < rows; r++) {
    const s = dotRow(query, table, r);
    if (filled < k) filled++;
    else if (s <= outScore[k - 1]) continue;
    let j = filled - 1;
    while (j > 0 && outScore[j - 1] < s) {
      outScore[j] = outScore[j - 1];
      outIndex[j] = outIndex[j - 1];
      j--;
    }
    outScore[j] = s;
    outIndex[j] = r;
  }
  return filled;
}

/** The mean of `rows` descriptors, into `out`. */
export function meanRow(table: Float32Array, rows: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) for (let i = 0; i < DESC_LEN; i++) out[i] += table[r * DESC_LEN + i];
  for (let i = 0; i < DESC_LEN; i++) out[i] /= Math.max(1, rows);
}

/**
 * Subtracts `mean` from the descriptor at v[offset..] and scales it to unit length. Raw
 * descriptors are all non-negative and share much of their mass (every icon has edges of
 * every orientation somewhere), so their cosines crowd into 0.9–1; centred on the lexicon's
 * mean, what is particular to each icon carries the score.
 */
export function centre(v: Float32Array, mean: Float32Array, offset = 0): void {
  let ss = 0;
  for (let i = 0; i < DESC_LEN; i++) {
    const x = v[offset + i] - mean[i];
    v[offset + i] = x;
    ss += x * x;
  }
  const k = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let i = 0; i < DESC_LEN; i++) v[offset + i] *= k;
}
