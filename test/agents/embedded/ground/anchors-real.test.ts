// Anchors named with words the screen does not show, products sent to a cart, the search field,
// and a word inside a sentence that is not the button: on a real rendering read by the real OCR.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAnchor } from '../../../../agents/embedded/ground/anchors.ts';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { locateSearchField } from '../../../../agents/embedded/ground/search-field.ts';
import { EmbeddedAgent } from '../../../../agents/embedded/embedded-agent.ts';
import { ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { renderPage, type RenderedPage } from './render-page.ts';

const html = readFileSync(path.join(import.meta.dirname, '../../../fixtures/ground/shop-and-search.html'), 'utf8');
let browser: Browser;
let page: RenderedPage;
let ocr: OcrResult;
const boxOf = (id: string) => page.targets.find((t) => t.desc === id)!.box;
const inside = ([x, y]: [number, number], [x1, y1, x2, y2]: number[]) => x >= x1 - 1 && x <= x2 + 1 && y >= y1 - 1 && y <= y2 + 1;
const decide = (goal: string) => new EmbeddedAgent().decide({ goal, frame: page.frame, history: [] });

beforeAll(async () => {
  browser = await launchChromium();
  page = await renderPage(browser, html.replace(/id="([\w-]+)"/g, 'id="$1" data-desc="$1"'), { viewport: { width: 1000, height: 720 } });
  ocr = await ocrFrame(page.frame);
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('anchors and targets as people name them', () => {
  it('finds an anchor by the one run of its words the screen shows', () => {
    const a = findAnchor(ocr, 'blue Gel-Kayano 30');
    expect(a.span).toBe('Gel-Kayano 30');
    expect(a.hits.length).toBeGreaterThan(0);
    // Words that are all on screen need no shortening.
    expect(findAnchor(ocr, 'Samba OG').span).toBeUndefined();
    // Nothing of it on screen: no anchor.
    expect(findAnchor(ocr, 'green Nimbus 25').hits).toEqual([]);
  });

  it('adds the named product to the cart, on its own card', async () => {
    for (const [goal, id] of [
      ['add the blue Gel-Kayano 30 to the cart', 'kayano-add'],
      ['add to cart of the Samba OG', 'samba-add'],
      ['put the Suede Classic in my cart', 'suede-add'],
    ] as const) {
      const d = await decide(goal);
      const a = d.actions[0] as { action: string; target?: { point: [number, number] }; reason?: string };
      expect(a.action, `${goal}: ${a.reason}`).toBe('click');
      expect(inside(a.target!.point, boxOf(id)), goal).toBe(true);
    }
  });

  it('types a search into the search field, not onto the Search tab', async () => {
    const r = locateSearchField(ocr, page.rgb, 'the search box');
    expect(r.match, r.message).toBeDefined();
    expect(inside(r.match!.point, boxOf('search')), 'the placeholder field').toBe(true);
    const d = await decide('Search for trail runners');
    const a = d.actions[0] as { action: string; text?: string; target?: { point: [number, number] } };
    expect(a.action).toBe('type');
    expect(a.text).toBe('trail runners');
    expect(inside(a.target!.point, boxOf('search'))).toBe(true);
  });

  it('refuses two equal texts, unless the instruction says which is the button', async () => {
    const tie = locate(ocr, '"Email"', { image: page.rgb });
    expect(tie.match).toBeUndefined();
    expect(tie.ambiguous).toBe(true);
    expect(tie.candidates).toHaveLength(2);
    const d = await decide('Click on the "Email" button.');
    const a = d.actions[0] as { action: string; target?: { point: [number, number] }; reason?: string };
    expect(a.action, a.reason).toBe('click');
    expect(inside(a.target!.point, boxOf('email'))).toBe(true);
    // No role word: the refusal names both rather than clicking one (or an envelope icon).
    const plain = await decide('Click "Email"');
    const refusal = plain.actions[0] as { action: string; reason: string };
    expect(refusal.action).toBe('fail');
    expect(refusal.reason).toMatch(/more than once, equally well/);
  });

  it('takes the checkbox or the switch of a row as the words say, and asks when they do not', () => {
    const check = locate(ocr, 'the checkbox in the Nina Park row', { image: page.rgb });
    expect(check.match, check.message).toBeDefined();
    expect(inside(check.match!.point, boxOf('nina-check'))).toBe(true);
    const sw = locate(ocr, 'the switch in the row with "Nina Park"', { image: page.rgb });
    expect(sw.match, sw.message).toBeDefined();
    expect(inside(sw.match!.point, boxOf('nina-switch'))).toBe(true);
    const either = locate(ocr, 'tick the box in the row with "Nina Park"', { image: page.rgb });
    expect(either.match).toBeUndefined();
    expect(either.message).toMatch(/has a control at each end; say "checkbox" or "switch"/);
  });

  it('does not take a word inside a sentence on the row for the button elsewhere', async () => {
    const r = locate(ocr, 'Call in the row with "Tom"', { image: page.rgb });
    expect(r.match).toBeUndefined();
    expect(r.message).toMatch(/not in the same row as "Tom"/);
    // Maria's rows: her heading with the button, and a table row whose sentence says "call".
    const ok = locate(ocr, 'Call in the row with "Maria"', { image: page.rgb });
    expect(ok.match, ok.message).toBeDefined();
    expect(inside(ok.match!.point, boxOf('call'))).toBe(true);
  });
});
