import type { GrayImage } from './gray.ts';

/**
 * The container a text sits in (a card, a panel, a table cell or row, a dialog), found from the
 * image: the background around the text is flood-filled while it stays the same level, and the
 * filled area's bounding box is the container. A border, or a change of fill, ends it.
 */

export type Box = [number, number, number, number];

/** Levels within this of the seed background count as the same fill (anti-aliasing, dithering). */
const SAME_FILL = 6;

interface Scratch {
  seen: Uint8Array;
  stack: Int32Array;
}
let scratch: Scratch = { seen: new Uint8Array(0), stack: new Int32Array(0) };

function scratchFor(n: number): Scratch {
  if (scratch.seen.length < n) scratch = { seen: new Uint8Array(n), stack: new Int32Array(n) };
  else scratch.seen.fill(0, 0, n);
  return scratch;
}

/** Calls `fn` for each pixel of the one-pixel ring just outside `box` (two pixels off it). */
function forRing([x1, y1, x2, y2]: Box, fn: (x: number, y: number) => void): void {
  for (let x = x1 - 2; x <= x2 + 1; x++) {
    fn(x, y1 - 2);
    fn(x, y2 + 1);
  }
  for (let y = y1 - 2; y <= y2 + 1; y++) {
    fn(x1 - 2, y);
    fn(x2 + 1, y);
  }
}

/** Most common level on the ring just outside `box`. */
function ringLevel(img: GrayImage, box: Box): number {
  const hist = new Uint32Array(256);
  const { width, height, data } = img;
  forRing(box, (x, y) => {
    if (x >= 0 && y >= 0 && x < width && y < height) hist[data[y * width + x]]++;
  });
  let best = 0;
  for (let v = 1; v < 256; v++) if (hist[v] > hist[best]) best = v;
  return best;
}

/**
 * The bounding box of the same-level background connected to the ring around `box`. The text
 * itself (and any other ink) is a hole the fill goes around. Returns the whole image when the
 * background runs to its edges everywhere (no container). Remembered per image: grounding asks
 * for the same containers over and over within a step.
 */
export function containerOf(img: GrayImage, box: Box): Box {
  const key = box.map(Math.round).join(',');
  let known = remembered.get(img);
  if (!known) remembered.set(img, (known = new Map()));
  let c = known.get(key);
  if (!c) known.set(key, (c = fill(img, box)!));
  return c;
}

/**
 * containerOf, or null as soon as the fill leaves `limit`: enough to tell a small box (a button
 * around its text, a field around its placeholder) without filling a whole page.
 */
export function containerWithin(img: GrayImage, box: Box, limit: Box): Box | null {
  return fill(img, box, limit);
}

const remembered = new WeakMap<GrayImage, Map<string, Box>>();

function fill(img: GrayImage, box: Box, limit?: Box): Box | null {
  const { width, height, data } = img;
  const x1 = Math.max(0, Math.floor(box[0]));
  const y1 = Math.max(0, Math.floor(box[1]));
  const x2 = Math.min(width - 1, Math.ceil(box[2]));
  const y2 = Math.min(height - 1, Math.ceil(box[3]));
  const [lx1, ly1, lx2, ly2] = limit ?? [-Infinity, -Infinity, Infinity, Infinity];
  const bg = ringLevel(img, [x1, y1, x2, y2]);
  const { seen, stack } = scratchFor(width * height);
  let top = 0;
  const push = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = y * width + x;
    if (seen[i]) return;
    seen[i] = 1;
    const d = data[i] - bg;
    if (d > SAME_FILL || d < -SAME_FILL) return;
    stack[top++] = i;
  };
  forRing([x1, y1, x2, y2], push);
  let bx1 = width;
  let by1 = height;
  let bx2 = -1;
  let by2 = -1;
  while (top > 0) {
    const i = stack[--top];
    const y = (i / width) | 0;
    const x = i - y * width;
    if (x < lx1 || x >= lx2 || y < ly1 || y >= ly2) return null;
    if (x < bx1) bx1 = x;
    if (x > bx2) bx2 = x;
    if (y < by1) by1 = y;
    if (y > by2) by2 = y;
    push(x + 1, y);
    push(x - 1, y);
    push(x, y + 1);
    push(x, y - 1);
  }
  if (bx2 < 0) return [x1, y1, x2 + 1, y2 + 1];
  return [bx1, by1, bx2 + 1, by2 + 1];
}

