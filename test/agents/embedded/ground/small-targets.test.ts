// Small targets on real screens: lone glyphs ("×", "+", pager digits) that the text detector
// alone misses, and checkboxes hard against their labels. Headless Chromium renders the page,
// the real OCR engine reads it, and locate's point must fall in the element's DOM box (× DPR).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { pointInBox, renderPage } from './render-page.ts';

const HTML = readFileSync(path.join(import.meta.dirname, '../../../fixtures/ground/small-targets.html'), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
});

describe.each([1, 2])('small targets at DPR %i', (dpr) => {
  it('reads lone glyphs and short labels in small boxes, and grounds each target in its element', async () => {
    const page = await renderPage(browser, HTML, { viewport: { width: 800, height: 600 }, dpr, selector: '[data-desc]' });
    const ocr = await ocrFrame(page.frame);
    const words = ocr.words.map((w) => w.text);
    for (const digit of ['1', '2', '3', '4']) expect(words).toContain(digit);
    expect(words).toContain('+');
    expect(page.targets).toHaveLength(11);
    for (const t of page.targets) {
      const r = locate(ocr, t.desc, { image: page.rgb });
      expect(r.match, `${t.desc}: ${r.message}`).toBeDefined();
      expect(pointInBox(r.match!.point, t.box), `${t.desc} at ${r.match!.point} not in ${t.box}`).toBe(true);
    }
    // The checkbox is not part of its label's word box.
    const rem = page.targets.find((t) => t.desc.includes('Remember'))!;
    const remember = ocr.words.find((w) => w.text === 'Remember')!;
    expect(remember.box[0]).toBeGreaterThan(rem.box[2]);
  }, 120_000);
});
