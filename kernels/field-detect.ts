/**
 * Finds form controls in a grayscale screenshot, starting from the box of their label:
 * text inputs (a bordered rectangle, or a filled region distinct from the page, right of or
 * below the label, or around it when the label is a placeholder) and checkboxes/radios
 * (a small square-ish mark left or right of the label).
 */

import type { GrayImage } from './gray.ts';
import { ruledRows } from './ruled-rows.ts';
import { closedShape } from './closed-shape.ts';

export type Box = [number, number, number, number];

/** A horizontal edge: the step between rows y-1 and y is strong over [x1, x2). */
export interface EdgeRun {
  y: number;
  x1: number;
  x2: number;
}

export interface RectCandidate {
  box: Box;
  /** Vertical edges were found on both ends (a closed rectangle, not two unrelated lines). */
  sides: boolean;
}

export interface FieldCandidate extends RectCandidate {
  relation: 'contains' | 'right' | 'below';
  /** Gap from the label, in label heights; lower is closer. */
  distance: number;
}

/** Contrast (0..255) a step must have to count as an edge: light-grey borders on white are ~25. */
export const EDGE_THRESHOLD = 14;

export function clampBox(img: GrayImage, [x1, y1, x2, y2]: Box): Box {
  return [
    Math.max(0, Math.floor(x1)),
    Math.max(0, Math.floor(y1)),
    Math.min(img.width, Math.ceil(x2)),
    Math.min(img.height, Math.ceil(y2)),
  ];
}

/** Horizontal edge runs at least minLen long inside region, bridging gaps up to maxGap pixels. */
export function horizontalEdgeRuns(img: GrayImage, region: Box, minLen: number, threshold = EDGE_THRESHOLD, maxGap = 2): EdgeRun[] {
  const { data, width } = img;
  const [rx1, ry1, rx2, ry2] = clampBox(img, region);
  const runs: EdgeRun[] = [];
  for (let y = Math.max(1, ry1); y < ry2; y++) {
    const row = y * width;
    const above = row - width;
    let start = -1;
    let lastHit = -1;
    for (let x = rx1; x <= rx2; x++) {
      let hit = false;
      if (x < rx2) {
        const d = data[row + x] - data[above + x];
        hit = d >= threshold || d <= -threshold;
      }
      if (hit) {
        if (start < 0) start = x;
        lastHit = x;
      } else if (start >= 0 && (x - lastHit > maxGap || x === rx2)) {
        if (lastHit + 1 - start >= minLen) runs.push({ y, x1: start, x2: lastHit + 1 });
        start = -1;
      }
    }
  }
  return runs;
}

/** Fraction of rows in [y1, y2) where the step between columns x-1 and x is an edge. */
export function verticalEdgeFraction(img: GrayImage, x: number, y1: number, y2: number, threshold = EDGE_THRESHOLD): number {
  const { data, width, height } = img;
  if (x < 1 || x >= width) return 0;
  let hits = 0;
  let n = 0;
  for (let y = Math.max(0, y1); y < Math.min(height, y2); y++) {
    const d = data[y * width + x] - data[y * width + x - 1];
    if (d >= threshold || d <= -threshold) hits++;
    n++;
  }
  return n ? hits / n : 0;
}

/** Outermost column near `x` (searching `reach` pixels outwards, a few inwards) with a vertical edge. */
function findSide(img: GrayImage, x: number, y1: number, y2: number, reach: number, outward: -1 | 1): number | null {
  let found: number | null = null;
  let gap = 0;
  for (let k = -3; k <= reach; k++) {
    const cx = x + outward * k;
    if (verticalEdgeFraction(img, cx, y1, y2) >= 0.7) {
      found = cx;
      gap = 0;
      // The outer edge of this border, not the side of a box beside it: stop at the first gap after it.
    } else if (found !== null && ++gap >= 2) break;
  }
  return found;
}

export interface RectOptions {
  minWidth: number;
  minHeight: number;
  maxHeight: number;
}

/**
 * Rectangles in a region: pairs of long horizontal edges (top, bottom) that span the same
 * columns, checked for vertical edges at both ends. Nested duplicates (outer and inner
 * border edges) collapse to the outermost.
 */
