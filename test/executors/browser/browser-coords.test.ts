import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import type { Frame } from '../../../src/core/frame.ts';
import { startStaticServer, type StaticServer } from '../../../src/run/static-server.ts';
import { FIXTURE_ROOT, rectOf } from './browser-support.ts';

// Frame pixels ↔ CSS px at several device scale factors and viewport shapes, end to end: the
// marker is found where expected in the captured image, and a click at its centre in frame
// pixels reaches the page at its centre in CSS px.
let server: StaticServer;
beforeAll(async () => {
  server = await startStaticServer(FIXTURE_ROOT);
});
afterAll(async () => {
  await server?.close();
});

/** Bounding box of pure-red pixels inside a region of the frame image, in frame pixels. */
async function redBox(frame: Frame, region: { left: number; top: number; width: number; height: number }) {
  const { data, info } = await sharp(frame.image).extract(region).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * 3;
      if (data[i] > 200 && data[i + 1] < 80 && data[i + 2] < 80) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
    }
  }
  return [x1 + region.left, y1 + region.top, x2 + region.left, y2 + region.top];
}

const VIEWPORTS: [number, number][] = [
  [390, 844],
  [3440, 1440],
  [800, 200],
];
const SCALES = [1, 1.5, 2, 3];

describe.each(VIEWPORTS)('viewport %i x %i', (w, h) => {
  it.each(SCALES)('maps frame pixels to CSS px at device scale factor %d', async (dpr) => {
    const ex = await BrowserExecutor.launch({ viewport: [w, h], deviceScaleFactor: dpr });
    try {
      await ex.goto(server.resolve('/coords.html'));
      const frame = await ex.capture({ format: 'jpeg', quality: 90 });
      expect([frame.width, frame.height, frame.scale]).toEqual([Math.round(w * dpr), Math.round(h * dpr), dpr]);
      expect(frame.origin).toEqual({ x: 0, y: 0 });
      for (const id of ['m0', 'm1', 'm2']) {
        const r = await rectOf(ex, `#${id}`);
        const expected = [r.x * dpr, r.y * dpr, (r.x + r.width) * dpr, (r.y + r.height) * dpr];
        const pad = 8;
        const left = Math.max(0, Math.floor(expected[0]) - pad);
        const top = Math.max(0, Math.floor(expected[1]) - pad);
        const region = {
          left,
          top,
          width: Math.min(frame.width, Math.ceil(expected[2]) + pad) - left,
          height: Math.min(frame.height, Math.ceil(expected[3]) + pad) - top,
        };
        const found = await redBox(frame, region);
        // Paint snaps fractional edges to device pixels (up to 1 px) and JPEG chroma subsampling
        // blurs colour edges (up to 1.5 px); a wrong scale would be off by tens of pixels.
        for (let k = 0; k < 4; k++) expect(Math.abs(found[k] - expected[k])).toBeLessThanOrEqual(2.5);

        const centre: [number, number] = [(expected[0] + expected[2]) / 2, (expected[1] + expected[3]) / 2];
        await ex.perform({ action: 'click', target: { point: centre }, button: 'left', count: 1 }, frame);
        const seen = (await ex.evaluate('__clicks.at(-1)')) as { id: string; x: number; y: number };
        expect(seen.id).toBe(id);
        expect(Math.abs(seen.x - (r.x + r.width / 2))).toBeLessThanOrEqual(1);
        expect(Math.abs(seen.y - (r.y + r.height / 2))).toBeLessThanOrEqual(1);
      }
    } finally {
      await ex.close();
    }
  });
});
