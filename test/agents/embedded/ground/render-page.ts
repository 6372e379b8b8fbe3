import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { onceMoreIfBusy } from '../../../../src/executors/browser/page-capture.ts';
import type { Frame, RgbImage } from '../../../../src/core/frame.ts';

/** Renders HTML in headless Chromium and returns the screenshot plus DOM boxes of marked elements (image pixels). */

export interface DomTarget {
  /** The description to ground: data-desc, else the element's visible text. */
  desc: string;
  text: string;
  /** The element's box × device pixel ratio. */
  box: [number, number, number, number];
}

export interface RenderedPage {
  png: Buffer;
  rgb: RgbImage;
  frame: Frame;
  targets: DomTarget[];
}

export interface RenderOptions {
  viewport: { width: number; height: number };
  dpr?: number;
  /** CSS selector of the elements whose boxes to collect. */
  selector?: string;
}

const DEFAULT_SELECTOR = 'button, a, [role=button], input[type=submit], [data-desc]';

export async function renderPage(browser: Browser, html: string, options: RenderOptions): Promise<RenderedPage> {
  const dpr = options.dpr ?? 1;
  const context = await browser.newContext({ viewport: options.viewport, deviceScaleFactor: dpr });
  try {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const targets = await page.evaluate(
      ({ selector, dpr }) =>
        Array.from(document.querySelectorAll<HTMLElement>(selector))
          .filter((el) => !el.hasAttribute('data-skip'))
          .map((el) => {
            const r = el.getBoundingClientRect();
            const text = (el.innerText || (el as HTMLInputElement).value || '').trim().replace(/\s+/g, ' ');
            return {
              desc: el.getAttribute('data-desc') ?? (text || el.getAttribute('placeholder') || ''),
              text,
              box: [r.left * dpr, r.top * dpr, r.right * dpr, r.bottom * dpr] as [number, number, number, number],
            };
          })
          .filter((t) => t.desc && t.box[2] > t.box[0] && t.box[3] > t.box[1] && t.box[1] < innerHeight * dpr && t.box[0] < innerWidth * dpr),
      { selector: options.selector ?? DEFAULT_SELECTOR, dpr },
    );
    const png = await onceMoreIfBusy(() => page.screenshot({ type: 'png' }));
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const rgb: RgbImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    const frame: Frame = { image: png, format: 'png', width: info.width, height: info.height, scale: dpr, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
    return { png, rgb, frame, targets };
  } finally {
    await context.close();
  }
}

/** Whether a point lies inside a box (with a little slack for anti-aliased edges). */
export function pointInBox([x, y]: [number, number], [x1, y1, x2, y2]: [number, number, number, number], slack = 1): boolean {
  return x >= x1 - slack && x <= x2 + slack && y >= y1 - slack && y <= y2 + slack;
}

/** Each selector's box in the page as rendered, in CSS pixels (an element with no text of its own too: a slider's track). */
export async function selectorBoxes(browser: Browser, html: string, viewport: { width: number; height: number }, selectors: string[]): Promise<Map<string, [number, number, number, number]>> {
  const context = await browser.newContext({ viewport });
  try {
    const p = await context.newPage();
    await p.setContent(html, { waitUntil: 'load' });
    await p.evaluate(() => document.fonts.ready.then(() => undefined));
    const out = new Map<string, [number, number, number, number]>();
    for (const sel of selectors) {
      const b = await p.locator(sel).boundingBox();
      if (b) out.set(sel, [b.x, b.y, b.x + b.width, b.y + b.height]);
    }
    return out;
  } finally {
    await context.close();
  }
}