export function findRects(img: GrayImage, region: Box, opts: RectOptions): RectCandidate[] {
  const runs = horizontalEdgeRuns(img, region, opts.minWidth);
  const rects: RectCandidate[] = [];
  for (let i = 0; i < runs.length; i++) {
    const t = runs[i];
    for (let j = i + 1; j < runs.length; j++) {
      const b = runs[j];
      const h = b.y - t.y;
      if (h > opts.maxHeight) break;
      if (h < opts.minHeight) continue;
      const ox1 = Math.max(t.x1, b.x1);
      const ox2 = Math.min(t.x2, b.x2);
      const longer = Math.max(t.x2 - t.x1, b.x2 - b.x1);
      if (ox2 - ox1 < 0.85 * longer) continue;
      if (crossedByEdge(runs, i, j, ox1, ox2)) continue;
      const my1 = t.y + Math.ceil(h / 4);
      const my2 = b.y - Math.ceil(h / 4);
      const reach = Math.ceil(h / 2) + 2;
      const left = findSide(img, ox1, my1, my2, reach, -1);
      const right = findSide(img, ox2, my1, my2, reach, 1);
      const box: Box = [left ?? ox1, t.y, right ?? ox2, b.y];
      rects.push({ box, sides: left !== null && right !== null });
    }
  }
  return dedupeNested(rects);
}

/**
 * Whether a long edge runs across the would-be rectangle between its top (runs[i]) and bottom
 * (runs[j]): then they are the top of one box and the bottom of another (two stacked inputs),
 * not one box. The inner edges of the borders themselves (within 3 px) do not count.
 */
function crossedByEdge(runs: EdgeRun[], i: number, j: number, x1: number, x2: number): boolean {
  const top = runs[i].y + 3;
  const bottom = runs[j].y - 3;
  for (let k = i + 1; k < j; k++) {
    const r = runs[k];
    if (r.y <= top || r.y >= bottom) continue;
    if (Math.min(r.x2, x2) - Math.max(r.x1, x1) >= 0.85 * (x2 - x1)) return true;
  }
  return false;
}

/** The same rectangle found twice (outer and inner edges of a border): every side within 4 px. */
function nearDuplicate(a: Box, b: Box): boolean {
  return Math.abs(a[0] - b[0]) <= 4 && Math.abs(a[1] - b[1]) <= 4 && Math.abs(a[2] - b[2]) <= 4 && Math.abs(a[3] - b[3]) <= 4;
}

function dedupeNested(rects: RectCandidate[]): RectCandidate[] {
  const area = (r: RectCandidate) => (r.box[2] - r.box[0]) * (r.box[3] - r.box[1]);
  const sorted = rects.sort((a, b) => Number(b.sides) - Number(a.sides) || area(b) - area(a));
  const kept: RectCandidate[] = [];
  for (const r of sorted) if (!kept.some((k) => nearDuplicate(k.box, r.box))) kept.push(r);
  return kept;
}

/**
 * Input-field candidates around a label box, closest first: a rectangle containing the label
 * (the label is a placeholder), starting right of it on the same row, or starting just below it.
 */
export function fieldCandidatesNearLabel(img: GrayImage, label: Box): FieldCandidate[] {
  const [lx1, ly1, lx2, ly2] = label;
  const h = Math.max(6, ly2 - ly1);
  const cy = (ly1 + ly2) / 2;
  const region: Box = [lx1 - 3 * h, ly1 - 3 * h, lx2 + 40 * h, ly2 + 6 * h];
  const rects = findRects(img, region, { minWidth: Math.max(24, 3 * h), minHeight: 0.9 * h, maxHeight: 4 * h });
  const out: FieldCandidate[] = [];
  for (const r of rects) {
    const [x1, y1, x2, y2] = r.box;
    const penalty = r.sides ? 0 : 2;
    if (x1 <= lx1 + 2 && x2 >= lx2 - 2 && y1 <= ly1 + 2 && y2 >= ly2 - 2) {
      // A placeholder sits inside its field; a tall box around the label is a card, not a field.
      if (r.sides && y2 - y1 <= 3.5 * h) out.push({ ...r, relation: 'contains', distance: 0 });
      continue;
    }
    if (x1 >= lx2 - 0.5 * h && cy >= y1 - 0.25 * h && cy <= y2 + 0.25 * h) {
      const gap = Math.max(0, x1 - lx2) / h;
      if (gap <= 25) out.push({ ...r, relation: 'right', distance: gap + penalty });
      continue;
    }
    if (y1 >= ly2 - 0.25 * h && x1 - 3 * h <= lx1 && lx1 <= x2) {
      const gap = Math.max(0, y1 - ly2) / h;
      if (gap <= 4) out.push({ ...r, relation: 'below', distance: gap + 0.5 + penalty });
    }
  }
  return out.sort((a, b) => a.distance - b.distance);
}

