import { existsSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { corpusCounts, FROZEN_DIGEST_FILE, frozenDigest, ItemSchema, loadCorpus, renderCorpusPage } from '../bench/instruction-corpus.ts';

// The corpus of issue #17 is data the bench trusts: every item must parse, every selector must
// name something visible, and the frozen half must be the one that was committed before tuning.
describe('instruction corpus', () => {
  const pages = loadCorpus();
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('is large enough and split in two halves of every kind', () => {
    const c = corpusCounts(pages);
    expect(c.pages).toBeGreaterThanOrEqual(25);
    expect(c.items).toBeGreaterThanOrEqual(400);
    for (const kind of ['text', 'widget', 'icon', 'negative']) {
      expect(c[`dev:${kind}`], kind).toBeGreaterThan(0);
      // Each half holds a real share of every kind (the split was made item by item as they were written).
      expect(Math.min(c[`dev:${kind}`], c[`frozen:${kind}`]) / (c[`dev:${kind}`] + c[`frozen:${kind}`]), kind).toBeGreaterThanOrEqual(0.35);
    }
    expect(c.zh).toBeGreaterThanOrEqual(40);
    const ids = pages.flatMap((p) => p.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the frozen half as it was committed', () => {
    expect(existsSync(FROZEN_DIGEST_FILE)).toBe(true);
    const sealed = readFileSync(FROZEN_DIGEST_FILE, 'utf8').trim();
    expect(frozenDigest(pages), 'the frozen half (or a page it uses) changed: it is measured, never edited').toBe(sealed);
  });

  it('rejects an item whose negative has a target, naming the field', () => {
    const r = ItemSchema.safeParse({ id: 'x/1', half: 'dev', instruction: 'Click Save', style: 'plain', kind: 'negative', action: 'none', target: '#save' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['target']);
  });

  it('names something visible with every selector', { timeout: 120_000 }, async () => {
    for (const page of pages) {
      const r = await renderCorpusPage(browser, page);
      for (const item of page.items) {
        const boxes = r.boxes.get(item.id)!;
        if (item.kind === 'negative') expect(boxes).toEqual([]);
        else expect(boxes.length, item.id).toBeGreaterThan(0);
      }
      expect(r.rgb.width).toBe(page.viewport[0] * page.dpr);
    }
  });
});
