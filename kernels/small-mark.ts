import type { GrayImage } from './gray.ts';
import { closedShape } from './closed-shape.ts';
import { modeLevel } from './field-detect.ts';

type Box = [number, number, number, number];

/**
 * The marks drawn beside a label on its line, too small for the icon finder (an 8×5 px chevron
 * before a sidebar section, a ▾ after a toolbar's "正文"): runs of ink columns within `reach` px
 * of the label on that side, each a mark, nearest first. A mark's box is where its ink is within
 * the line band grown by half a line.
 */
export function marksBeside(img: GrayImage, label: Box, side: 'left' | 'right', reach: number, bg: number): Box[] {
  const h = Math.max(4, label[3] - label[1]);
  const y1 = Math.max(0, Math.floor(label[1] - 0.5 * h));
  const y2 = Math.min(img.height, Math.ceil(label[3] + 0.5 * h));
  const ink = (x: number, y: number): boolean => Math.abs(img.data[y * img.width + x] - bg) > 40;
  const columnInk = (x: number): boolean => {
    for (let y = y1; y < y2; y++) if (ink(x, y)) return true;
    return false;
  };
  const step = side === 'left' ? -1 : 1;
  const start = side === 'left' ? Math.floor(label[0]) - 2 : Math.ceil(label[2]) + 1;
  const stop = side === 'left' ? Math.max(0, Math.floor(label[0] - reach)) : Math.min(img.width - 1, Math.ceil(label[2] + reach));
  const within = (x: number): boolean => (side === 'left' ? x >= stop : x <= stop);
  const out: Box[] = [];
  let x = start;
  while (within(x)) {
    if (!columnInk(x)) {
      x += step;
      continue;
    }
    const near = x;
    while (within(x) && columnInk(x)) x += step;
    const [left, right] = side === 'left' ? [x - step, near] : [near, x - step];
    let top = y2;
    let bottom = y1;
    for (let y = y1; y < y2; y++) {
      for (let cx = left; cx <= right; cx++) {
        if (!ink(cx, y)) continue;
        if (y < top) top = y;
        bottom = y + 1;
        break;
      }
    }
    out.push([left, top, right + 1, bottom]);
  }
  return out;
}

/** The gray level a label is drawn on: the commonest level of its box, rounded out to whole pixels. */
export function levelUnder(img: GrayImage, label: readonly number[]): number {
  return modeLevel(img, [Math.floor(label[0]), Math.floor(label[1]), Math.ceil(label[2]), Math.ceil(label[3])]);
}

/**
 * Whether a mark is shaped like an expander (a chevron, caret or triangle) rather than a dot: no
 * taller than the text, and either clearly longer one way than the other or far from filled
 * (a chevron's two strokes, a triangle's half box). A presence dot is round and full.
 */
export function expanderShaped(img: GrayImage, box: Box, textHeight: number, bg: number): boolean {
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  if (Math.max(w, h) > textHeight || Math.min(w, h) < 2 || Math.max(w, h) < 0.3 * textHeight) return false;
  let filled = 0;
  for (let y = box[1]; y < box[3]; y++) for (let x = box[0]; x < box[2]; x++) if (Math.abs(img.data[y * img.width + x] - bg) > 40) filled++;
  const aspect = Math.max(w, h) / Math.min(w, h);
  // A box or a ring drawn all round (a checkbox, a radio) is no arrow; a small solid ▸ or ▾ has
  // ink on every side too, but narrows from its base to its tip.
  return ((aspect >= 1.4 || filled / (w * h) <= 0.6) && !closedShape(img, box, bg)) || solidTriangle(img, box, bg);
}

/**
 * A solid triangle (▸ ▾ ◂ ▴): its ink across one axis shrinks steadily from a base nearly as long
 * as the mark to a tip at most half as long, filling about half its box.
 */
export function solidTriangle(img: GrayImage, box: Box, bg: number): boolean {
  // A mark a few pixels long is mostly antialiased edge: its ink is measured against its own
  // contrast, over its box grown by a pixel, and the box drawn tight round that ink.
  const grown: Box = [Math.max(0, box[0] - 1), Math.max(0, box[1] - 1), Math.min(img.width, box[2] + 1), Math.min(img.height, box[3] + 1)];
  let peak = 0;
  for (let y = grown[1]; y < grown[3]; y++) for (let x = grown[0]; x < grown[2]; x++) peak = Math.max(peak, Math.abs(img.data[y * img.width + x] - bg));
  const level = Math.min(40, Math.max(20, 0.3 * peak));
  const ink = (x: number, y: number): boolean => Math.abs(img.data[y * img.width + x] - bg) > level;
  let x1 = grown[2], y1 = grown[3], x2 = grown[0], y2 = grown[1];
  for (let y = grown[1]; y < grown[3]; y++) {
    for (let x = grown[0]; x < grown[2]; x++) {
      if (!ink(x, y)) continue;
      if (x < x1) x1 = x;
      if (y < y1) y1 = y;
      if (x + 1 > x2) x2 = x + 1;
      if (y + 1 > y2) y2 = y + 1;
    }
  }
  const w = x2 - x1;
  const h = y2 - y1;
  if (w < 3 || h < 3) return false;
  let total = 0;
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) if (ink(x, y)) total++;
  const fill = total / (w * h);
  if (fill < 0.3 || fill > 0.75) return false;
  // The ink of each column (across x) or each row (across y), read from both ends.
  const along = (acrossX: boolean, reversed: boolean): boolean => {
    const n = acrossX ? w : h;
    const span = acrossX ? h : w;
    let prev = Infinity;
    let first = -1;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const k = reversed ? n - 1 - i : i;
      let c = 0;
      for (let j = 0; j < span; j++) if (acrossX ? ink(x1 + k, y1 + j) : ink(x1 + j, y1 + k)) c++;
      if (c > prev) return false;
      if (first < 0) first = c;
      prev = last = c;
    }
    return first >= 0.7 * span && last <= 0.5 * span && first > last;
  };
  return along(true, false) || along(true, true) || along(false, false) || along(false, true);
}