/** Every closed, wide rectangle of input-field proportions in the image (for "the text field"). */
export function findFieldRects(img: GrayImage, textHeight: number): RectCandidate[] {
  const h = Math.max(6, textHeight);
  return findRects(img, [0, 0, img.width, img.height], { minWidth: 4 * h, minHeight: 1.1 * h, maxHeight: 3.5 * h }).filter(
    (r) => r.sides && r.box[2] - r.box[0] >= 2.5 * (r.box[3] - r.box[1]),
  );
}

/** Most common gray level in a region: the background the controls sit on. */
export function modeLevel(img: GrayImage, [x1, y1, x2, y2]: Box): number {
  const hist = new Uint32Array(256);
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) hist[img.data[y * img.width + x]]++;
  let best = 0;
  for (let v = 1; v < 256; v++) if (hist[v] > hist[best]) best = v;
  return best;
}

/**
 * A square box drawn at the left edge of a label box (OCR sometimes counts a checkbox into the
 * first word): the first ink columns from the label's left edge form a blob, separated from the
 * text by a blank gap, about as tall as the text or taller, whose four sides are all drawn
 * (≥ 70% of each edge is ink, rounded corners allowed). Letters are not: "E" has no right side, "H" no top or bottom.
 */
export function squareAtLeftEdge(img: GrayImage, label: Box): Box | null {
  const [lx1, ly1, lx2, ly2] = label;
  const h = Math.max(6, ly2 - ly1);
  const [bx1, by1, bx2, by2] = clampBox(img, [lx1 - 2, ly1 - 0.3 * h, Math.min(lx2, lx1 + 2 * h), ly2 + 0.3 * h]);
  if (bx2 - bx1 < 4 || by2 - by1 < 4) return null;
  const bg = modeLevel(img, clampBox(img, [lx1 - h, ly1 - 0.5 * h, lx2, ly2 + 0.5 * h]));
  const ink = (x: number, y: number): boolean => {
    const d = img.data[y * img.width + x] - bg;
    return d > 24 || d < -24;
  };
  const columnHas = (x: number): boolean => {
    for (let y = by1; y < by2; y++) if (ink(x, y)) return true;
    return false;
  };
  let x = bx1;
  while (x < bx2 && !columnHas(x)) x++;
  const first = x;
  // The blob ends at the first gap of 3 blank columns (a rounded corner leaves 1–2 columns with
  // no ink next to the side), which must lie inside the label box: the space before the text.
  let last = x;
  let blank = 0;
  for (; x < bx2 && blank < 3; x++) {
    if (columnHas(x)) {
      last = x + 1;
      blank = 0;
    } else blank++;
  }
  if (blank < 3) return null;
  let top = -1;
  let bottom = -1;
  for (let y = by1; y < by2; y++) {
    for (let xx = first; xx < last; xx++) {
      if (ink(xx, y)) {
        if (top < 0) top = y;
        bottom = y + 1;
        break;
      }
    }
  }
  if (top < 0) return null;
  const w = last - first;
  const hh = bottom - top;
  // At least 0.75 of the label's height: a capital "D" or "O" starting the label is a closed
  // shape too, but only as tall as the capitals (~0.65 of the box).
  if (w < 0.6 * h || hh < 0.75 * h || w > 1.6 * h || w / hh > 1.3 || hh / w > 1.3) return null;
  const edgeInk = (x1: number, y1: number, dx: number, dy: number, len: number): number => {
    let k = 0;
    for (let i = 0; i < len; i++) if (ink(x1 + i * dx, y1 + i * dy)) k++;
    return k / len;
  };
  const sides = [edgeInk(first, top, 1, 0, w), edgeInk(first, bottom - 1, 1, 0, w), edgeInk(first, top, 0, 1, hh), edgeInk(last - 1, top, 0, 1, hh)];
  return sides.every((f) => f >= 0.7) ? [first, top, last, bottom] : null;
}

/**
 * A checkbox, radio or switch beside a label: the nearest blob of non-background pixels left
 * (or right) of the label within a few label heights, roughly square (switches may be wider).
 * On the left, a square counted into the label box itself (at its left edge) comes first.
 */
export interface ToggleSearch {
  /** How far to look, in label heights (default 4). */
  reach?: number;
  /** Boxes whose pixels are not looked at (the screen's words: a badge or a description is not a switch). */
  avoid?: Box[];
  /** Look past blobs that are not toggle-shaped (a switch at the far end of a settings row). */
  skipOthers?: boolean;
  /** Of the toggle-shaped blobs, the farthest (a table's row checkbox is its first cell, a settings switch its last). */
  farthest?: boolean;
}

