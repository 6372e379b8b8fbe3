import { describe, expect, it } from 'vitest';
import {
  EDGE_THRESHOLD,
  fieldCandidatesNearLabel,
  findFieldRects,
  horizontalEdgeRuns,
  squareAtLeftEdge,
  toggleNearLabel,
  type Box,
} from '../../../../kernels/field-detect.ts';
import type { GrayImage } from '../../../../kernels/gray.ts';
import { ruledRows } from '../../../../kernels/ruled-rows.ts';

function canvas(width: number, height: number, bg = 255): GrayImage {
  return { data: new Uint8Array(width * height).fill(bg), width, height };
}

function fill(img: GrayImage, [x1, y1, x2, y2]: Box, v: number): void {
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) img.data[y * img.width + x] = v;
}

/** A 1-px bordered box with corners cut by `radius` (a crude rounded corner). */
function bordered(img: GrayImage, [x1, y1, x2, y2]: Box, border: number, inside: number, radius = 0): void {
  fill(img, [x1, y1, x2, y2], border);
  fill(img, [x1 + 1, y1 + 1, x2 - 1, y2 - 1], inside);
  for (let k = 0; k < radius; k++) {
    const bg = img.data[(y1 - 1) * img.width + x1 - 1] ?? 255;
    for (let j = 0; j < radius - k; j++) {
      for (const [x, y] of [[x1 + j, y1 + k], [x2 - 1 - j, y1 + k], [x1 + j, y2 - 1 - k], [x2 - 1 - j, y2 - 1 - k]]) img.data[y * img.width + x] = bg;
    }
  }
}

/** Fake glyphs: short dark strokes standing in for label text. */
function text(img: GrayImage, [x1, y1, x2, y2]: Box, v = 40): void {
  for (let x = x1; x < x2; x += 5) fill(img, [x, y1 + 2, x + 2, y2 - 2], v);
}

