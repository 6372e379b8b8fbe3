import type { GrayImage } from './gray.ts';

type Box = [number, number, number, number];

/**
 * Whether a blob is drawn as a control is: a box, ring or pill, outlined or filled, has ink at
 * the middle of each of its four sides (a circle's too: its arc stays within a pixel or two of
 * its bounding box over the middle third). An icon's glyph (a plane, a person) leaves a side open.
 */
export function closedShape(img: GrayImage, [x1, y1, x2, y2]: Box, bg: number): boolean {
  const w = x2 - x1;
  const h = y2 - y1;
  if (w < 3 || h < 3) return false;
  const ink = (x: number, y: number): boolean => {
    const d = img.data[y * img.width + x] - bg;
    return d > 24 || d < -24;
  };
  // Along one side's middle third, how often the first two pixels inward hold ink.
  const side = (horizontal: boolean, at: number, inward: number): number => {
    const from = horizontal ? x1 + Math.floor(w / 3) : y1 + Math.floor(h / 3);
    const to = horizontal ? x2 - Math.floor(w / 3) : y2 - Math.floor(h / 3);
    let hit = 0;
    for (let i = from; i < to; i++) {
      const a = horizontal ? ink(i, at) || ink(i, at + inward) : ink(at, i) || ink(at + inward, i);
      if (a) hit++;
    }
    return to > from ? hit / (to - from) : 0;
  };
  return [side(true, y1, 1), side(true, y2 - 1, -1), side(false, x1, 1), side(false, x2 - 1, -1)].every((f) => f >= 0.6);
}
