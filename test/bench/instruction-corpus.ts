/**
 * The instruction corpus of issue #17: pages written for it and instructions phrased in the
 * styles of public sources (ScreenSpot, Mind2Web, MiniWoB++, RPA scripts), each with the DOM
 * element(s) it means. Every item belongs to the dev half (tuning allowed) or the frozen half
 * (only measured). Data: test/fixtures/instructions/<page>.html + <page>.json.
 *
 *   node --import tsx test/bench/instruction-corpus.ts [page ...]   checks pages and selectors
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { onceMoreIfBusy } from '../../src/executors/browser/page-capture.ts';
import { z } from 'zod';
import type { Frame, RgbImage } from '../../src/core/frame.ts';

export const CORPUS_DIR = path.join(import.meta.dirname, '../fixtures/instructions');

export const ItemSchema = z
  .object({
    /** "<page>/<n>", unique in the corpus. */
    id: z.string().regex(/^[a-z0-9-]+\/\d+$/),
    half: z.enum(['dev', 'frozen']),
    /** What a user would write: a goal, a step, or a target description. */
    instruction: z.string().min(1),
    /** Whose phrasing it imitates. */
    style: z.enum(['screenspot', 'screenspot-pro', 'mind2web', 'miniwob', 'rpa', 'plain']),
    /**
     * text: the target shows text that names it; widget: an input, checkbox, radio, switch, select,
     * slider, tab, expander or close button found through its label or place; icon: no text, only
     * an icon; negative: nothing on the page is meant (the right answer is no answer).
     */
    kind: z.enum(['text', 'widget', 'icon', 'negative']),
    /** What the first action must be. */
    action: z.enum(['click', 'type', 'select', 'hover', 'none']),
    /** CSS selector; the first action's point must fall inside one of the matched elements. null for negatives. */
    target: z.string().min(1).nullable(),
    lang: z.enum(['en', 'zh']).default('en'),
    note: z.string().optional(),
  })
  .superRefine((item, ctx) => {
    if ((item.kind === 'negative') !== (item.target === null)) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'negatives have target null, and only negatives do' });
    }
    if ((item.kind === 'negative') !== (item.action === 'none')) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'negatives have action "none", and only negatives do' });
    }
  });

export const PageSchema = z.object({
  page: z.string().regex(/^[a-z0-9-]+$/),
  viewport: z.tuple([z.number().int().min(200), z.number().int().min(200)]),
  dpr: z.number().min(1).max(4).default(1),
  lang: z.enum(['en', 'zh']).default('en'),
  theme: z.enum(['light', 'dark']).default('light'),
  /** What kind of screen it is and whose UI it imitates. */
  about: z.string().min(1),
  items: z.array(ItemSchema).min(1),
});

export type CorpusItem = z.infer<typeof ItemSchema>;
export type CorpusPage = z.infer<typeof PageSchema> & { html: string };

/**
 * A second tuning set, dev half only, written later by other hands on pages of its own: tuning
 * on it too keeps the engine from fitting the first dev half's phrasings alone. It is no part of
 * the corpus the targets are measured on.
 */
export const TUNING_DIR = path.join(import.meta.dirname, '../fixtures/instructions-tuning');

