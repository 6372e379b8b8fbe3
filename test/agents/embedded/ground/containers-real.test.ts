// Context from the image itself, on a real rendering read by the real OCR: the card a label sits
// in, the switch at the far end of a settings row, a placeholder inside a borderless field.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { EmbeddedAgent } from '../../../../agents/embedded/embedded-agent.ts';
import { ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { renderPage, type RenderedPage } from './render-page.ts';

const html = readFileSync(path.join(import.meta.dirname, '../../../fixtures/ground/cards-and-switches.html'), 'utf8');
let browser: Browser;
let page: RenderedPage;
let ocr: OcrResult;
const boxOf = (id: string) => page.targets.find((t) => t.desc === id)!.box;
const inside = ([x, y]: [number, number], [x1, y1, x2, y2]: number[]) => x >= x1 - 1 && x <= x2 + 1 && y >= y1 - 1 && y <= y2 + 1;

beforeAll(async () => {
  browser = await launchChromium();
  // data-desc-less elements: their ids are their descriptions here.
  page = await renderPage(browser, html.replace(/id="([\w-]+)"/g, 'id="$1" data-desc="$1"'), { viewport: { width: 900, height: 520 } });
  ocr = await ocrFrame(page.frame);
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('grounding with what the image shows around the text', () => {
  it('finds the button on the named card, not the nearest one on another card', () => {
    for (const [card, id] of [['Help center', 'docs-archive'], ['Billing', 'billing-archive'], ['Mobile app', 'mobile-share']] as const) {
      const what = id.endsWith('archive') ? 'Archive' : 'Share';
      const r = locate(ocr, `"${what}" button on the ${card} card`, { image: page.rgb });
      expect(r.match, `${what} on ${card}: ${r.message}`).toBeDefined();
      expect(inside(r.match!.point, boxOf(id)), `${what} on ${card}`).toBe(true);
    }
  });

  it('refuses a "next to" that is far away instead of taking the nearest', () => {
    const r = locate(ocr, 'Archive next to "Weekly digest"', { image: page.rgb });
    expect(r.match).toBeUndefined();
    expect(r.message).toMatch(/is not near "Weekly digest"/);
  });

  it('finds the switch at the far end of a settings row, past a badge', () => {
    for (const [label, id] of [['Dark mode', 'dark'], ['Two-factor authentication', 'tfa']]) {
      const r = locate(ocr, `the switch next to "${label}"`, { image: page.rgb });
      expect(r.match, label).toBeDefined();
      expect(inside(r.match!.point, boxOf(id)), label).toBe(true);
    }
  });

  it('says no switch is there rather than guessing where one might be', () => {
    const r = locate(ocr, 'the switch next to "Weekly digest"', { image: page.rgb });
    expect(r.match).toBeUndefined();
    expect(r.message).toMatch(/no checkbox, radio button or switch seen beside "Weekly digest"/);
  });

  it('types into a borderless field through its placeholder', async () => {
    const d = await new EmbeddedAgent().decide({ goal: '[textbox]  Search for people -> TYPE: Marco', frame: page.frame, history: [] });
    const a = d.actions[0] as { action: string; target: { point: [number, number] } };
    expect(a.action).toBe('type');
    expect(inside(a.target.point, boxOf('q'))).toBe(true);
  });

  it('reads "turn on Dark mode" as the switch beside the words', async () => {
    const d = await new EmbeddedAgent().decide({ goal: 'turn on Dark mode', frame: page.frame, history: [] });
    const a = d.actions[0] as { action: string; target: { point: [number, number] } };
    expect(a.action).toBe('click');
    expect(inside(a.target.point, boxOf('dark'))).toBe(true);
    expect(d.notes?.readAs).toBe('intent');
  });
});
