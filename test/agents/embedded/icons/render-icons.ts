import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { onceMoreIfBusy } from '../../../../src/executors/browser/page-capture.ts';
import type { Frame, RgbImage } from '../../../../src/core/frame.ts';

/** Renders HTML in headless Chromium: the screenshot, and the boxes (image pixels) of the [data-icon] elements by name. */
export interface IconPage {
  rgb: RgbImage;
  frame: Frame;
  targets: Array<{ name: string; box: [number, number, number, number] }>;
}

export async function renderIconPage(browser: Browser, html: string, viewport: { width: number; height: number }, dpr = 1): Promise<IconPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: dpr });
  try {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const targets = await page.evaluate((dpr) =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-icon]')).map((el) => {
        const r = (el.querySelector('svg') ?? el).getBoundingClientRect();
        return { name: el.dataset.icon!, box: [r.left * dpr, r.top * dpr, r.right * dpr, r.bottom * dpr] as [number, number, number, number] };
      }), dpr);
    const png = await onceMoreIfBusy(() => page.screenshot({ type: 'png' }));
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const rgb: RgbImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    const frame: Frame = { image: png, format: 'png', width: info.width, height: info.height, scale: dpr, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
    return { rgb, frame, targets };
  } finally {
    await context.close();
  }
}

/** Whether a point lies in a box grown by `slack` px. */
export const inBox = ([x, y]: [number, number], [x1, y1, x2, y2]: [number, number, number, number], slack = 2): boolean =>
  x >= x1 - slack && x <= x2 + slack && y >= y1 - slack && y <= y2 + slack;