/** Whether the 5×5 pixels around (x, y) are one fill: a seed there fills one side of any line. */
function flatAt(img: GrayImage, x: number, y: number): boolean {
  const v = img.data[y * img.width + x];
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (Math.abs(img.data[(y + dy) * img.width + x + dx] - v) > SAME_FILL) return false;
  return true;
}

/** Widest a divider between two panels of one card may be, and how far their tops and bottoms may differ. */
const MAX_DIVIDER = 3;
const EDGE_SLACK = 2;

/**
 * `c` (a container from containerOf) joined with the panels beside it that a thin vertical
 * divider cuts off and that share its top and bottom: a card's price or action column, a table
 * row's cells. Each is found by filling from just beyond the divider, on a few rows.
 */
export function acrossDividers(img: GrayImage, c: Box): Box {
  let [x1, y1, x2, y2] = c;
  const rows = [y1 + 3, (y1 + y2) >> 1, y2 - 4].filter((y) => y > y1 + 1 && y < y2 - 2 && y >= 2 && y < img.height - 2);
  const sibling = (x: number): Box | undefined => {
    if (x < 2 || x >= img.width - 2) return undefined;
    for (const y of rows) {
      // Only from a seed in flat fill: a ring across a line would fill both of its sides.
      if (!flatAt(img, x, y)) continue;
      // Bounded to our rows: a fill that leaves them is no panel of this card.
      const s = containerWithin(img, [x, y, x + 1, y + 1], [0, y1 - EDGE_SLACK - 1, img.width, y2 + EDGE_SLACK + 1]);
      if (s && Math.abs(s[1] - y1) <= EDGE_SLACK && Math.abs(s[3] - y2) <= EDGE_SLACK && s[2] - s[0] > 2 * MAX_DIVIDER) return s;
    }
    return undefined;
  };
  for (let n = 0; n < 4; n++) {
    let grown = false;
    for (let d = 1; d <= MAX_DIVIDER + 2 && !grown; d++) {
      const s = sibling(x2 + d);
      if (s && s[0] >= x2 && s[0] <= x2 + MAX_DIVIDER + 2) [x2, grown] = [s[2], true];
    }
    for (let d = 1; d <= MAX_DIVIDER + 2 && !grown; d++) {
      const s = sibling(x1 - d - 1);
      if (s && s[2] <= x1 && s[2] >= x1 - MAX_DIVIDER - 2) [x1, grown] = [s[0], true];
    }
    if (!grown) break;
  }
  return [x1, y1, x2, y2];
}

/**
 * `c` joined with the panel right above it when that panel is the top of the same card: the same
 * left and right edges, touching it, filled with another level (a product card's picture over its
 * white text panel), and at least `minHeight` tall (a zebra table's rows, a line or two of text
 * tall, stay apart).
 */
export function withPanelAbove(img: GrayImage, c: Box, minHeight: number): Box {
  const [x1, y1, x2, y2] = c;
  if (y1 < 8 || x2 - x1 < 12) return c;
  const own = img.data[Math.min(img.height - 1, y1 + 1) * img.width + Math.min(img.width - 1, x1 + 1)];
  for (const x of [x1 + 3, (x1 + x2) >> 1, x2 - 4]) {
    for (let d = 2; d <= 6; d++) {
      const y = y1 - d;
      if (y < 2) break;
      const v = img.data[y * img.width + x];
      if (Math.abs(v - own) <= SAME_FILL || !flatAt(img, x, y)) continue;
      // Bounded to our columns: a fill that leaves them is no part of this card.
      const s = containerWithin(img, [x, y, x + 1, y + 1], [x1 - EDGE_SLACK - 1, 0, x2 + EDGE_SLACK + 1, y2 + 2 * EDGE_SLACK + 1]);
      // The fill may run down the card's border around our panel (a border as light as the picture's fill).
      if (s && Math.abs(s[0] - x1) <= EDGE_SLACK && Math.abs(s[2] - x2) <= EDGE_SLACK && s[1] <= y1 - minHeight && s[3] <= y2 + 2 * EDGE_SLACK) {
        return [Math.min(x1, s[0]), s[1], Math.max(x2, s[2]), Math.max(y2, s[3])];
      }
    }
  }
  return c;
}