export function loadCorpus(only: string[] = [], dir = CORPUS_DIR): CorpusPage[] {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((n) => !only.length || only.includes(n))
    .sort();
  return names.map((name) => {
    const file = path.join(dir, `${name}.json`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not JSON (${(e as Error).message})`);
    }
    const parsed = PageSchema.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    }
    if (parsed.data.page !== name) throw new Error(`${file}: "page" is ${parsed.data.page}, the file is ${name}`);
    for (const item of parsed.data.items) {
      if (!item.id.startsWith(`${name}/`)) throw new Error(`${file}: item ${item.id} does not start with "${name}/"`);
    }
    if (dir !== CORPUS_DIR && parsed.data.items.some((i) => i.half !== 'dev')) throw new Error(`${file}: a tuning set has dev items only`);
    return { ...parsed.data, html: readFileSync(path.join(dir, `${name}.html`), 'utf8') };
  });
}

export interface RenderedCorpusPage {
  frame: Frame;
  rgb: RgbImage;
  /** Target boxes (image pixels) per item id; empty for negatives. */
  boxes: Map<string, Array<[number, number, number, number]>>;
}

/** Renders a page in Chromium and resolves every item's selector to boxes in image pixels. */
export async function renderCorpusPage(browser: Browser, page: CorpusPage): Promise<RenderedCorpusPage> {
  const context = await browser.newContext({ viewport: { width: page.viewport[0], height: page.viewport[1] }, deviceScaleFactor: page.dpr });
  try {
    const p = await context.newPage();
    await p.setContent(page.html, { waitUntil: 'load' });
    await p.evaluate(() => document.fonts.ready.then(() => undefined));
    const boxes = new Map<string, Array<[number, number, number, number]>>();
    for (const item of page.items) {
      if (item.target === null) {
        boxes.set(item.id, []);
        continue;
      }
      const found = await p.evaluate(
        ({ selector, dpr }) => {
          let els: Element[];
          try {
            els = Array.from(document.querySelectorAll(selector));
          } catch {
            return 'bad-selector';
          }
          return els
            .map((el) => el.getBoundingClientRect())
            .filter((r) => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight)
            .map((r) => [r.left * dpr, r.top * dpr, r.right * dpr, r.bottom * dpr] as [number, number, number, number]);
        },
        { selector: item.target, dpr: page.dpr },
      );
      if (found === 'bad-selector') throw new Error(`${item.id}: the selector ${JSON.stringify(item.target)} is not valid CSS`);
      if (!found.length) throw new Error(`${item.id}: the selector ${JSON.stringify(item.target)} matches nothing visible in the ${page.viewport.join('x')} viewport`);
      boxes.set(item.id, found);
    }
    const png = await onceMoreIfBusy(() => p.screenshot({ type: 'png' }));
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const rgb: RgbImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    const frame: Frame = { image: png, format: 'png', width: info.width, height: info.height, scale: page.dpr, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
    return { frame, rgb, boxes };
  } finally {
    await context.close();
  }
}

/**
 * A digest of the frozen half (its items and the pages they are on), so that a later change to it
 * is noticed: test/fixtures/instructions/FROZEN.sha256 holds the digest it was committed with.
 */
export function frozenDigest(pages: CorpusPage[]): string {
  const h = createHash('sha256');
  for (const p of [...pages].sort((a, b) => a.page.localeCompare(b.page))) {
    const frozen = p.items.filter((i) => i.half === 'frozen');
    if (!frozen.length) continue;
    h.update(JSON.stringify({ page: p.page, viewport: p.viewport, dpr: p.dpr, html: p.html, items: frozen }));
  }
  return h.digest('hex');
}

export const FROZEN_DIGEST_FILE = path.join(CORPUS_DIR, 'FROZEN.sha256');

/** Counts per half and kind, for the bench's header and the corpus check. */
export function corpusCounts(pages: CorpusPage[]): Record<string, number> {
  const out: Record<string, number> = { pages: pages.length, items: 0 };
  for (const p of pages) {
    for (const i of p.items) {
      out.items++;
      out[i.half] = (out[i.half] ?? 0) + 1;
      out[`${i.half}:${i.kind}`] = (out[`${i.half}:${i.kind}`] ?? 0) + 1;
      if (i.lang === 'zh') out.zh = (out.zh ?? 0) + 1;
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { launchChromium } = await import('../../src/executors/browser/chromium.ts');
  const args = process.argv.slice(2);
  const tuning = args.includes('--tuning');
  const pages = loadCorpus(args.filter((a) => a !== '--tuning'), tuning ? TUNING_DIR : CORPUS_DIR);
  const ids = new Set<string>();
  for (const p of pages) for (const i of p.items) {
    if (ids.has(i.id)) throw new Error(`duplicate item id ${i.id}`);
    ids.add(i.id);
  }
  const browser = await launchChromium();
  let bad = 0;
  try {
    for (const page of pages) {
      try {
        const r = await renderCorpusPage(browser, page);
        console.log(`ok  ${page.page}: ${page.items.length} items, ${r.rgb.width}x${r.rgb.height}`);
      } catch (e) {
        bad++;
        console.log(`BAD ${page.page}: ${(e as Error).message}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(corpusCounts(pages)));
  if (!args.length) console.log(`frozen digest ${frozenDigest(pages)}`);
  process.exitCode = bad ? 1 : 0;
}
