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

/**
 * The x of the first column in (x1, x2) whose left edge is a layout divider: on at least TALL of
 * the rows the gray level steps by STEP or more from the column before. -1 when there is none.
 */
export function layoutDividerBetween(img: GrayImage, x1: number, x2: number): number {
  const { data, width, height } = img;
  const from = Math.max(1, Math.floor(x1) + 1);
  const to = Math.min(width, Math.ceil(x2));
  const need = Math.ceil(TALL * height);
  for (let x = from; x < to; x++) {
    let hits = 0;
    for (let y = 0, p = x; y < height; y++, p += width) {
      const d = data[p] - data[p - 1];
      if (d >= STEP || d <= -STEP) hits++;
      else if (hits + (height - y - 1) < need) break;
    }
    if (hits >= need) return x;
  }
  return -1;
}
