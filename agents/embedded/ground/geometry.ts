import type { PixelBox } from '../../../kernels/ocr/types.ts';

/** Box helpers for grounding; boxes are [x1, y1, x2, y2] in image pixels. */

export function centre([x1, y1, x2, y2]: PixelBox): [number, number] {
  return [(x1 + x2) / 2, (y1 + y2) / 2];
}

export function height(b: PixelBox): number {
  return b[3] - b[1];
}

/** Vertical overlap as a fraction of the shorter box: 1 when one spans the other's rows. */
export function rowOverlap(a: PixelBox, b: PixelBox): number {
  const inter = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return Math.max(0, inter) / Math.max(1, Math.min(height(a), height(b)));
}

export function sameBox(a: PixelBox, b: PixelBox, tolerance = 1): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= tolerance);
}

/** Whether two boxes share any area. */
export function overlaps(a: readonly number[], b: readonly number[]): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

export function contains(outer: PixelBox, inner: PixelBox, slack = 0): boolean {
  return inner[0] >= outer[0] - slack && inner[1] >= outer[1] - slack && inner[2] <= outer[2] + slack && inner[3] <= outer[3] + slack;
}

/** Gap between two boxes (0 when they touch or overlap), in pixels. */
export function boxDistance(a: PixelBox, b: PixelBox): number {
  const dx = Math.max(0, a[0] - b[2], b[0] - a[2]);
  const dy = Math.max(0, a[1] - b[3], b[1] - a[3]);
  return Math.hypot(dx, dy);
}

/**
 * Sorts boxes top-to-bottom, then left-to-right within a visual row: a box joins the row of
 * the previous one when they overlap vertically by half the shorter height.
 */
export function readingOrder<T>(items: T[], boxOf: (t: T) => PixelBox): T[] {
  const byTop = [...items].sort((a, b) => centre(boxOf(a))[1] - centre(boxOf(b))[1]);
  const rows: T[][] = [];
  for (const item of byTop) {
    const row = rows[rows.length - 1];
    if (row && rowOverlap(boxOf(row[0]), boxOf(item)) >= 0.5) row.push(item);
    else rows.push([item]);
  }
  return rows.flatMap((r) => r.sort((a, b) => boxOf(a)[0] - boxOf(b)[0]));
}

/** Whether `box` stands in `relation` to `anchor` (row: same visual row; below: starts under it; ...). */
export function inRelation(box: PixelBox, anchor: PixelBox, relation: 'row' | 'near' | 'below' | 'above' | 'right' | 'left'): boolean {
  const h = Math.min(height(box), height(anchor));
  switch (relation) {
    case 'row':
      return rowOverlap(box, anchor) >= 0.5;
    case 'near':
      return true;
    case 'below':
      return box[1] >= anchor[3] - 0.25 * h;
    case 'above':
      return box[3] <= anchor[1] + 0.25 * h;
    case 'right':
      return box[0] >= anchor[2] - 0.25 * h && rowOverlap(box, anchor) > 0;
    case 'left':
      return box[2] <= anchor[0] + 0.25 * h && rowOverlap(box, anchor) > 0;
  }
}

/** Whether a box lies in a named part of a width×height screen: the outer fifth (top, bottom) or third (left, right). */
export function inRegion(box: PixelBox, region: string, width: number, height: number): boolean {
  return inBands(box, region, width, height, 0.2, 0.33);
}

/** Whether a box's centre lies within `v` of the screen's height of the named top or bottom and `h` of its width of the named side. */
function inBands(box: PixelBox, region: string, width: number, height: number, v: number, h: number): boolean {
  const [cx, cy] = centre(box);
  const ok = (part: string) =>
    part === 'top' ? cy < v * height : part === 'bottom' ? cy > (1 - v) * height : part === 'left' ? cx < h * width : part === 'right' ? cx > (1 - h) * width : true;
  return region.split('-').every(ok);
}

/** How far a box's centre is from the edges a place names, in fractions of the screen (summed for a corner). */
export function edgeDistance(box: PixelBox, region: string, width: number, height: number): number {
  const [cx, cy] = centre(box);
  const d = (part: string) => (part === 'top' ? cy / height : part === 'bottom' ? 1 - cy / height : part === 'left' ? cx / width : part === 'right' ? 1 - cx / width : 0);
  return region.split('-').reduce((s, part) => s + d(part), 0);
}

/** The half of the screen a place names: where a user's loosely placed "top right" can still be. */
export function inHalfOf(box: PixelBox, region: string, width: number, height: number): boolean {
  return inBands(box, region, width, height, 0.5, 0.5);
}
