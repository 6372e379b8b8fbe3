import { describe, expect, it } from 'vitest';
import { acrossDividers, containerOf, withPanelAbove, type Box } from '../../kernels/container.ts';
import type { GrayImage } from '../../kernels/gray.ts';

// The obvious container: breadth-first over a grid of booleans, one neighbour list per pixel.
function slowContainer(img: GrayImage, box: Box): Box {
  const { width, height, data } = img;
  const [x1, y1, x2, y2] = [Math.floor(box[0]), Math.floor(box[1]), Math.ceil(box[2]), Math.ceil(box[3])];
  const ring: [number, number][] = [];
  for (let x = x1 - 2; x <= x2 + 1; x++) ring.push([x, y1 - 2], [x, y2 + 1]);
  for (let y = y1 - 2; y <= y2 + 1; y++) ring.push([x1 - 2, y], [x2 + 1, y]);
  const inside = ring.filter(([x, y]) => x >= 0 && y >= 0 && x < width && y < height);
  const counts = new Map<number, number>();
  for (const [x, y] of inside) counts.set(data[y * width + x], (counts.get(data[y * width + x]) ?? 0) + 1);
  const bg = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const same = (x: number, y: number) => Math.abs(data[y * width + x] - bg) <= 6;
  const seen = new Set<string>();
  const queue = inside.filter(([x, y]) => same(x, y));
  queue.forEach(([x, y]) => seen.add(`${x},${y}`));
  let out: Box = [Infinity, Infinity, -Infinity, -Infinity];
  while (queue.length) {
    const [x, y] = queue.shift()!;
    out = [Math.min(out[0], x), Math.min(out[1], y), Math.max(out[2], x + 1), Math.max(out[3], y + 1)];
    for (const [nx, ny] of [[x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]]) {
      if (nx < 0 || ny < 0 || nx >= width || ny >= height || seen.has(`${nx},${ny}`)) continue;
      seen.add(`${nx},${ny}`);
      if (same(nx, ny)) queue.push([nx, ny]);
    }
  }
  return out[2] < 0 ? [x1, y1, x2 + 1, y2 + 1] : out;
}

function page(width: number, height: number): GrayImage {
  return { width, height, data: new Uint8Array(width * height).fill(240) };
}
function rect(img: GrayImage, [x1, y1, x2, y2]: Box, level: number, fill?: number): void {
  for (let y = y1; y < y2; y++) {
    for (let x = x1; x < x2; x++) {
      const edge = x === x1 || y === y1 || x === x2 - 1 || y === y2 - 1;
      if (edge) img.data[y * img.width + x] = level;
      else if (fill !== undefined) img.data[y * img.width + x] = fill;
    }
  }
}