export function toggleNearLabel(img: GrayImage, label: Box, side: 'left' | 'right', search: ToggleSearch = {}): Box | null {
  const [lx1, ly1, lx2, ly2] = label;
  const h = Math.max(6, ly2 - ly1);
  const reach = search.reach ?? 4;
  const inside = side === 'left' ? squareAtLeftEdge(img, label) : null;
  if (inside) return inside;
  // Far from the label the control may be taller than its text (a 22 px switch by an 11 px label).
  const pad = search.skipOthers ? 0.8 : 0.3;
  const band = clampBox(img, [0, ly1 - pad * h, img.width, ly2 + pad * h]);
  const [, by1, , by2] = band;
  // Two pixels off the label: anti-aliasing bleeds a glyph's edge just past the OCR box.
  const near = side === 'left' ? Math.floor(lx1) - 3 : Math.ceil(lx2) + 2;
  const far = side === 'left' ? Math.max(0, Math.floor(lx1 - reach * h)) : Math.min(img.width - 1, Math.ceil(lx2 + reach * h));
  const step = side === 'left' ? -1 : 1;
  // A reach that ends before it starts (a label left of the panel's edge) looks at nothing.
  if (near < 0 || near >= img.width || by2 <= by1 || (far - near) * step < 0) return null;
  // The label's own background: over a long reach a sidebar or a big icon can outweigh the row's.
  const bg = modeLevel(img, clampBox(img, [lx1 - 2, ly1, lx2 + 2, ly2]));
  const avoided = (search.avoid ?? []).filter((a) => a[1] < by2 && a[3] > by1).map((a): Box => [a[0] - 0.15 * h, a[1], a[2] + 0.15 * h, a[3]]);
  const ruled = ruledRows(img, [Math.min(near, far), by1, Math.max(near, far) + 1, by2], bg);
  const columnHas = (x: number): boolean => {
    if (avoided.some((a) => x >= a[0] && x <= a[2])) return false;
    for (let y = by1; y < by2; y++) {
      if (ruled[y - by1]) continue;
      const d = img.data[y * img.width + x] - bg;
      if (d > 24 || d < -24) return true;
    }
    return false;
  };
  let x = near;
  let kept: Box | null = null;
  for (;;) {
    while (x !== far && !columnHas(x)) x += step;
    if (x === far) return kept;
    const first = x;
    let blank = 0;
    let last = x;
    while (x !== far && blank < 2) {
      if (columnHas(x)) {
        last = x;
        blank = 0;
      } else blank++;
      x += step;
    }
    const bx1 = Math.min(first, last);
    const bx2 = Math.max(first, last) + 1;
    const rows = blobRows(img, [bx1, by1, bx2, by2], ruled, bg, h);
    if (!rows) {
      if (!search.skipOthers) return kept;
      continue;
    }
    const [top, bottom] = rows;
    const w = bx2 - bx1;
    const hh = bottom - top;
    // A switch is wider than a box: up to 4 text heights (OCR boxes of 14 px text are ~11 px tall,
    // switches ~40×22), on either side of its label.
    const maxAspect = 2.6;
    const maxWidth = 4;
    const shaped = !(w < 0.45 * h || hh < 0.45 * h || w > maxWidth * h || w / hh > maxAspect || hh / w > 1.6) && closedShape(img, [bx1, top, bx2, bottom], bg);
    if (shaped && !search.farthest) return [bx1, top, bx2, bottom];
    if (shaped) kept = [bx1, top, bx2, bottom];
    if (!search.skipOthers) return kept;
  }
}

/**
 * The rows a blob's ink spans within a band (rules skipped), followed out past the band's edge
 * when the ink runs on: a control centred on a two-line row reaches past its label's band.
 */
function blobRows(img: GrayImage, [bx1, by1, bx2, by2]: Box, ruled: Uint8Array, bg: number, reach: number): [number, number] | null {
  const rowInk = (y: number): boolean => {
    for (let x = bx1; x < bx2; x++) {
      const d = img.data[y * img.width + x] - bg;
      if (d > 24 || d < -24) return true;
    }
    return false;
  };
  let top = -1;
  let bottom = -1;
  for (let y = by1; y < by2; y++) {
    if (ruled[y - by1] || !rowInk(y)) continue;
    if (top < 0) top = y;
    bottom = y + 1;
  }
  if (top < 0) return null;
  const [cutBelow, cutAbove] = [bottom === by2, top === by1];
  for (let k = 0; cutBelow && bottom < img.height && k < reach && rowInk(bottom); k++) bottom++;
  for (let k = 0; cutAbove && top > 0 && k < reach && rowInk(top - 1); k++) top--;
  return [top, bottom];
}
