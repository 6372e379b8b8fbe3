import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meanAbsDiff } from '../../../kernels/frame-diff.ts';
import { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { THUMBNAIL_SIDE } from '../../../src/executors/browser/page-capture.ts';
import { startStaticServer, type StaticServer } from '../../../src/run/static-server.ts';
import { FIXTURE_ROOT } from './browser-support.ts';

let server: StaticServer;
let ex: BrowserExecutor;

beforeAll(async () => {
  server = await startStaticServer(FIXTURE_ROOT);
  ex = await BrowserExecutor.launch({ viewport: [1280, 720], deviceScaleFactor: 2 });
});
afterAll(async () => {
  await ex?.close();
  await server?.close();
});

async function rgb(image: Buffer) {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('capture', () => {
  it('gives the same pixels as page.screenshot, at device resolution, also when scrolled', async () => {
    await ex.goto(server.resolve('/scroll.html'));
    await ex.evaluate('window.scrollTo(300, 700)');
    const frame = await ex.capture({ format: 'png' });
    expect([frame.width, frame.height, frame.scale, frame.format]).toEqual([2560, 1440, 2, 'png']);
    const ours = await rgb(frame.image);
    const reference = await rgb(await ex.page.screenshot({ type: 'png' }));
    expect([ours.width, ours.height]).toEqual([reference.width, reference.height]);
    expect(meanAbsDiff(ours.data, reference.data)).toBe(0);
  });

  it('defaults to JPEG, reports the true image size, and honours quality', async () => {
    await ex.goto(server.resolve('/events.html'));
    const before = Date.now();
    const frame = await ex.capture();
    expect(frame.format).toBe('jpeg');
    expect(frame.capturedAt).toBeGreaterThanOrEqual(before);
    const meta = await sharp(frame.image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', frame.width, frame.height]);
    const low = await ex.capture({ format: 'jpeg', quality: 20 });
    const high = await ex.capture({ format: 'jpeg', quality: 95 });
    expect(low.image.length).toBeLessThan(frame.image.length);
    expect(high.image.length).toBeGreaterThan(frame.image.length);
    await expect(ex.capture({ quality: 0 })).rejects.toThrow(/quality must be 1\.\.100/);
  });
});

describe('thumbnail', () => {
  it('is small, RGB, stable on a still page and changes when the page does', async () => {
    await ex.goto(server.resolve('/events.html'));
    const a = await ex.thumbnail();
    expect([a.width, a.height]).toEqual([THUMBNAIL_SIDE, 144]);
    expect(a.data.length).toBe(a.width * a.height * 3);
    const b = await ex.thumbnail();
    expect(meanAbsDiff(a.data, b.data)).toBe(0);
    await ex.evaluate(`document.body.style.background = '#000'`);
    const c = await ex.thumbnail();
    expect(meanAbsDiff(a.data, c.data)).toBeGreaterThan(100);
  });

  it('keeps the viewport aspect ratio on a phone-shaped viewport', async () => {
    const phone = await BrowserExecutor.launch({ viewport: [390, 844], deviceScaleFactor: 3, isMobile: true });
    try {
      await phone.goto(server.resolve('/events.html'));
      const t = await phone.thumbnail();
      expect(t.height).toBe(THUMBNAIL_SIDE);
      expect(Math.abs(t.width - Math.round((390 / 844) * THUMBNAIL_SIDE))).toBeLessThanOrEqual(1);
      const frame = await phone.capture();
      expect([frame.width, frame.height]).toEqual([1170, 2532]);
    } finally {
      await phone.close();
    }
  });
});
