/**
 * Test support: render HTML in headless Chromium and return the screenshot as raw RGB plus
 * the DOM's own idea of where each word is (per text node, via Range.getClientRects).
 */
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { onceMoreIfBusy } from '../../../../src/executors/browser/page-capture.ts';
import type { RgbImage } from '../../../../src/core/frame.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';

export interface DomWord {
  text: string;
  /** Image pixels (CSS px × deviceScaleFactor). */
  box: [number, number, number, number];
}

export interface RenderedPage {
  page: Page;
  rgb: RgbImage;
  png: Buffer;
  dpr: number;
}

export class PageRenderer {
  private constructor(private readonly browser: Browser) {}

  static async start(): Promise<PageRenderer> {
    return new PageRenderer(await launchChromium());
  }

  async open(html: string, viewport: { width: number; height: number }, dpr = 1): Promise<Page> {
    const context = await this.browser.newContext({ viewport, deviceScaleFactor: dpr });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    return page;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** An encoded image (PNG, JPEG) as raw RGB. */
export async function decodeRgb(image: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

export async function screenshotRgb(page: Page): Promise<{ rgb: RgbImage; png: Buffer }> {
  const png = await onceMoreIfBusy(() => page.screenshot({ type: 'png' }));
  return { png, rgb: await decodeRgb(png) };
}

/** Bounding box (image px) of the first element matching `selector`. */
export async function domBox(page: Page, selector: string, dpr: number): Promise<[number, number, number, number]> {
  const r = await page.evaluate((sel) => {
    const b = document.querySelector(sel)!.getBoundingClientRect();
    return [b.left, b.top, b.right, b.bottom];
  }, selector);
  return r.map((v) => v * dpr) as [number, number, number, number];
}

/**
 * Every visible word of the page with its box: Latin words split at whitespace, CJK runs
 * kept whole (split at whitespace and CJK punctuation).
 */
export async function domWords(page: Page, dpr: number): Promise<DomWord[]> {
  const words = await page.evaluate(() => {
    const out: Array<{ text: string; box: number[] }> = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const splitter = /[^\s\u3000-\u303f\uff0c\uff1a\uff1b\uff01\uff1f]+/g;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || ['SCRIPT', 'STYLE', 'TITLE'].includes(el.tagName)) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const text = node.textContent ?? '';
      for (const m of text.matchAll(splitter)) {
        const range = document.createRange();
        range.setStart(node, m.index!);
        range.setEnd(node, m.index! + m[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        if (!rects.length) continue;
        const b = [
          Math.min(...rects.map((r) => r.left)),
          Math.min(...rects.map((r) => r.top)),
          Math.max(...rects.map((r) => r.right)),
          Math.max(...rects.map((r) => r.bottom)),
        ];
        if (b[2] <= 0 || b[3] <= 0 || b[0] >= innerWidth || b[1] >= innerHeight) continue;
        out.push({ text: m[0], box: b });
      }
    }
    return out;
  });
  return words.map((w) => ({ text: w.text, box: w.box.map((v) => v * dpr) as DomWord['box'] }));
}

export function overlapArea(a: readonly number[], b: readonly number[]): number {
  return Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
}

/** Normalizes text for word matching: case, surrounding punctuation. */
export const normWord = (s: string): string =>
  s
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/**
 * Word-level recall/precision: an OCR word matches a DOM word when their normalized texts
 * are equal and their boxes overlap.
 */
export function wordScores(
  dom: DomWord[],
  ocr: Array<{ text: string; box: readonly number[] }>,
): { recall: number; precision: number; matched: number; dom: number; ocr: number; missed: string[] } {
  const d = dom.map((w) => ({ ...w, n: normWord(w.text) })).filter((w) => w.n);
  const o = ocr.map((w) => ({ ...w, n: normWord(w.text) })).filter((w) => w.n);
  const usedO = new Set<number>();
  const missed: string[] = [];
  let matched = 0;
  d.forEach((dw) => {
    const j = o.findIndex((ow, k) => !usedO.has(k) && ow.n === dw.n && overlapArea(ow.box, dw.box) > 0);
    if (j >= 0) {
      usedO.add(j);
      matched++;
    } else missed.push(dw.text);
  });
  return {
    recall: d.length ? matched / d.length : 1,
    precision: o.length ? usedO.size / o.length : 1,
    matched,
    dom: d.length,
    ocr: o.length,
    missed,
  };
}
