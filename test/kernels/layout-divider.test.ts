import { describe, expect, it } from 'vitest';
import { lastLayoutDividerBefore, layoutDividerBetween } from '../../kernels/layout-divider.ts';

/** A 60×50 gray image, each pixel from `level(x, y)`. */
function image(level: (x: number, y: number) => number) {
  const data = new Uint8Array(60 * 50);
  for (let y = 0; y < 50; y++) for (let x = 0; x < 60; x++) data[y * 60 + x] = level(x, y);
  return { data, width: 60, height: 50 };
}

/** The slow obvious reading: a column whose every-row step count reaches 90% of the height. */
function reference(img: ReturnType<typeof image>, x1: number, x2: number): number {
  for (let x = x1 + 1; x < x2; x++) {
    let n = 0;
    for (let y = 0; y < img.height; y++) if (Math.abs(img.data[y * 60 + x] - img.data[y * 60 + x - 1]) >= 12) n++;
    if (n >= Math.ceil(0.9 * img.height)) return x;
  }
  return -1;
}

describe('layoutDividerBetween: an edge the height of the screen', () => {
  it('finds a sidebar border and a dark rail beside a light page', () => {
    const border = image((x) => (x === 20 ? 200 : 248));
    expect(layoutDividerBetween(border, 5, 50)).toBe(20);
    const rail = image((x) => (x < 12 ? 20 : 250));
    expect(layoutDividerBetween(rail, 0, 50)).toBe(12);
    expect(layoutDividerBetween(rail, 15, 50)).toBe(-1);
    // Looking left from a row: the nearest divider before it, none before the rail's own edge.
    expect(lastLayoutDividerBefore(border, 45)).toBe(21);
    expect(lastLayoutDividerBefore(rail, 45)).toBe(12);
    expect(lastLayoutDividerBefore(rail, 12)).toBe(-1);
  });

  it('does not take a table column line or a card edge that stops short of the screen', () => {
    const table = image((x, y) => (x === 30 && y >= 10 && y < 40 ? 180 : 250));
    expect(layoutDividerBetween(table, 0, 60)).toBe(-1);
  });

  it('agrees with a slow reading on noisy screens', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 30; k++) {
      const cut = 5 + Math.floor(rand() * 50);
      const cover = rand();
      const img = image((x, y) => (x >= cut && y < cover * 50 ? 60 : 240) + Math.floor(rand() * 10));
      expect(layoutDividerBetween(img, 0, 60)).toBe(reference(img, 0, 60));
    }
  });
});
