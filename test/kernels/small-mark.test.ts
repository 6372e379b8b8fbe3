import { describe, expect, it } from 'vitest';
import { expanderShaped, marksBeside, solidTriangle } from '../../kernels/small-mark.ts';

const W = 80;
const H = 30;
/** A white 80×30 image with the pixels `ink(x, y)` says drawn black. */
function draw(ink: (x: number, y: number) => boolean) {
  const data = new Uint8Array(W * H).fill(255);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (ink(x, y)) data[y * W + x] = 0;
  return { data, width: W, height: H };
}
// A 14 px tall label from x 50 on; marks are drawn left of it.
const label: [number, number, number, number] = [50, 8, 78, 22];
const chevron = (x: number, y: number) => x >= 10 && x <= 18 && y >= 12 && y <= 16 && Math.abs(y - 12 - (4 - Math.abs(x - 14))) <= 0;
const disc = (x: number, y: number) => Math.hypot(x - 14, y - 15) <= 3.5;
const folder = (x: number, y: number) => x >= 30 && x <= 45 && y >= 8 && y <= 22;

/** The slow obvious reading: every column with ink in the band, split at blank columns. */
function slowMarks(img: ReturnType<typeof draw>, reach: number): number[][] {
  const cols: number[] = [];
  for (let x = label[0] - 2; x >= Math.max(0, label[0] - reach); x--) {
    let any = false;
    for (let y = 1; y < 29; y++) if (img.data[y * W + x] < 200) any = true;
    if (any) cols.push(x);
  }
  const runs: number[][] = [];
  for (const x of cols) {
    const last = runs[runs.length - 1];
    if (last && last[0] === x + 1) last[0] = x;
    else runs.push([x, x]);
  }
  return runs.map(([a, b]) => [a, b + 1]);
}

describe('marks left of a label, too small for the icon finder', () => {
  it('finds each mark in reading order from the label outwards, as the slow column scan does', () => {
    const img = draw((x, y) => chevron(x, y) || folder(x, y));
    const marks = marksBeside(img, label, 'left', 50, 255);
    expect(marks.map((m) => [m[0], m[2]])).toEqual(slowMarks(img, 50));
    expect(marks).toHaveLength(2);
    expect(marks[1]).toEqual([10, 12, 19, 17]);
  });

  it('calls a chevron an expander, not a round dot or an icon taller than the text', () => {
    const img = draw((x, y) => chevron(x, y) || folder(x, y));
    const [folderMark, chevronMark] = marksBeside(img, label, 'left', 50, 255);
    expect(expanderShaped(img, chevronMark, 14, 255)).toBe(true);
    expect(expanderShaped(img, folderMark, 14, 255)).toBe(false);
    const dot = draw(disc);
    const [dotMark] = marksBeside(dot, label, 'left', 50, 255);
    expect(expanderShaped(dot, dotMark, 14, 255)).toBe(false);
  });

  it('calls a small solid triangle an expander (▸ ▾), but not a solid square or disc of that size', () => {
    // ▸ 5 wide, 8 tall: each column shorter than the one before.
    const right = (x: number, y: number) => x >= 10 && x < 15 && Math.abs(y - 15.5) <= 4 - 0.8 * (x - 10);
    // ▾ 8 wide, 5 tall.
    const down = (x: number, y: number) => y >= 13 && y < 18 && Math.abs(x - 13.5) <= 4 - 0.8 * (y - 13);
    const square = (x: number, y: number) => x >= 10 && x < 16 && y >= 12 && y < 18;
    for (const [shape, want] of [[right, true], [down, true], [square, false], [disc, false]] as const) {
      const img = draw(shape);
      const [mark] = marksBeside(img, label, 'left', 50, 255);
      expect(solidTriangle(img, mark, 255)).toBe(want);
      expect(expanderShaped(img, mark, 14, 255)).toBe(want);
    }
  });

  it('finds a ▸ a few pixels long whose edges are antialiased, grey on a dark panel (a layers tree)', () => {
    // The pixels of a 4×6 ▸ as Chromium draws it (#8a8a8a on #2c2c2c), left of a 8 px tall label.
    const rows = [
      [71, 51, 44, 44],
      [94, 130, 65, 44],
      [94, 143, 140, 82],
      [94, 143, 140, 82],
      [94, 130, 65, 44],
      [71, 51, 44, 44],
    ];
    const data = new Uint8Array(W * H).fill(44);
    rows.forEach((row, dy) => row.forEach((v, dx) => (data[(12 + dy) * W + 30 + dx] = v)));
    const img = { data, width: W, height: H };
    const small: [number, number, number, number] = [50, 11, 70, 19];
    const [mark] = marksBeside(img, small, 'left', 36, 44);
    expect(mark).toBeDefined();
    expect(solidTriangle(img, mark, 44)).toBe(true);
    expect(expanderShaped(img, mark, 8, 44)).toBe(true);
    // The same block filled evenly is a small square, no triangle.
    const flat = new Uint8Array(W * H).fill(44);
    rows.forEach((row, dy) => row.forEach((_, dx) => (flat[(12 + dy) * W + 30 + dx] = 140)));
    const square = { data: flat, width: W, height: H };
    const [block] = marksBeside(square, small, 'left', 36, 44);
    expect(solidTriangle(square, block, 44)).toBe(false);
  });
});
