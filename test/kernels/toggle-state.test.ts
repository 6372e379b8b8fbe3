import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rgbToGray, type GrayImage } from '../../kernels/gray.ts';
import { isTicked, tickInk, TICK_INK_LEVELS } from '../../kernels/toggle-state.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { renderPage } from '../agents/embedded/ground/render-page.ts';

type Box = [number, number, number, number];

// The obvious reading: collect the ring's pixels and the inside's pixels as lists, then count.
function slowTickInk(img: GrayImage, [x1, y1, x2, y2]: Box): number {
  const at = (x: number, y: number) => img.data[y * img.width + x];
  const ring: number[] = [];
  const [rx1, ry1, rx2, ry2] = [Math.max(0, x1 - 2), Math.max(0, y1 - 2), Math.min(img.width - 1, x2 + 1), Math.min(img.height - 1, y2 + 1)];
  for (let y = ry1; y <= ry2; y++) for (let x = rx1; x <= rx2; x++) if (y === ry1 || y === ry2 || x === rx1 || x === rx2) ring.push(at(x, y));
  const page = ring.reduce((a, b) => a + b, 0) / ring.length;
  const inside: number[] = [];
  const [w, h] = [x2 - x1, y2 - y1];
  for (let y = Math.max(0, y1 + Math.round(h / 4)); y < Math.min(img.height, y2 - Math.round(h / 4)); y++) {
    for (let x = Math.max(0, x1 + Math.round(w / 4)); x < Math.min(img.width, x2 - Math.round(w / 4)); x++) inside.push(at(x, y));
  }
  return inside.filter((v) => Math.abs(v - page) > TICK_INK_LEVELS).length / inside.length;
}

describe('tickInk', () => {
  it('equals the obvious count on random images and boxes, edges included', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 200; n++) {
      const img: GrayImage = { width: 40, height: 30, data: Uint8Array.from({ length: 1200 }, () => (rnd() < 0.5 ? 255 : Math.floor(rnd() * 256))) };
      const x1 = Math.floor(rnd() * 36);
      const y1 = Math.floor(rnd() * 26);
      const box: Box = [x1, y1, Math.min(40, x1 + 4 + Math.floor(rnd() * 14)), Math.min(30, y1 + 4 + Math.floor(rnd() * 14))];
      expect(tickInk(img, box)).toBeCloseTo(slowTickInk(img, box), 12);
    }
  });

  it("tells Chromium's ticked checkboxes and radio buttons from empty ones, light and dark", async () => {
    const html = readFileSync(path.join(import.meta.dirname, '../fixtures/kernels/toggles.html'), 'utf8');
    const browser = await launchChromium();
    try {
      const page = await renderPage(browser, html, { viewport: { width: 420, height: 260 } });
      const gray = rgbToGray(page.rgb.data, page.rgb.width, page.rgb.height);
      const boxes = page.targets.filter((t) => t.desc.startsWith('on-') || t.desc.startsWith('off-'));
      expect(boxes.length).toBe(8);
      for (const t of boxes) expect(isTicked(gray, t.box as Box), t.desc).toBe(t.desc.startsWith('on-'));
    } finally {
      await browser.close();
    }
  }, 60_000);
});
