import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedAgent } from '../../../agents/embedded/embedded-agent.ts';
import { OcrEngine } from '../../../agents/embedded/ocr/ocr-engine.ts';
import type { Decision, HistoryEntry } from '../../../src/core/agent.ts';
import type { Frame } from '../../../src/core/frame.ts';
import type { Step } from '../../../src/core/task.ts';
import { launchChromium } from '../../../src/executors/browser/chromium.ts';

// The embedded agent's scripted clicks read only the lines their target needs when that settles
// the match (#23): the same actions as reading the whole screen, fewer lines recognized, what was
// read reused on the next frame, and the trace saying which way each step went.

const HTML = readFileSync(path.join(import.meta.dirname, '../../fixtures/grounding/dense-table.html'), 'utf8');

let browser: Browser;
let page: Page;
let engine: OcrEngine;
beforeAll(async () => {
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  await page.setContent(HTML, { waitUntil: 'load' });
  engine = new OcrEngine();
});
afterAll(async () => {
  await engine?.close();
  await browser?.close();
});

async function shoot(): Promise<Frame> {
  const png = await page.screenshot({ type: 'png' });
  return { image: png, format: 'png', width: 1280, height: 720, scale: 1, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
}

type Ocr = { detected: number; recognized: number; reused: number; query?: string; why?: string };
const ocrOf = (d: Decision): Ocr => (d.notes as { ocr: Ocr }).ocr;

describe('query-driven steps of the embedded agent', () => {
  it('acts as the full reading does, reads less, and reuses what it read on the next frame', { timeout: 180_000 }, async () => {
    const steps: Step[] = [{ click: 'Import CSV' }, { click: "'Editor' in the row with 'grace@mail.net'" }, { click: "the 2nd 'Edit'" }];
    const query = new EmbeddedAgent({ ocr: engine });
    const full = new EmbeddedAgent({ ocr: engine, queryOcr: false });
    const hq: HistoryEntry[] = [];
    const hf: HistoryEntry[] = [];
    const seen: Decision[] = [];
    for (const [i, step] of steps.entries()) {
      // Each click changes the page a little (as a real one would), so the last action's check passes.
      if (i > 0) await page.evaluate((n) => (document.querySelector('th')!.textContent = `Name ${n}`), i);
      const frame = await shoot();
      const input = { step, stepIndex: i, stepCount: steps.length };
      const dq = await query.decide({ ...input, frame: { ...frame }, history: hq });
      const df = await full.decide({ ...input, frame: { ...frame }, history: hf });
      expect(dq.actions, `step ${i}`).toEqual(df.actions);
      expect(dq.actions[0]).toMatchObject({ action: 'click' });
      expect(dq.stepComplete).toBe(df.stepComplete);
      for (const [h, d] of [[hq, dq], [hf, df]] as const) h.push({ index: i, step, actions: d.actions as HistoryEntry['actions'], outcome: 'done' });
      seen.push(dq);
    }
    const [first, second, third] = seen.map(ocrOf);
    expect(first.query).toBe('settled');
    expect(first.recognized).toBeLessThan(first.detected);
    // The next frame: only what changed, or was not needed before, is read.
    expect(second, JSON.stringify(second)).toMatchObject({ query: 'settled' });
    expect(second.reused).toBeGreaterThan(0);
    expect(second.recognized).toBeLessThan(first.recognized);
    expect((seen[1].notes as { verified?: { ok: boolean } }).verified?.ok).toBe(true);
    // An ordinal counts every "Edit": the whole screen is read, and the trace says why.
    expect(third.query).toBe('fallback');
    expect(third.why).toMatch(/ordinal/);
    expect(third.recognized + third.reused).toBe(third.detected);
  });
});
