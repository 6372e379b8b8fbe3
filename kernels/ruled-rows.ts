import type { GrayImage } from './gray.ts';

type Box = [number, number, number, number];

/**
 * Rows of `box` that are ruled lines (a table's row borders): most of their pixels differ from
 * the background. Across a whole row they would join every blob into one; a toggle never
 * spans that much.
 */
export function ruledRows(img: GrayImage, box: Box, bg: number): Uint8Array {
  const x1 = Math.max(0, Math.floor(box[0]));
  const y1 = Math.max(0, Math.floor(box[1]));
  const x2 = Math.min(img.width, Math.ceil(box[2]));
  const y2 = Math.min(img.height, Math.ceil(box[3]));
  const out = new Uint8Array(Math.max(0, y2 - y1));
  const span = x2 - x1;
  if (span < 8) return out;
  for (let y = y1; y < y2; y++) {
    let n = 0;
    for (let i = y * img.width + x1, end = y * img.width + x2; i < end; i++) {
      const d = img.data[i] - bg;
      if (d > 8 || d < -8) n++;
    }
    if (n >= 0.7 * span) out[y - y1] = 1;
  }
  return out;
}
