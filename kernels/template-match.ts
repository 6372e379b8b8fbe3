/**
 * Normalized cross-correlation (NCC) template matching on grayscale images: an exhaustive
 * search on a downscaled pyramid level, then a refinement at full resolution around the best
 * coarse peaks. Window sums come from integral images, so each position costs one pass over
 * the template (for the cross term) and O(1) for the window's mean and variance.
 */
import type { GrayImage } from './gray.ts';

export interface TemplateHit {
  /** Top-left of the matched window in image pixels. */
  x: number;
  y: number;
  /** NCC in -1..1; 1 is a perfect match up to brightness and contrast. */
  score: number;
}

/** Halves width and height by averaging 2×2 blocks (odd last row/column dropped). */
export function downsample2(img: GrayImage): GrayImage {
  const w = img.width >> 1;
  const h = img.height >> 1;
  const out = new Uint8Array(w * h);
  const src = img.data;
  const sw = img.width;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * sw;
    const r1 = r0 + sw;
    for (let x = 0; x < w; x++) {
      const c = 2 * x;
      out[y * w + x] = (src[r0 + c] + src[r0 + c + 1] + src[r1 + c] + src[r1 + c + 1] + 2) >> 2;
    }
  }
  return { data: out, width: w, height: h };
}

/** Bilinear resize (for matching a template captured at another scale). */
export function resizeGray(img: GrayImage, width: number, height: number): GrayImage {
  const out = new Uint8Array(width * height);
  const sx = img.width / width;
  const sy = img.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const wx = fx - x0;
      const a = img.data[y0 * img.width + x0] * (1 - wx) + img.data[y0 * img.width + x1] * wx;
      const b = img.data[y1 * img.width + x0] * (1 - wx) + img.data[y1 * img.width + x1] * wx;
      out[y * width + x] = Math.round(a * (1 - wy) + b * wy);
    }
  }
  return { data: out, width, height };
}

/** Integral images of values and squared values, (w+1)×(h+1), row-major. */
export interface Integrals {
  sum: Float64Array;
  sq: Float64Array;
  stride: number;
}

export function integrals(img: GrayImage): Integrals {
  const stride = img.width + 1;
  const sum = new Float64Array(stride * (img.height + 1));
  const sq = new Float64Array(stride * (img.height + 1));
  for (let y = 0; y < img.height; y++) {
    let rs = 0;
    let rq = 0;
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x];
      rs += v;
      rq += v * v;
      const k = (y + 1) * stride + x + 1;
      sum[k] = sum[k - stride] + rs;
      sq[k] = sq[k - stride] + rq;
    }
  }
  return { sum, sq, stride };
}

/** The template minus its mean, and the sum of its squared deviations (0 for a flat template). */
export interface PreparedTemplate {
  img: GrayImage;
  centred: Float32Array;
  energy: number;
}

export function prepareTemplate(tpl: GrayImage): PreparedTemplate {
  const n = tpl.width * tpl.height;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += tpl.data[i];
  mean /= n || 1;
  const centred = new Float32Array(n);
  let energy = 0;
  for (let i = 0; i < n; i++) {
    const d = tpl.data[i] - mean;
    centred[i] = d;
    energy += d * d;
  }
  return { img: tpl, centred, energy };
}

/** NCC of the template at top-left (x, y); 0 where the window or template is flat. */
export function nccAt(img: GrayImage, ii: Integrals, t: PreparedTemplate, x: number, y: number): number {
  const tw = t.img.width;
  const th = t.img.height;
  const n = tw * th;
  const s = ii.stride;
  const a = y * s + x;
  const b = a + tw;
  const c = (y + th) * s + x;
  const d = c + tw;
  const sum = ii.sum[d] - ii.sum[b] - ii.sum[c] + ii.sum[a];
  const sq = ii.sq[d] - ii.sq[b] - ii.sq[c] + ii.sq[a];
  const varSum = sq - (sum * sum) / n;
  if (varSum <= 1e-6 * n || t.energy <= 0) return 0;
  let cross = 0;
  const data = img.data;
  const w = img.width;
  const tc = t.centred;
  for (let ty = 0; ty < th; ty++) {
    const row = (y + ty) * w + x;
    const trow = ty * tw;
    for (let tx = 0; tx < tw; tx++) cross += data[row + tx] * tc[trow + tx];
  }
  return cross / Math.sqrt(varSum * t.energy);
}

