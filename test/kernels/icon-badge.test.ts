import { describe, expect, it } from 'vitest';
import { badgeScratch, findBadge, mirrorUnderBadge, withoutBadge } from '../../kernels/icon-badge.ts';

type Rgb = [number, number, number];
/** A 24×24 RGB image on a light grey page, each pixel coloured by `paint` (undefined: background). */
function draw(paint: (x: number, y: number) => Rgb | undefined): Uint8Array {
  const data = new Uint8Array(24 * 24 * 3);
  for (let y = 0; y < 24; y++) {
    for (let x = 0; x < 24; x++) {
      const c = paint(x, y) ?? [241, 244, 249];
      data.set(c, (y * 24 + x) * 3);
    }
  }
  return data;
}
const GREY: Rgb = [74, 85, 104];
const RED: Rgb = [239, 68, 68];
const WHITE: Rgb = [255, 255, 255];
const whole: [number, number, number, number] = [0, 0, 24, 24];
/** A bell-ish outline: a dome's two sides and a rim line, in grey. */
const bell = (x: number, y: number): boolean => ((x === 4 || x === 17) && y >= 6 && y <= 18) || (y === 18 && x >= 2 && x <= 19) || (y === 5 && x >= 6 && x <= 15);
const inDisc = (x: number, y: number, cx: number, cy: number, r: number): boolean => Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= r;

describe('findBadge: a count badge drawn over an icon', () => {
  const scratch = badgeScratch(24 * 24);

  it('finds a red disc with a white count on the top right corner', () => {
    const rgb = draw((x, y) => (inDisc(x, y, 18, 6, 6) ? (x === 18 && y >= 3 && y <= 8 ? WHITE : RED) : bell(x, y) ? GREY : undefined));
    const b = findBadge(rgb, 24, whole, scratch);
    expect(b).toBeDefined();
    const [x1, y1, x2, y2] = b!;
    expect(x1).toBeGreaterThanOrEqual(11);
    expect(y1).toBeLessThanOrEqual(1);
    expect(x2).toBe(24);
    expect(y2).toBeLessThanOrEqual(13);
  });

  it('takes no badge from a wholly coloured icon, a grey icon, or a red shape low in the box', () => {
    const tile = draw((x, y) => (x >= 1 && x <= 22 && y >= 1 && y <= 22 ? (x === 11 && y > 5 && y < 18 ? WHITE : [37, 99, 235]) : undefined));
    expect(findBadge(tile, 24, whole, scratch)).toBeUndefined();
    expect(findBadge(draw((x, y) => (bell(x, y) ? GREY : undefined)), 24, whole, scratch)).toBeUndefined();
    const low = draw((x, y) => (inDisc(x, y, 18, 18, 5) ? RED : bell(x, y) ? GREY : undefined));
    expect(findBadge(low, 24, whole, scratch)).toBeUndefined();
  });

  it('takes no badge from a red outline (a ring is not filled)', () => {
    const ring = draw((x, y) => (Math.abs(Math.hypot(x + 0.5 - 18, y + 0.5 - 6) - 5) < 0.7 ? RED : bell(x, y) ? GREY : undefined));
    expect(findBadge(ring, 24, whole, scratch)).toBeUndefined();
  });
});

describe('an icon with its badge taken off', () => {
  /** A 20×20 ink map: a symmetric arch (a bell's outline) about x = 9.5. */
  const arch = (): Float32Array => {
    const ink = new Float32Array(400);
    for (let y = 2; y < 18; y++) for (let x = 2; x < 18; x++) if (x === 3 || x === 16 || y === 17 || (y === 3 && x > 3 && x < 16)) ink[y * 20 + x] = 1;
    return ink;
  };
  const crop: [number, number, number, number] = [100, 50, 120, 70];
  const badge: [number, number, number, number] = [111, 50, 120, 58];

  it('clears the badge and a pixel round it, and boxes the ink left', () => {
    const ink = arch();
    const rest = withoutBadge(ink, crop, badge);
    for (let y = 0; y < 9; y++) for (let x = 10; x < 20; x++) expect(ink[y * 20 + x]).toBe(0);
    // The arch's left side and its base still span it: the box is the whole arch.
    expect(rest).toEqual([102, 52, 118, 68]);
  });

  it('gives back what the mirror of a symmetric shape shows under it, as a slow reading does', () => {
    const original = arch();
    const ink = arch();
    const rest = withoutBadge(ink, crop, badge)!;
    mirrorUnderBadge(ink, crop, badge, rest);
    // Slow reading: each cleared pixel takes the value at its mirror about the arch's axis.
    const axis = (rest[0] + rest[2] - 1) / 2 - crop[0];
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 20; x++) {
        const under = x >= 10 && y < 9;
        const mx = Math.round(2 * axis - x);
        const source = mx >= 10 && y < 9 ? 0 : original[y * 20 + mx];
        expect(ink[y * 20 + x], `${x},${y}`).toBe(under ? source : original[y * 20 + x]);
      }
    }
    // And the arch is whole again.
    expect(Array.from(ink)).toEqual(Array.from(original));
  });

  it('leaves nothing to describe when the badge was most of the ink', () => {
    const ink = new Float32Array(400);
    for (let y = 0; y < 8; y++) for (let x = 11; x < 20; x++) ink[y * 20 + x] = 1;
    ink[15 * 20 + 4] = 1;
    expect(withoutBadge(ink, crop, badge)).toBeUndefined();
  });
});
