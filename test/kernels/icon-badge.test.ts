import { describe, expect, it } from 'vitest';
import { badgeScratch, findBadge } from '../../kernels/icon-badge.ts';

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
