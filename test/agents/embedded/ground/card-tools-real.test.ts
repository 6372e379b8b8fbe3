// A dashboard card's tool icons on the corpus's analytics page (dev half's page), real Chromium and
// OCR: "expand the Countries card" is its expand icon, not its title, though OCR reads that icon
// as a doubtful "63" on a line of its own (such a lone, doubtful pair of letters or digits in an
// icon's square is a drawing).
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { groundStep } from '../../../../agents/embedded/step-grounder.ts';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { pointInBox, renderPage, selectorBoxes } from './render-page.ts';

const html = readFileSync(new URL('../../../fixtures/instructions/analytics-dashboard.html', import.meta.url), 'utf8');
const viewport = { width: 1920, height: 1080 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
});

describe("a dashboard card's tool icons", () => {
  it('expands a card from its expand icon, and refreshes another from its refresh icon', async () => {
    const shown = await renderPage(browser, html, { viewport, selector: 'body' });
    const ocr = await ocrFrame(shown.frame);
    const boxes = await selectorBoxes(browser, html, viewport, ['#card-countries .expand', '#card-countries .refresh']);
    for (const [goal, selector] of [
      ['expand the Countries card', '#card-countries .expand'],
      ['refresh icon on the Countries card', '#card-countries .refresh'],
    ]) {
      const g = await groundStep(readGoal(goal).steps[0], { frame: shown.frame, ocr, rgb: shown.rgb, progress: {}, clause: goal });
      const a = g.actions[0] as { action: string; target?: { point: [number, number] }; reason?: string };
      expect(a.action, `${goal}: ${a.reason ?? ''}`).toBe('click');
      expect(pointInBox(a.target!.point, boxes.get(selector)!), goal).toBe(true);
    }
  });
});