/** NCC at every valid top-left position, (W-w+1)×(H-h+1), row-major. */
export function nccMap(img: GrayImage, tpl: GrayImage): { scores: Float32Array; width: number; height: number } {
  const width = img.width - tpl.width + 1;
  const height = img.height - tpl.height + 1;
  if (width <= 0 || height <= 0) return { scores: new Float32Array(0), width: 0, height: 0 };
  const ii = integrals(img);
  const t = prepareTemplate(tpl);
  const scores = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) scores[y * width + x] = nccAt(img, ii, t, x, y);
  return { scores, width, height };
}

/** The `k` best positions of a score map, at least `minDist` apart (greedy non-maximum suppression). */
function topPeaks(map: { scores: Float32Array; width: number }, k: number, minDist: number): TemplateHit[] {
  const peaks: TemplateHit[] = [];
  const { scores, width } = map;
  for (let pick = 0; pick < k; pick++) {
    let bestI = -1;
    let bestS = -Infinity;
    for (let i = 0; i < scores.length; i++) {
      if (scores[i] <= bestS) continue;
      const x = i % width;
      const y = (i - x) / width;
      let suppressed = false;
      for (const p of peaks) if (Math.abs(p.x - x) < minDist && Math.abs(p.y - y) < minDist) suppressed = true;
      if (suppressed) continue;
      bestS = scores[i];
      bestI = i;
    }
    if (bestI < 0) break;
    peaks.push({ x: bestI % width, y: Math.floor(bestI / width), score: bestS });
  }
  return peaks;
}

export interface MatchOptions {
  /** Coarse peaks refined at full resolution. */
  candidates?: number;
  /** Smallest template side allowed on the coarse level; fixes how many times to halve. */
  minCoarseSide?: number;
  maxLevels?: number;
}

/** Pyramid levels to halve: as many as keep the template at least minCoarseSide pixels. */
export function coarseLevels(tpl: GrayImage, minCoarseSide = 8, maxLevels = 3): number {
  let levels = 0;
  let side = Math.min(tpl.width, tpl.height);
  while (levels < maxLevels && side / 2 >= minCoarseSide) {
    side /= 2;
    levels++;
  }
  return levels;
}

/**
 * Best NCC match of `tpl` in `img`, or null when the template does not fit or has no contrast.
 * Coarse exhaustive search on a downscaled copy, then full-resolution search around the peaks.
 */
export function matchTemplate(img: GrayImage, tpl: GrayImage, options: MatchOptions = {}): TemplateHit | null {
  if (tpl.width > img.width || tpl.height > img.height || tpl.width < 1 || tpl.height < 1) return null;
  const full = prepareTemplate(tpl);
  if (full.energy <= 0) return null;
  const levels = coarseLevels(tpl, options.minCoarseSide ?? 8, options.maxLevels ?? 3);
  let cImg = img;
  let cTpl = tpl;
  for (let l = 0; l < levels; l++) {
    cImg = downsample2(cImg);
    cTpl = downsample2(cTpl);
  }
  const f = 1 << levels;
  const seeds =
    levels === 0
      ? [{ x: 0, y: 0, score: 0 }]
      : topPeaks(nccMap(cImg, cTpl), options.candidates ?? 6, Math.max(2, Math.min(cTpl.width, cTpl.height) >> 1));
  const ii = integrals(img);
  const maxX = img.width - tpl.width;
  const maxY = img.height - tpl.height;
  let best: TemplateHit | null = null;
  for (const p of seeds) {
    const r = levels === 0 ? Math.max(maxX, maxY) : f + 1;
    const cx = p.x * f;
    const cy = p.y * f;
    for (let y = Math.max(0, cy - r); y <= Math.min(maxY, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x <= Math.min(maxX, cx + r); x++) {
        const s = nccAt(img, ii, full, x, y);
        if (!best || s > best.score) best = { x, y, score: s };
      }
    }
  }
  return best;
}
