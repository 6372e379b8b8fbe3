import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settledLocate, settledLocateTarget } from '../../../../agents/embedded/ground/settled-locate.ts';
import { locate, type LocateResult } from '../../../../agents/embedded/ground/locate.ts';
import { locateTarget } from '../../../../agents/embedded/grounding-kit.ts';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { OcrEngine } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../../src/core/frame.ts';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import type { Step } from '../../../../src/core/task.ts';
import { describeTargets, GROUNDING_PAGES } from '../../../bench/grounding.ts';
import { loadCorpus, renderCorpusPage } from '../../../bench/instruction-corpus.ts';
import { renderPage } from '../ground/render-page.ts';

// Query-driven reading (#23) must find what a full reading finds: over the grounding bench's
// pages and targets and every step of the instruction corpus, a settled answer from a partial
// reading equals the full reading's answer (same point and box), and a partial reading completes
// to the full reading itself. Real Chromium, real OCR; each page is read in full once, and each
// lookup starts from a fresh partial reading of the same screen (the detection and the lines it
// reads are reused from the full one, so only the choice of lines and the settling are tested).

let browser: Browser;
let engine: OcrEngine;
beforeAll(async () => {
  browser = await launchChromium();
  engine = new OcrEngine();
});
afterAll(async () => {
  await engine?.close();
  await browser?.close();
});

const detScaleOf = (rgb: RgbImage, dpr: number): number => Math.min(1, 1 / dpr, 2560 / Math.max(rgb.width, rgb.height));

/** The parts of an OCR result that grounding reads. */
const shape = (r: OcrResult) => ({ lines: r.lines, words: r.words, groups: r.groups });

const answer = (r: LocateResult): string => (r.match ? `${r.match.kind} "${r.match.text}" point ${r.match.point.map((v) => v.toFixed(2))} box ${r.match.box.map((v) => v.toFixed(2))}` : `refused`);

interface Tally {
  compared: number;
  settled: number;
  differences: string[];
}

/** Compares the settled answers for `descriptions` on one screen with the full reading's. */
async function compareOn(name: string, rgb: RgbImage, dpr: number, full: OcrResult, descriptions: string[], t: Tally): Promise<void> {
  for (const d of descriptions) {
    for (const [how, settle, whole] of [
      ['locate', settledLocate, (o: OcrResult) => locate(o, d, { image: rgb })],
      ['locateTarget', settledLocateTarget, (o: OcrResult) => locateTarget(o, d, rgb)],
    ] as const) {
      const reading = await engine.recognizeLazy(rgb, { detScale: detScaleOf(rgb, dpr) }, { image: rgb, result: full });
      const s = await settle(reading, d, rgb);
      t.compared++;
      if (!s.settled) continue;
      t.settled++;
      const want = whole(full);
      if (answer(s.result) !== answer(want)) t.differences.push(`${name} ${how} ${JSON.stringify(d)}: partial → ${answer(s.result)}; full → ${answer(want)}`);
    }
  }
}

/** Target descriptions of the steps a goal is read into (what the agent grounds). */
function stepTargets(instruction: string): string[] {
  let steps: Step[];
  try {
    const g = readGoal(instruction);
    steps = [...g.steps, ...g.alternatives.flatMap((a) => a ?? [])];
  } catch {
    return [];
  }
  return steps.flatMap((s) => {
    if ('click' in s) return [typeof s.click === 'string' ? s.click : s.click.target];
    if ('hover' in s) return [s.hover];
    return [];
  });
}

describe('query-driven reading', () => {
  it('reads only what is asked, completes to the full reading, and reuses what it read', { timeout: 120_000 }, async () => {
    const html = readFileSync(path.join(import.meta.dirname, '../../../fixtures/grounding/dense-table.html'), 'utf8');
    const page = await renderPage(browser, html, { viewport: { width: 1280, height: 720 } });
    const fresh = new OcrEngine();
    try {
      const full = await fresh.recognize(page.rgb);
      const reading = await fresh.recognizeLazy(page.rgb);
      const some = reading.lines.slice(0, 5);
      await reading.read(some);
      const part = reading.partial();
      expect(part.reading!.recognized).toBe(5);
      expect(part.reading!.detected).toBe(reading.lines.length);
      expect(part.lines.length).toBeLessThanOrEqual(5);
      // The same pixels in a new image: the lines read are reused, the rest read now.
      const again: RgbImage = { ...page.rgb, data: page.rgb.data.slice() };
      const inc = await fresh.recognizeIncremental({ image: page.rgb, result: part }, again);
      expect(inc.reusedLines).toBe(5);
      expect(inc.reread).toBe(inc.reading!.detected - 5);
      expect(shape(inc)).toEqual(shape(full));
      // A lazy reading of the next frame reads nothing its predecessor read.
      const next = await fresh.recognizeLazy(again, {}, { image: page.rgb, result: part });
      await next.read(next.lines.slice(0, 8));
      expect(next.partial().reading).toMatchObject({ reused: 5, recognized: 3 });
      const done = await next.complete();
      expect(shape(done)).toEqual(shape(full));
      expect(done.reading!.recognized + done.reading!.reused).toBe(done.reading!.detected);
      expect(done.reading!.reused).toBe(5);
      // What settling relies on: every group read lies inside one ink run its line showed before reading.
      const all = await fresh.recognizeLazy(page.rgb, {}, { image: page.rgb, result: full });
      await all.read([...all.lines]);
      const outside = all.partial().groups.filter(
        (g) => !all.lines.some((l) => Math.floor(l.crop.y1) <= g.box[1] && Math.ceil(l.crop.y2) >= g.box[3] && all.extentsOf(l).runs.some(([a, b]) => a <= g.box[0] && b >= g.box[2])),
      );
      expect(all.partial().groups.length).toBeGreaterThan(50);
      expect(outside.map((g) => g.text)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('finds on the grounding bench pages what a full reading finds', { timeout: 600_000 }, async () => {
    const t: Tally = { compared: 0, settled: 0, differences: [] };
    for (const p of GROUNDING_PAGES) {
      const html = readFileSync(path.join(import.meta.dirname, '../../../fixtures/grounding', p.file), 'utf8');
      const page = await renderPage(browser, html, { viewport: { width: p.viewport[0], height: p.viewport[1] }, dpr: p.dpr });
      const full = await engine.recognize(page.rgb, { detScale: detScaleOf(page.rgb, p.dpr) });
      await compareOn(p.name, page.rgb, p.dpr, full, describeTargets(page.targets).map((x) => x.query), t);
    }
    console.log(`grounding bench: ${t.compared} lookups compared, ${t.settled} settled from a partial reading, ${t.differences.length} differences`);
    expect(t.differences).toEqual([]);
    expect(t.settled).toBeGreaterThan(0.2 * t.compared);
  });

  it('finds for every step of the instruction corpus what a full reading finds', { timeout: 900_000 }, async () => {
    const t: Tally = { compared: 0, settled: 0, differences: [] };
    for (const page of loadCorpus()) {
      const descriptions = [...new Set(page.items.flatMap((i) => stepTargets(i.instruction)))];
      if (!descriptions.length) continue;
      const r = await renderCorpusPage(browser, page);
      const full = await engine.recognize(r.rgb, { detScale: detScaleOf(r.rgb, page.dpr) });
      await compareOn(page.page, r.rgb, page.dpr, full, descriptions, t);
    }
    console.log(`instruction corpus: ${t.compared} lookups compared, ${t.settled} settled from a partial reading, ${t.differences.length} differences`);
    expect(t.differences).toEqual([]);
    expect(t.settled).toBeGreaterThan(0.1 * t.compared);
  });
});