describe('field-detect kernel', () => {
  it('horizontalEdgeRuns agrees with a per-pixel scan', () => {
    const img = canvas(120, 60);
    bordered(img, [10, 10, 100, 40], 150, 255);
    text(img, [20, 18, 60, 32]);
    fill(img, [5, 50, 60, 51], 200);
    const runs = horizontalEdgeRuns(img, [0, 0, 120, 60], 20, EDGE_THRESHOLD, 0);
    const edge = (x: number, y: number) => Math.abs(img.data[y * 120 + x] - img.data[(y - 1) * 120 + x]) >= EDGE_THRESHOLD;
    const brute: { y: number; x1: number; x2: number }[] = [];
    for (let y = 1; y < 60; y++) {
      let start = -1;
      for (let x = 0; x <= 120; x++) {
        const e = x < 120 && edge(x, y);
        if (e && start < 0) start = x;
        if (!e && start >= 0) {
          if (x - start >= 20) brute.push({ y, x1: start, x2: x });
          start = -1;
        }
      }
    }
    expect(runs).toEqual(brute);
    expect(runs.some((r) => r.y === 10 && r.x1 === 10 && r.x2 === 100)).toBe(true);
  });

  it('finds a bordered input right of its label, and not a box spanning two stacked inputs', () => {
    const img = canvas(400, 140);
    text(img, [10, 14, 70, 30]);
    bordered(img, [120, 8, 360, 38], 160, 255, 3);
    text(img, [10, 58, 70, 74]);
    bordered(img, [120, 52, 360, 82], 160, 255, 3);
    const first = fieldCandidatesNearLabel(img, [10, 14, 70, 30])[0];
    expect(first.relation).toBe('right');
    expect(first.box).toEqual([120, 8, 360, 38]);
    expect(first.sides).toBe(true);
    const second = fieldCandidatesNearLabel(img, [10, 58, 70, 74])[0];
    expect(second.box).toEqual([120, 52, 360, 82]);
  });

  it("takes a box's own side, not the side of a box just beside it", () => {
    // Two dropdowns in two columns, 10 px apart, each under its label (a settings form).
    const img = canvas(500, 90);
    text(img, [20, 8, 80, 20]);
    text(img, [230, 8, 290, 20]);
    bordered(img, [20, 26, 220, 60], 160, 255, 5);
    bordered(img, [230, 26, 450, 60], 160, 255, 5);
    expect(fieldCandidatesNearLabel(img, [230, 8, 290, 20])[0].box).toEqual([230, 26, 450, 60]);
    expect(fieldCandidatesNearLabel(img, [20, 8, 80, 20])[0].box).toEqual([20, 26, 220, 60]);
  });

  it('finds a filled, borderless input below its label', () => {
    const img = canvas(400, 120, 250);
    text(img, [20, 10, 90, 26]);
    fill(img, [20, 34, 300, 66], 228);
    const c = fieldCandidatesNearLabel(img, [20, 10, 90, 26])[0];
    expect(c.relation).toBe('below');
    expect(c.box).toEqual([20, 34, 300, 66]);
  });

  it('finds the input around a placeholder, on a dark theme', () => {
    const img = canvas(400, 80, 30);
    bordered(img, [40, 20, 340, 56], 90, 45);
    text(img, [52, 30, 150, 46], 140);
    const c = fieldCandidatesNearLabel(img, [52, 30, 150, 46])[0];
    expect(c.relation).toBe('contains');
    expect(c.box).toEqual([40, 20, 340, 56]);
  });

  it('ignores a card much taller than the label', () => {
    const img = canvas(400, 300);
    bordered(img, [10, 10, 390, 290], 180, 255);
    text(img, [30, 40, 90, 56]);
    expect(fieldCandidatesNearLabel(img, [30, 40, 90, 56]).filter((c) => c.relation === 'contains')).toEqual([]);
  });

  it('finds every input-shaped rectangle, not buttons shaped like squares', () => {
    const img = canvas(500, 200);
    bordered(img, [20, 20, 300, 50], 150, 255);
    bordered(img, [20, 80, 300, 110], 150, 255);
    bordered(img, [20, 140, 60, 180], 150, 255);
    const rects = findFieldRects(img, 16).map((r) => r.box);
    expect(rects).toContainEqual([20, 20, 300, 50]);
    expect(rects).toContainEqual([20, 80, 300, 110]);
    expect(rects.some((b) => b[0] === 20 && b[1] === 140)).toBe(false);
  });

  it('finds a checkbox left of its label and a switch right of it', () => {
    const img = canvas(300, 100);
    bordered(img, [20, 21, 34, 35], 110, 255);
    text(img, [42, 20, 120, 36]);
    expect(toggleNearLabel(img, [42, 20, 120, 36], 'left')).toEqual([20, 21, 34, 35]);
    fill(img, [140, 60, 172, 76], 60);
    text(img, [42, 60, 120, 76]);
    expect(toggleNearLabel(img, [42, 60, 120, 76], 'right')).toEqual([140, 60, 172, 76]);
    expect(toggleNearLabel(canvas(300, 100), [42, 20, 120, 36], 'left')).toBeNull();
  });

  it("finds a table row's switch past the light borders between the rows", () => {
    const img = canvas(600, 100);
    // Row borders 1 px above and below the row, across the table, as light as #e4e7eb on white.
    fill(img, [10, 30, 590, 31], 230);
    fill(img, [10, 70, 590, 71], 230);
    text(img, [42, 42, 120, 58]);
    fill(img, [400, 39, 438, 61], 70);
    const search = { reach: 30, skipOthers: true, farthest: true };
    expect(toggleNearLabel(img, [42, 42, 120, 58], 'right', search)).toEqual([400, 39, 438, 61]);
    // The obvious reading: a row is ruled when most of its pixels are not the background.
    const rows = ruledRows(img, [120, 29, 590, 72], 255);
    const obvious = Array.from({ length: 72 - 29 }, (_, k) => {
      const y = 29 + k;
      let n = 0;
      for (let x = 120; x < 590; x++) if (Math.abs(img.data[y * img.width + x] - 255) > 8) n++;
      return n >= 0.7 * (590 - 120) ? 1 : 0;
    });
    expect(Array.from(rows)).toEqual(obvious);
    expect(rows[30 - 29]).toBe(1);
    expect(rows[45 - 29]).toBe(0);
  });

  it("finds a table row's first checkbox past a big icon, with a sidebar's highlighted row across the same band", () => {
    const img = canvas(700, 80);
    // A sidebar (0–250) whose highlighted row, light blue (#e0f2fe), lies across the table row's height.
    fill(img, [0, 0, 250, 80], 249);
    fill(img, [10, 22, 245, 58], 238);
    text(img, [60, 34, 130, 46]);
    fill(img, [250, 0, 251, 80], 215);
    // The row: a checkbox, a file icon as tall as the row, the file name.
    bordered(img, [276, 32, 292, 48], 120, 255, 1);
    fill(img, [312, 26, 340, 54], 130);
    text(img, [351, 34, 418, 46]);
    const search = { reach: 30, skipOthers: true, farthest: true, avoid: [[60, 34, 130, 46]] as [number, number, number, number][] };
    expect(toggleNearLabel(img, [351, 34, 418, 46], 'left', search)).toEqual([276, 32, 292, 48]);
    // The highlight is a region, not a ruled line: no row of it is left out.
    expect(Array.from(ruledRows(img, [0, 24, 348, 56], 255)).every((r) => r === 0)).toBe(true);
  });

  it('finds a checkbox that OCR counted into the label box, at its left edge', () => {
    const img = canvas(300, 60);
    bordered(img, [20, 20, 38, 38], 110, 255, 2);
    text(img, [46, 22, 140, 36]);
    // The label box runs from the checkbox's left edge: the checkbox is at or inside it.
    expect(toggleNearLabel(img, [20, 20, 140, 38], 'left')).toEqual([20, 20, 38, 38]);
    expect(squareAtLeftEdge(img, [20, 20, 140, 38])).toEqual([20, 20, 38, 38]);
  });

  it('does not take the first letter of a label for a checkbox', () => {
    // "E": left side, top, middle and bottom bars, no right side; "H": no top or bottom.
    for (const draw of [
      (img: GrayImage) => {
        fill(img, [20, 20, 22, 34], 30);
        for (const y of [20, 26, 32]) fill(img, [20, y, 30, y + 2], 30);
      },
      (img: GrayImage) => {
        fill(img, [20, 20, 22, 34], 30);
        fill(img, [29, 20, 31, 34], 30);
        fill(img, [20, 26, 31, 28], 30);
      },
    ]) {
      const img = canvas(300, 60);
      draw(img);
      text(img, [36, 20, 120, 34]);
      expect(squareAtLeftEdge(img, [20, 20, 120, 34])).toBeNull();
    }
  });
});
