/**
 * A layout divider: the edge between two panels that runs the height of the screen (a sidebar's
 * border, a dark rail beside a light page). A table's column line or a card's edge stops with its
 * table or card; the line between a navigation panel and the page does not.
 */
import type { GrayImage } from './gray.ts';

/** Gray step between neighbouring columns that counts as an edge. */
const STEP = 12;
/** Share of the screen's height a divider's edge must cover. */
const TALL = 0.9;

/** Per image, which columns' left edges are layout dividers: found once, asked for many pairs of boxes. */
const dividersOf = new WeakMap<GrayImage, Uint8Array>();

/**
 * 1 for each column x whose left edge is a layout divider: on at least TALL of the rows the gray
 * level steps by STEP or more from column x - 1.
 */
export function layoutDividers(img: GrayImage): Uint8Array {
  let out = dividersOf.get(img);
  if (out) return out;
  const { data, width, height } = img;
  out = new Uint8Array(width);
  const need = Math.ceil(TALL * height);
  for (let x = 1; x < width; x++) {
    let hits = 0;
    for (let y = 0, p = x; y < height; y++, p += width) {
      const d = data[p] - data[p - 1];
      if (d >= STEP || d <= -STEP) hits++;
      // Most columns show early that they cannot reach TALL.
      else if (hits + (height - y - 1) < need) break;
    }
    if (hits >= need) out[x] = 1;
  }
  dividersOf.set(img, out);
  return out;
}

/** The x of the first column in (x1, x2) whose left edge is a layout divider, or -1. */
export function layoutDividerBetween(img: GrayImage, x1: number, x2: number): number {
  const dividers = layoutDividers(img);
  for (let x = Math.max(1, Math.floor(x1) + 1); x < Math.min(img.width, Math.ceil(x2)); x++) if (dividers[x]) return x;
  return -1;
}

/** The x of the last column in (0, x) whose left edge is a layout divider, or -1. */
export function lastLayoutDividerBefore(img: GrayImage, x: number): number {
  const dividers = layoutDividers(img);
  for (let c = Math.floor(x) - 1; c > 0; c--) if (dividers[c]) return c;
  return -1;
}
