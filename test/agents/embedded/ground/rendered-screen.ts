import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { renderPage, type RenderedPage, type RenderOptions } from './render-page.ts';

export interface RenderedScreen {
  page: RenderedPage;
  ocr: OcrResult;
  /** The image box of the element marked data-desc="id". */
  boxOf(id: string): [number, number, number, number];
}

/**
 * A page rendered once for a test file (a real Chromium) and read by the real OCR: the fields are
 * filled in by the file's beforeAll, and the browser is closed by its afterAll.
 */
export function renderedScreen(html: string, options: RenderOptions): RenderedScreen {
  let browser: Browser | undefined;
  const screen = {
    boxOf: (id: string) => screen.page.targets.find((t) => t.desc === id)!.box,
  } as RenderedScreen;
  beforeAll(async () => {
    browser = await launchChromium();
    screen.page = await renderPage(browser, html, options);
    screen.ocr = await ocrFrame(screen.page.frame);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });
  return screen;
}
