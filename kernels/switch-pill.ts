import type { GrayImage } from './gray.ts';

type Box = [number, number, number, number];

/**
 * A switch drawn at the end of a text's box: OCR sometimes stretches a label's last word over
 * the switch right after it ("Only my issues ⬭"). The last run of ink columns in the box, after
 * a blank gap, is a switch when it is a solid pill: wider than tall (1.5–4×), about as tall as
 * the text or taller, and mostly filled (a word's letters fill well under half their box).
 */
export function pillAtEnd(img: GrayImage, box: Box, bg: number): Box | null {
  const x1 = Math.max(0, Math.floor(box[0]));
  const x2 = Math.min(img.width, Math.ceil(box[2]));
  const h = box[3] - box[1];
  // The pill may stand a little taller than the text box.
  const y1 = Math.max(0, Math.floor(box[1] - 0.3 * h));
  const y2 = Math.min(img.height, Math.ceil(box[3] + 0.3 * h));
  const ink = (x: number, y: number): boolean => {
    const d = img.data[y * img.width + x] - bg;
    return d > 24 || d < -24;
  };
  const columnInk = (x: number): boolean => {
    for (let y = y1; y < y2; y++) if (ink(x, y)) return true;
    return false;
  };
  let x = x2 - 1;
  while (x >= x1 && !columnInk(x)) x--;
  const end = x + 1;
  while (x >= x1 && columnInk(x)) x--;
  const start = x + 1;
  // A blank gap before it: the pill is not a letter of the word.
  let gap = 0;
  while (x >= x1 && !columnInk(x)) {
    gap++;
    x--;
  }
  if (x < x1 || gap < Math.max(2, 0.2 * h)) return null;
  return solidPill(img, [start, y1, end, y2], bg, h);
}

/**
 * The ink of `box` when it is a solid pill: wider than tall (1.5–4×), at least 0.8 × `textHeight`
 * tall, its box at least half filled (a word's or a Chinese glyph's strokes fill less), with round ends.
 */
export function solidPill(img: GrayImage, box: Box, bg: number, textHeight: number): Box | null {
  const [x1, y1, x2, y2] = [Math.max(0, box[0]), Math.max(0, box[1]), Math.min(img.width, box[2]), Math.min(img.height, box[3])];
  let [top, bottom, left, right] = [y2, y1, x2, x1];
  let filled = 0;
  for (let y = y1; y < y2; y++) {
    for (let x = x1; x < x2; x++) {
      const d = img.data[y * img.width + x] - bg;
      if (d <= 24 && d >= -24) continue;
      filled++;
      if (y < top) top = y;
      if (y >= bottom) bottom = y + 1;
      if (x < left) left = x;
      if (x >= right) right = x + 1;
    }
  }
  const w = right - left;
  const bh = bottom - top;
  if (bh < 0.8 * textHeight || w < 1.5 * bh || w > 4 * bh || filled < 0.5 * w * bh) return null;
  // Round ends: the end columns of a pill hold ink over a short chord of its height, those of a
  // button, a tag or an event block with small corner radii over most of it.
  const inkRows = (x: number): number => {
    let n = 0;
    // Solid ink only: anti-aliasing widens a curve's chord by a pixel or two each side.
    for (let y = top; y < bottom; y++) if (Math.abs(img.data[y * img.width + x] - bg) > 96) n++;
    return n;
  };
  return inkRows(left) <= 0.55 * bh && inkRows(right - 1) <= 0.55 * bh ? [left, top, right, bottom] : null;
}
