/** Finger gestures written as a direction, turned into the two points a swipe needs. */

export type Direction = 'up' | 'down' | 'left' | 'right';

const UNIT: Record<Direction, [number, number]> = { up: [0, -1], down: [0, 1], left: [-1, 0], right: [1, 0] };

/**
 * A swipe in one of four directions over a region (frame pixels): the finger moves the way the
 * direction says ("swipe up means swiping from bottom to top"), across half the region's size
 * along that axis, centred in it.
 */
export function directionSwipe(region: readonly [number, number, number, number], direction: Direction): { from: [number, number]; to: [number, number] } {
  const [x1, y1, x2, y2] = region;
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  const [ux, uy] = UNIT[direction];
  const half = (ux !== 0 ? x2 - x1 : y2 - y1) / 4;
  return { from: [cx - ux * half, cy - uy * half], to: [cx + ux * half, cy + uy * half] };
}

export function isDirection(s: unknown): s is Direction {
  return s === 'up' || s === 'down' || s === 'left' || s === 'right';
}