describe('containerOf: the card, cell or panel a text sits in', () => {
  it('is the bordered card around the text, not the page or a neighbouring card', () => {
    const img = page(300, 200);
    rect(img, [10, 10, 140, 190], 200, 255);
    rect(img, [160, 10, 290, 190], 200, 255);
    rect(img, [30, 40, 80, 52], 20, 20); // the "text": ink the fill goes around
    expect(containerOf(img, [30, 40, 80, 52])).toEqual([11, 11, 139, 189]);
  });

  it('joins the panels of one card across a thin divider, not a card beside it or a panel of another height', () => {
    const img = page(400, 200);
    // A card [10,10,300,110] with a divider at x=200 (its price column), text in both panels.
    rect(img, [10, 10, 300, 110], 200, 255);
    for (let y = 10; y < 110; y++) img.data[y * img.width + 200] = 200;
    rect(img, [30, 40, 80, 52], 20, 20);
    rect(img, [220, 70, 280, 84], 20, 20);
    const left = containerOf(img, [30, 40, 80, 52]);
    expect(left).toEqual([11, 11, 200, 109]);
    expect(acrossDividers(img, left)).toEqual([11, 11, 299, 109]);
    // From the right panel it grows leftwards the same way.
    expect(acrossDividers(img, containerOf(img, [220, 70, 280, 84]))).toEqual([11, 11, 299, 109]);
    // A card beside it with a gap of page background, and a shorter panel cut off by a divider: kept apart.
    const two = page(400, 200);
    rect(two, [10, 10, 150, 110], 200, 255);
    rect(two, [160, 10, 300, 110], 200, 255);
    rect(two, [30, 40, 80, 52], 20, 20);
    const own = containerOf(two, [30, 40, 80, 52]);
    expect(acrossDividers(two, own)).toEqual(own);
    const short = page(400, 200);
    rect(short, [10, 10, 300, 110], 200, 255);
    for (let y = 10; y < 110; y++) short.data[y * short.width + 200] = 200;
    for (let x = 200; x < 300; x++) short.data[60 * short.width + x] = 200; // the right side split in two rows
    rect(short, [30, 40, 80, 52], 20, 20);
    const cell = containerOf(short, [30, 40, 80, 52]);
    expect(acrossDividers(short, cell)).toEqual(cell);
  });

  it("joins a card's picture above its text panel, not a zebra row or a same-coloured block above", () => {
    const img = page(400, 300);
    // A card [20,20,220,260]: a picture (level 200, with a shape in it) over a white text panel.
    rect(img, [20, 20, 220, 260], 230, 255);
    for (let y = 21; y < 150; y++) for (let x = 21; x < 219; x++) img.data[y * img.width + x] = 200;
    rect(img, [80, 60, 150, 110], 40, 40);
    rect(img, [40, 170, 120, 182], 20, 20);
    const panel = containerOf(img, [40, 170, 120, 182]);
    expect(panel).toEqual([21, 150, 219, 259]);
    expect(withPanelAbove(img, panel, 60)).toEqual([21, 21, 219, 259]);
    // Too short to be a picture: a zebra row above.
    expect(withPanelAbove(img, panel, 200)).toEqual(panel);
    // The same fill above (the page continues): nothing to join.
    const flat = page(400, 300);
    rect(flat, [20, 150, 220, 260], 230, 255);
    rect(flat, [40, 170, 120, 182], 20, 20);
    const own = containerOf(flat, [40, 170, 120, 182]);
    expect(withPanelAbove(flat, own, 60)).toEqual(own);
  });

  it('is the whole image when nothing encloses the text', () => {
    const img = page(120, 80);
    rect(img, [40, 30, 70, 40], 10, 10);
    expect(containerOf(img, [40, 30, 70, 40])).toEqual([0, 0, 120, 80]);
  });

  it('equals the obvious flood fill on random cards and noise', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 16807) % 2147483647;
      return seed % n;
    };
    for (let t = 0; t < 25; t++) {
      const img = page(90 + rnd(60), 70 + rnd(50));
      for (let k = 0; k < 4; k++) {
        const x1 = rnd(img.width - 20);
        const y1 = rnd(img.height - 20);
        rect(img, [x1, y1, x1 + 10 + rnd(img.width - x1 - 10), y1 + 10 + rnd(img.height - y1 - 10)], rnd(256), rnd(3) ? 240 + rnd(12) : undefined);
      }
      for (let k = 0; k < 60; k++) img.data[rnd(img.data.length)] = rnd(256);
      const bx = rnd(img.width - 12);
      const by = rnd(img.height - 8);
      const box: Box = [bx, by, bx + 4 + rnd(8), by + 3 + rnd(5)];
      expect(containerOf(img, box), `case ${t}`).toEqual(slowContainer(img, box));
    }
  });
});

describe('textContrast: how far a text stands from its background', () => {
  // The obvious form: the most common level, then the 90th percentile of the ink's distances from it.
  function slowContrast(img: GrayImage, [x1, y1, x2, y2]: Box): number {
    const levels: number[] = [];
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) levels.push(img.data[y * img.width + x]);
    const counts = new Map<number, number>();
    for (const v of levels) counts.set(v, (counts.get(v) ?? 0) + 1);
    const bg = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    const ink = levels.map((v) => Math.abs(v - bg)).filter((d) => d > 16).sort((a, b) => a - b);
    return ink.length ? ink[Math.ceil(0.9 * ink.length) - 1] : 0;
  }

  it('equals the obvious percentile, and a light placeholder reads lower than dark text', async () => {
    const { textContrast } = await import('../../kernels/text-contrast.ts');
    const img = page(80, 30);
    rect(img, [5, 5, 30, 20], 40, 40); // dark text
    rect(img, [45, 5, 75, 20], 170, 170); // light placeholder
    expect(textContrast(img, [5, 5, 30, 20])).toBe(slowContrast(img, [5, 5, 30, 20]));
    expect(textContrast(img, [3, 3, 35, 24])).toBe(slowContrast(img, [3, 3, 35, 24]));
    expect(textContrast(img, [43, 3, 78, 24])).toBeLessThan(textContrast(img, [3, 3, 35, 24]));
    let seed = 3;
    for (let t = 0; t < 10; t++) {
      for (let k = 0; k < 300; k++) {
        seed = (seed * 16807) % 2147483647;
        img.data[seed % img.data.length] = seed % 256;
      }
      expect(textContrast(img, [2, 2, 70, 28]), `case ${t}`).toBe(slowContrast(img, [2, 2, 70, 28]));
    }
  });
});
