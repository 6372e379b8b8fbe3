import type { GrayImage } from './gray.ts';

type Box = [number, number, number, number];

/** The thickest a ruled line is drawn, in rows. */
const MAX_RULE_ROWS = 3;

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
  // A rule is a line or two; a thick run is a region (a sidebar's highlighted row across the band).
  for (let start = 0; start < out.length; ) {
    if (!out[start]) {
      start++;
      continue;
    }
    let end = start;
    while (end < out.length && out[end]) end++;
    if (end - start > MAX_RULE_ROWS) out.fill(0, start, end);
    start = end;
  }
  return out;
}
