// Players' bars, breadcrumbs, pagers and tree expanders on pages written for the tuning set by
// other hands (test/fixtures/instructions-tuning). Headless Chromium, real OCR, the real icon lexicon.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import type { Step } from '../../../../src/core/task.ts';
import { groundStep } from '../../../../agents/embedded/step-grounder.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { pointInBox, renderPage, selectorBoxes } from './render-page.ts';

const page = (name: string) => readFileSync(new URL(`../../../fixtures/instructions-tuning/${name}.html`, import.meta.url), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
});

type Action = { action: string; reason?: string; target?: { point: [number, number] } };

/** Grounds each step on the page; each must click inside the element its selector names. */
async function expectClicks(name: string, viewport: { width: number; height: number }, cases: Array<[Step, string, string?]>): Promise<void> {
  const shown = await renderPage(browser, page(name), { viewport, selector: 'body' });
  const ocr = await ocrFrame(shown.frame);
  const boxes = await boxesOf(name, viewport, cases.map(([, s]) => s));
  for (const [step, sel, clause] of cases) {
    const g = await groundStep(step, { frame: shown.frame, ocr, rgb: shown.rgb, progress: {}, clause });
    const a = g.actions[0] as Action;
    expect(a.action, `${JSON.stringify(step)}: ${JSON.stringify(a)}`).toBe('click');
    expect(pointInBox(a.target!.point, boxes.get(sel)!), `${JSON.stringify(step)} at ${a.target!.point}, not in ${sel} ${boxes.get(sel)}`).toBe(true);
  }
}

function boxesOf(name: string, viewport: { width: number; height: number }, selectors: string[]): Promise<Map<string, [number, number, number, number]>> {
  return selectorBoxes(browser, page(name), viewport, selectors);
}

describe("a player's bars, named by what they do", () => {
  it('finds the progress bar by the playing times at its ends and the volume slider by its speaker icon', async () => {
    await expectClicks('music-player', { width: 1280, height: 800 }, [
      [{ click: 'the slider next to "progress" at 50%' }, '#seek'],
      [{ click: 'the slider next to "progress"' }, '#seek'],
      [{ click: 'the slider next to "volume"' }, '#volume'],
    ]);
    await expectClicks('zh-netease-music', { width: 1280, height: 800 }, [[{ click: 'the slider next to "progress"' }, '#progress-bar']]);
  });
});

describe('a breadcrumb, a pager and a tree node', () => {
  it('clicks the crumb between / signs, not the same name in the sidebar', async () => {
    await expectClicks('jira-issue', { width: 1440, height: 900 }, [[{ click: 'Payments in breadcrumb' }, '#crumb-payments']]);
  });

  it('clicks the page number among the page numbers, not the same digit elsewhere', async () => {
    await expectClicks('zh-meituan-hotel', { width: 1440, height: 900 }, [[{ click: '分页中的 "3" 号页码' }, '#page-3']]);
  });

  it("opens a layer from its small antialiased ▸ on a dark panel, not from its name", async () => {
    await expectClicks('figma-editor', { width: 1600, height: 900 }, [[{ click: 'Header group in the layers list' }, '#layer-header-expander', 'expand the Header group in the layers list']]);
  });
});

describe('a field too unsure to guess', () => {
  it('refuses to type beside a lone letter or a loosely read label when no box is seen', async () => {
    const shown = await renderPage(browser, page('figma-editor'), { viewport: { width: 1600, height: 900 }, selector: 'body' });
    const ocr = await ocrFrame(shown.frame);
    for (const into of ['the field labelled "W"', 'field "Fill"']) {
      const g = await groundStep({ type: { text: '342', into } }, { frame: shown.frame, ocr, rgb: shown.rgb, progress: {} });
      const a = g.actions[0] as Action;
      expect(a.action, JSON.stringify(a)).toBe('fail');
      expect(a.reason).toMatch(/too unsure a label/);
    }
  });
});
