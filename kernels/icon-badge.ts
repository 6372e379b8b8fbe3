/**
 * A notification badge drawn over an icon: a small filled disc or pill in a saturated colour
 * (usually red), with or without a count, sitting on the icon's top corner. It hides part of
 * the icon and adds a round shape of its own, so the icon's descriptor no longer looks like
 * the icon (a bell with a "3" on it read as a rat). Finding the badge lets the icon be
 * described without it.
 *
 * The badge is the largest 4-connected run of saturated, bright pixels in the box, taken when:
 * it is filled (its colour covers about half its box or more, a count drawn in it included),
 * it is small beside the whole box, it touches the box's top, and enough ink is left outside
 * it to be an icon. A wholly coloured icon (a blue tile) is no badge: it is the whole box.
 */
import type { BlobBox } from './icon-blobs.ts';
import { INK_BOX_THRESHOLD } from './icon-descriptor.ts';

/** Colour spread (max − min channel) from which a pixel counts as saturated. */
const SATURATED = 90;
/** Brightest channel at least this: a badge is a bright colour, not a dark one. */
const BRIGHT = 130;
/**
 * Share of the badge's box its own colour must fill: a disc fills 0.79 of its box, and a count
 * drawn in it takes a fifth of that; a thin ring fills about a third.
 */
const FILLED = 0.45;

export interface BadgeScratch {
  mark: Uint8Array;
  stack: Int32Array;
}

export function badgeScratch(pixels: number): BadgeScratch {
  return { mark: new Uint8Array(pixels), stack: new Int32Array(pixels) };
}

const saturated = (rgb: Uint8Array, p: number): boolean => {
  const r = rgb[p];
  const g = rgb[p + 1];
  const b = rgb[p + 2];
  const hi = r > g ? (r > b ? r : b) : g > b ? g : b;
  const lo = r < g ? (r < b ? r : b) : g < b ? g : b;
  return hi >= BRIGHT && hi - lo >= SATURATED;
};

/**
 * The badge in `box` of an RGB image `width` wide, in image pixels [x1, y1, x2, y2), or
 * undefined. `scratch` must hold the box's pixels.
 */
export function findBadge(rgb: Uint8Array, width: number, box: BlobBox, scratch: BadgeScratch): BlobBox | undefined {
  const [x1, y1, x2, y2] = box;
  const w = x2 - x1;
  const h = y2 - y1;
  if (w < 8 || h < 8 || w * h > scratch.mark.length) return undefined;
  const { mark, stack } = scratch;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) mark[y * w + x] = saturated(rgb, ((y1 + y) * width + x1 + x) * 3) ? 1 : 0;
  let best: { box: BlobBox; pixels: number } | undefined;
  for (let i = 0; i < w * h; i++) {
    if (mark[i] !== 1) continue;
    let top = 0;
    stack[top++] = i;
    mark[i] = 2;
    let n = 0;
    let bx1 = w;
    let by1 = h;
    let bx2 = 0;
    let by2 = 0;
    while (top) {
      const j = stack[--top];
      n++;
      const x = j % w;
      const y = (j - x) / w;
      if (x < bx1) bx1 = x;
      if (y < by1) by1 = y;
      if (x + 1 > bx2) bx2 = x + 1;
      if (y + 1 > by2) by2 = y + 1;
      if (x > 0 && mark[j - 1] === 1) (mark[j - 1] = 2), (stack[top++] = j - 1);
      if (x < w - 1 && mark[j + 1] === 1) (mark[j + 1] = 2), (stack[top++] = j + 1);
      if (y > 0 && mark[j - w] === 1) (mark[j - w] = 2), (stack[top++] = j - w);
      if (y < h - 1 && mark[j + w] === 1) (mark[j + w] = 2), (stack[top++] = j + w);
    }
    if (!best || n > best.pixels) best = { box: [bx1, by1, bx2, by2], pixels: n };
  }
  if (!best) return undefined;
  const [bx1, by1, bx2, by2] = best.box;
  const bw = bx2 - bx1;
  const bh = by2 - by1;
  if (bw < 4 || bh < 4 || Math.max(bw, bh) > 2.5 * Math.min(bw, bh)) return undefined;
  // On the box's top corner: a badge overhangs the icon's top and one side.
  if (by1 > 2 || (bx1 > 2 && bx2 < w - 2)) return undefined;
  if (bw * bh > 0.6 * w * h || Math.max(bw, bh) > 0.8 * Math.max(w, h)) return undefined;
  if (best.pixels < FILLED * bw * bh) return undefined;
  return [x1 + bx1, y1 + by1, x1 + bx2, y1 + by2];
}

/**
 * Fills the badge's place in a crop's ink with its mirror image about the upright axis of the ink
 * left beside it (`rest`, image pixels), where the mirrored pixel is not under the badge too.
 */
export function mirrorUnderBadge(ink: Float32Array, crop: BlobBox, badge: BlobBox, rest: BlobBox): void {
  const cw = crop[2] - crop[0];
  const ch = crop[3] - crop[1];
  const axis2 = rest[0] + rest[2] - 1 - 2 * crop[0];
  const [bx1, by1, bx2, by2] = [badge[0] - crop[0] - 1, badge[1] - crop[1] - 1, badge[2] - crop[0] + 1, badge[3] - crop[1] + 1];
  for (let y = Math.max(0, by1); y < Math.min(ch, by2); y++) {
    for (let x = Math.max(0, bx1); x < Math.min(cw, bx2); x++) {
      const mx = axis2 - x;
      if (mx >= 0 && mx < cw && (mx < bx1 || mx >= bx2)) ink[y * cw + x] = ink[y * cw + mx];
    }
  }
}

/** Least ink pixels left beside a badge for the rest to be described as an icon. */
const MIN_INK_BESIDE_BADGE = 16;

/**
 * Clears the badge (and a pixel around it, its antialiased rim) from a crop's ink; returns the
 * box of the ink left in image pixels, or undefined when too little is left to be an icon.
 */
export function withoutBadge(ink: Float32Array, crop: BlobBox, badge: BlobBox): BlobBox | undefined {
  const cw = crop[2] - crop[0];
  const ch = crop[3] - crop[1];
  for (let y = Math.max(0, badge[1] - crop[1] - 1); y < Math.min(ch, badge[3] - crop[1] + 1); y++) {
    ink.fill(0, y * cw + Math.max(0, badge[0] - crop[0] - 1), y * cw + Math.min(cw, badge[2] - crop[0] + 1));
  }
  let n = 0;
  const box: BlobBox = [cw, ch, 0, 0];
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      if (ink[y * cw + x] < INK_BOX_THRESHOLD) continue;
      n++;
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x + 1 > box[2]) box[2] = x + 1;
      if (y + 1 > box[3]) box[3] = y + 1;
    }
  }
  return n < MIN_INK_BESIDE_BADGE ? undefined : [crop[0] + box[0], crop[1] + box[1], crop[0] + box[2], crop[1] + box[3]];
}
