/**
 * Detection post-processing for axis-aligned screen text (DB-style): threshold the
 * probability map, label 8-connected components, score each by the mean probability inside
 * its bounding box, and expand ("unclip") the shrunken text kernel back to the text extent.
 */

export interface DetBox {
  /** Kernel bounding box in map pixels, exclusive ends. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Mean probability over the kernel's bounding box. */
  score: number;
}

export interface DetBoxOptions {
  /** Pixels with probability above this are text (PaddleOCR: 0.3). */
  threshold: number;
  /** Boxes scoring below this are dropped (PaddleOCR: 0.6). */
  boxThreshold: number;
  /** Kernels whose shorter side is below this are dropped (PaddleOCR: 3). */
  minSize: number;
}

export const DEFAULT_DET_BOX_OPTIONS: DetBoxOptions = { threshold: 0.3, boxThreshold: 0.6, minSize: 3 };

/** mask[i] = prob[i] > threshold. */
export function binarize(prob: Float32Array, length: number, threshold: number, mask: Uint8Array): void {
  for (let i = 0; i < length; i++) mask[i] = prob[i] > threshold ? 1 : 0;
}

/**
 * Bounding boxes of the 8-connected components of `mask` (w×h), scanning in raster order.
 * `stack` is scratch space of at least w·h entries; `mask` is consumed (set to 0).
 */
export function componentBoxes(
  mask: Uint8Array,
  w: number,
  h: number,
  stack: Int32Array,
): Array<{ x1: number; y1: number; x2: number; y2: number }> {
  const boxes: Array<{ x1: number; y1: number; x2: number; y2: number }> = [];
  const n = w * h;
  for (let start = 0; start < n; start++) {
    if (!mask[start]) continue;
    mask[start] = 0;
    let top = 0;
    stack[top++] = start;
    let x1 = w;
    let y1 = h;
    let x2 = -1;
    let y2 = -1;
    while (top) {
      const p = stack[--top];
      const y = (p / w) | 0;
      const x = p - y * w;
      if (x < x1) x1 = x;
      if (x > x2) x2 = x;
      if (y < y1) y1 = y;
      if (y > y2) y2 = y;
      const yLo = y > 0 ? y - 1 : 0;
      const yHi = y < h - 1 ? y + 1 : y;
      const xLo = x > 0 ? x - 1 : 0;
      const xHi = x < w - 1 ? x + 1 : x;
      for (let ny = yLo; ny <= yHi; ny++) {
        for (let nx = xLo, q = ny * w + xLo; nx <= xHi; nx++, q++) {
          if (mask[q]) {
            mask[q] = 0;
            stack[top++] = q;
          }
        }
      }
    }
    boxes.push({ x1, y1, x2: x2 + 1, y2: y2 + 1 });
  }
  return boxes;
}

/** Mean of `prob` (w wide) over the box [x1,x2)×[y1,y2). */
export function boxScore(prob: Float32Array, w: number, x1: number, y1: number, x2: number, y2: number): number {
  let sum = 0;
  for (let y = y1; y < y2; y++) {
    for (let i = y * w + x1, end = y * w + x2; i < end; i++) sum += prob[i];
  }
  const area = (x2 - x1) * (y2 - y1);
  return area > 0 ? sum / area : 0;
}

/** Scored, size-filtered text kernels of one probability map. */
export function detectBoxes(
  prob: Float32Array,
  w: number,
  h: number,
  options: DetBoxOptions,
  mask: Uint8Array,
  stack: Int32Array,
): DetBox[] {
  binarize(prob, w * h, options.threshold, mask);
  const out: DetBox[] = [];
  for (const b of componentBoxes(mask, w, h, stack)) {
    if (Math.min(b.x2 - b.x1, b.y2 - b.y1) < options.minSize) continue;
    const score = boxScore(prob, w, b.x1, b.y1, b.x2, b.y2);
    if (score >= options.boxThreshold) out.push({ ...b, score });
  }
  return out;
}

/**
 * The DB unclip distance for a rectangle: area·ratio / perimeter (PaddleOCR: ratio 1.5).
 * The kernel is grown by this distance on every side.
 */
export function unclipDistance(width: number, height: number, ratio: number): number {
  const perimeter = 2 * (width + height);
  return perimeter > 0 ? (width * height * ratio) / perimeter : 0;
}

/** Largest gap between two kernels of one line, in kernel heights, that still joins them. */
export const LINE_FRAGMENT_GAP = 1;

/**
 * Joins kernels that are pieces of one line. The probability map sometimes dips between two
 * words ("Item" | "73", kernels 1 px apart), and reading the pieces apart loses the phrase.
 * Two kernels join when they share a row (each overlaps the other by 70% of the lower one's
 * height, heights within 1.3×) and the gap between them is under LINE_FRAGMENT_GAP heights:
 * well below the space between two buttons or two table columns, which stay apart.
 */
export function joinLineFragments(boxes: readonly DetBox[]): DetBox[] {
  // Boxes that may join overlap vertically, so they fall in one band of vertically chained boxes.
  const byTop = [...boxes].sort((a, b) => a.y1 - b.y1);
  const out: DetBox[] = [];
  for (let start = 0; start < byTop.length; ) {
    let end = start + 1;
    for (let bottom = byTop[start].y2; end < byTop.length && byTop[end].y1 < bottom; end++) bottom = Math.max(bottom, byTop[end].y2);
    out.push(...joinInBand(byTop.slice(start, end)));
    start = end;
  }
  return out;
}

function joinInBand(band: DetBox[]): DetBox[] {
  // Sorted by left edge, a box only meets the boxes that start before its right edge plus the
  // largest joinable gap: the inner scan stops there. A box that grew is scanned again.
  const out = band.sort((a, b) => a.x1 - b.x1);
  for (let i = 0; i < out.length; i++) {
    for (let grew = true; grew; ) {
      grew = false;
      const a = out[i];
      const ha = a.y2 - a.y1;
      for (let j = i + 1; j < out.length; j++) {
        const b = out[j];
        if (b.x1 - a.x2 > LINE_FRAGMENT_GAP * ha) break;
        const hb = b.y2 - b.y1;
        const low = Math.min(ha, hb);
        const overlap = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
        const gap = Math.max(a.x1, b.x1) - Math.min(a.x2, b.x2);
        if (overlap < 0.7 * low || Math.max(ha, hb) > 1.3 * low || gap > LINE_FRAGMENT_GAP * low) continue;
        const areaA = (a.x2 - a.x1) * ha;
        const areaB = (b.x2 - b.x1) * hb;
        out[i] = {
          x1: a.x1,
          y1: Math.min(a.y1, b.y1),
          x2: Math.max(a.x2, b.x2),
          y2: Math.max(a.y2, b.y2),
          score: (a.score * areaA + b.score * areaB) / (areaA + areaB),
        };
        out.splice(j, 1);
        grew = true;
        break;
      }
    }
  }
  return out;
}
