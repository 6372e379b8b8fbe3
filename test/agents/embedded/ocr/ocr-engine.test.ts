import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrEngine, OcrError, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { acquireOcrModels, defaultModelPaths, defaultThreads } from '../../../../agents/embedded/ocr/ocr-models.ts';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../../src/core/frame.ts';
import { decodeRgb, domBox, domWords, overlapArea, PageRenderer, screenshotRgb, wordScores } from './render-page.ts';

const WIDGETS = readFileSync(new URL('../../../fixtures/ocr/widgets.html', import.meta.url), 'utf8');
const VIEWPORT = { width: 1280, height: 720 };

let renderer: PageRenderer;
let engine: OcrEngine;
beforeAll(async () => {
  renderer = await PageRenderer.start();
  engine = new OcrEngine();
});
afterAll(async () => {
  await engine?.close();
  await renderer?.close();
});

function groupTexts(res: OcrResult): string[] {
  return res.groups.map((g) => g.text);
}

describe.each([1, 2])('OCR of a rendered page at DPR %i', (dpr) => {
  let res: OcrResult;
  let page: Awaited<ReturnType<PageRenderer['open']>>;
  beforeAll(async () => {
    page = await renderer.open(WIDGETS, VIEWPORT, dpr);
    const { rgb } = await screenshotRgb(page);
    res = await engine.recognize(rgb);
  });

  it('reads the words of the page where the DOM puts them', async () => {
    expect(res.width).toBe(1280 * dpr);
    const scores = wordScores(await domWords(page, dpr), res.words);
    expect(scores.missed).toEqual([]);
    expect(scores.recall).toBe(1);
    expect(scores.precision).toBeGreaterThan(0.85);
    for (const w of ['Username', 'Password', 'Submit', 'Cancel', 'Account']) {
      expect(res.words.map((x) => x.text)).toContain(w);
    }
  });

  it('returns three adjacent buttons as three groups and keeps "Sign in" one group', async () => {
    const buttons = await page.evaluate(() =>
      [...document.querySelectorAll('#buttons button')].map((b) => {
        const r = b.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
      }),
    );
    const expected = ['Submit', 'Cancel', 'Sign in'];
    buttons.forEach((cssBox, i) => {
      const box = cssBox.map((v) => v * dpr);
      const inside = res.groups.filter((g) => overlapArea(g.box, box) > 0);
      expect(inside.map((g) => g.text)).toEqual([expected[i]]);
      const g = inside[0];
      // The group box lies within the button.
      expect(g.box[0]).toBeGreaterThanOrEqual(box[0]);
      expect(g.box[2]).toBeLessThanOrEqual(box[2]);
    });
    const signIn = res.groups.find((g) => g.text === 'Sign in')!;
    expect(signIn.words.map((wi) => res.words[wi].text)).toEqual(['Sign', 'in']);
  });

  it('reads Chinese labels as separate groups inside their buttons', async () => {
    for (const label of ['登录', '设置', '取消']) expect(groupTexts(res)).toContain(label);
    const sentence = res.lines.find((l) => l.text.includes('欢迎使用系统'));
    expect(sentence?.text.replace(/\s/g, '')).toBe('欢迎使用系统，请先登录账户。');
    const zh = await domBox(page, '#zh', dpr);
    for (const label of ['登录', '设置', '取消']) {
      const g = res.groups.find((x) => x.text === label)!;
      expect(overlapArea(g.box, zh)).toBeGreaterThan(0);
    }
  });

  it('keeps the result internally consistent', () => {
    res.lines.forEach((line, li) => {
      for (const wi of line.words) expect(res.words[wi].line).toBe(li);
      expect(line.groups.flatMap((gi) => res.groups[gi].words)).toEqual(line.words);
      expect(line.text).toBe(line.groups.map((gi) => res.groups[gi].text).join(' '));
    });
    for (const w of res.words) {
      expect(w.confidence).toBeGreaterThan(0);
      expect(w.confidence).toBeLessThanOrEqual(1);
      expect(w.box[0]).toBeLessThan(w.box[2]);
      expect(w.box[1]).toBeLessThan(w.box[3]);
    }
  });
});

/** A result without timings and incremental counters, numbers rounded: what must equal a full pass. */
function strip({ timings: _t, reading: _reading, ...r }: OcrResult & { reusedLines?: number; reread?: number }): unknown {
  const { reusedLines: _u, reread: _r, ...rest } = r;
  return JSON.parse(JSON.stringify(rest, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v)));
}

describe('incremental OCR', () => {
  it('equals a full pass after a small change, and re-reads only what changed', async () => {
    const page = await renderer.open(WIDGETS, VIEWPORT, 1);
    const before = await screenshotRgb(page);
    const prevResult = await engine.recognize(before.rgb);
    await page.evaluate(() => {
      document.getElementById('status')!.textContent = 'Status: 7 items selected, last saved at 11:05';
    });
    const after = await screenshotRgb(page);
    const fresh = new OcrEngine({ pipeline: { recCacheSize: 0 } });
    try {
      const inc = await engine.recognizeIncremental({ image: before.rgb, result: prevResult }, after.rgb);
      const full = await fresh.recognize(after.rgb);
      expect(strip(inc)).toEqual(strip(full));
      expect(inc.lines.map((l) => l.text)).toContain('Status: 7 items selected, last saved at 11:05');
      expect(inc.reread).toBe(1);
      // Every other line (including detected lines that read as nothing) was reused.
      expect(inc.reusedLines).toBeGreaterThanOrEqual(prevResult.lines.length - 1);
    } finally {
      await fresh.close();
    }
  });

  it('chains: the result of one incremental call is the `prev` of the next, and still equals a full pass', async () => {
    const page = await renderer.open(WIDGETS, VIEWPORT, 1);
    const frames = [await screenshotRgb(page)];
    for (const text of ['Status: 3 items selected', 'Status: 9 items selected, saved']) {
      await page.evaluate((t) => {
        document.getElementById('status')!.textContent = t;
      }, text);
      frames.push(await screenshotRgb(page));
    }
    const fresh = new OcrEngine({ pipeline: { recCacheSize: 0 } });
    try {
      let prev = { image: frames[0].rgb, result: await engine.recognize(frames[0].rgb) };
      for (const [k, text] of [[1, 'Status: 3 items selected'], [2, 'Status: 9 items selected, saved']] as const) {
        const inc = await engine.recognizeIncremental(prev, frames[k].rgb);
        const full = await fresh.recognize(frames[k].rgb);
        expect(strip(inc)).toEqual(strip(full));
        expect(inc.lines.map((l) => l.text)).toContain(text);
        // Only the status line is read again; every other line comes from the previous call.
        expect(inc.reread).toBe(1);
        expect(inc.reusedLines).toBeGreaterThanOrEqual(full.lines.length - 1);
        prev = { image: frames[k].rgb, result: inc };
      }
    } finally {
      await fresh.close();
    }
  });

  it('rejects images of different sizes', async () => {
    const a = { data: new Uint8Array(4 * 4 * 3), width: 4, height: 4 };
    const b = { data: new Uint8Array(8 * 4 * 3), width: 8, height: 4 };
    const prev = { image: a, result: { width: 4, height: 4, lines: [], words: [], groups: [] } };
    await expect(engine.recognizeIncremental(prev, b)).rejects.toThrow(/one size: previous 4x4, next 8x4/);
  });
});

/** What two readings must share: every line's and word's text and box; confidences may differ by `tolerance`. */
function expectSameReading(a: OcrResult, b: OcrResult, tolerance: number): void {
  const shape = (r: OcrResult) => ({
    lines: r.lines.map((l) => [l.text, l.box]),
    words: r.words.map((w) => [w.text, w.box]),
    groups: r.groups.map((g) => [g.text, g.box]),
  });
  expect(shape(a)).toEqual(shape(b));
  a.words.forEach((w, i) => expect(Math.abs(w.confidence - b.words[i].confidence)).toBeLessThanOrEqual(tolerance));
}

describe('detection of a large region in bands', () => {
  it('reads every word of a dense 1080p page, and incrementally as a full pass', async () => {
    const dense = readFileSync(new URL('../../../fixtures/ocr/dense.html', import.meta.url), 'utf8');
    const page = await renderer.open(dense, { width: 1920, height: 1080 }, 1);
    const before = await screenshotRgb(page);
    const dom = await domWords(page, 1);
    await page.evaluate(() => {
      document.querySelector('td')!.textContent = '#99999';
    });
    const after = await screenshotRgb(page);
    await page.evaluate(() => {
      (document.querySelectorAll('tr')[9] as HTMLElement).style.background = '#dbeafe';
    });
    const highlighted = await screenshotRgb(page);
    await page.context().close();
    // Detected in three overlapping bands; whole-frame detection reads all of it too.
    const res = await engine.recognize(before.rgb);
    const scores = wordScores(dom, res.words);
    expect(scores.recall).toBeGreaterThan(0.99);
    expect(scores.precision).toBeGreaterThan(0.99);
    // The detector's input rows, per call.
    const { models } = await (engine as unknown as { getPipeline(): Promise<{ models: { det: { run: (i: Float32Array, d: number[]) => Promise<unknown> } } }> }).getPipeline();
    const run = models.det.run;
    let rows: number[] = [];
    models.det.run = (input, dims) => {
      rows.push(dims[2]);
      return run(input, dims);
    };
    try {
      // A band whose pixels changed a little is detected again around the change only (a few
      // rows of its 448), and reads as a full pass does: the same text and boxes; the scores
      // move a little, as the detector pools over its whole input.
      let prev = { image: before.rgb, result: res };
      for (const [frame, text] of [[after, '#99999'], [highlighted, undefined]] as const) {
        rows = [];
        const inc = await engine.recognizeIncremental(prev, frame.rgb);
        // (The highlighted row meets two bands.)
        expect(rows.length).toBeGreaterThanOrEqual(1);
        for (const r of rows) expect(r).toBeLessThanOrEqual(256);
        expectSameReading(inc, await engine.recognize(frame.rgb), 0.05);
        if (text) expect(inc.lines.map((l) => l.text)).toContain(text);
        prev = { image: frame.rgb, result: inc };
      }
    } finally {
      models.det.run = run;
    }
  });
});

describe('lines wider than a recognizer batch', () => {
  it('are read in pieces cut at wide gaps, with the words and boxes of a reading in one piece', async () => {
    // One detector line ~900 px wide (~1800 recognizer columns at 2x), its words spaced wide
    // enough to cut at.
    const words = 'sierra kilo foxtrot juliet customer kilo. Pending report hotel lima quebec foxtrot india kilo bravo foxtrot oscar tango victor whiskey';
    const html = `<body style="margin:0;font:14px sans-serif;background:#fff"><div style="padding:20px 10px;white-space:nowrap;word-spacing:6px">${words}</div></body>`;
    const page = await renderer.open(html, { width: 1800, height: 80 }, 1);
    const { rgb } = await screenshotRgb(page);
    await page.context().close();
    const whole = new OcrEngine({ pipeline: { recSplitGap: Infinity, recCacheSize: 0 } });
    // The recognizer's input widths, per reading (the engines share their models).
    const { models } = await (engine as unknown as { getPipeline(): Promise<{ models: { rec: { run: (i: Float32Array, d: number[]) => Promise<unknown> } } }> }).getPipeline();
    const run = models.rec.run;
    let widths: number[] = [];
    models.rec.run = (input, dims) => {
      widths.push(dims[0] * dims[3]);
      return run(input, dims);
    };
    try {
      const split = await engine.recognize(rgb);
      const splitWidths = widths;
      widths = [];
      const one = await whole.recognize(rgb);
      expect(Math.max(...widths)).toBeGreaterThan(1500);
      expect(Math.max(...splitWidths)).toBeLessThanOrEqual(768);
      expect(one.lines).toHaveLength(1);
      expect(split.lines).toHaveLength(1);
      expect(split.words.map((w) => w.text)).toEqual(one.words.map((w) => w.text));
      expect(split.words.map((w) => w.text).join(' ')).toBe(words);
      split.words.forEach((w, i) => w.box.forEach((v, k) => expect(Math.abs(v - one.words[i].box[k])).toBeLessThanOrEqual(2)));
    } finally {
      models.rec.run = run;
      await whole.close();
    }
  });
});

describe('errors and frames', () => {
  it('rejects empty, huge and malformed images with specific errors', async () => {
    await expect(engine.recognize({ data: new Uint8Array(0), width: 0, height: 10 })).rejects.toMatchObject({
      name: 'OcrError',
      code: 'empty-image',
    });
    await expect(engine.recognize({ data: new Uint8Array(3), width: 20_000, height: 20_000 })).rejects.toMatchObject({
      code: 'image-too-large',
    });
    await expect(engine.recognize({ data: new Uint8Array(5), width: 2, height: 2 })).rejects.toThrow(/2x2x3 RGB bytes, got 5/);
  });

  it('names the model file that fails to load', async () => {
    const bad = new OcrEngine({ models: { detection: '/nonexistent/det.onnx' } });
    const err = await bad.recognize({ data: new Uint8Array(32 * 32 * 3), width: 32, height: 32 }).catch((e) => e);
    expect(err).toBeInstanceOf(OcrError);
    expect(err.code).toBe('model-load');
    expect(err.message).toContain('/nonexistent/det.onnx');
    await bad.close();
    await expect(bad.recognize({ data: new Uint8Array(3), width: 1, height: 1 })).rejects.toMatchObject({ code: 'closed' });
  });

  it('shares the models between engines: closing one leaves the others working', async () => {
    const blank = { data: new Uint8Array(64 * 64 * 3).fill(255), width: 64, height: 64 };
    const paths = defaultModelPaths();
    // Thread counts no other engine of this file uses, so that these holds are the only ones.
    const threads = defaultThreads() + 1;
    const a = acquireOcrModels(paths, threads);
    const b = acquireOcrModels(paths, threads);
    const otherThreads = acquireOcrModels(paths, threads + 1);
    expect(b.models).toBe(a.models);
    expect(otherThreads.models).not.toBe(a.models);
    await a.release();
    await a.release(); // a second release of one hold is a no-op
    const { det } = await b.models;
    const out = await det.run(new Float32Array(3 * 32 * 32), [1, 3, 32, 32]);
    expect(Object.values(out).map((t) => t.dims)).toEqual([[1, 1, 32, 32]]);
    await b.release();
    await otherThreads.release();
    const again = acquireOcrModels(paths, threads);
    expect(again.models).not.toBe(a.models); // all let go: loaded anew
    await again.release();
    const one = new OcrEngine();
    const two = new OcrEngine();
    await one.recognize(blank);
    await one.close();
    expect((await two.recognize(blank)).lines).toEqual([]);
    await two.close();
  });

  it('reads a blank image as no text', async () => {
    const res = await engine.recognize({ data: new Uint8Array(300 * 200 * 3).fill(255), width: 300, height: 200 });
    expect(res.lines).toEqual([]);
  });

  it('ocrFrame decodes a captured frame and uses the shared engine', async () => {
    const page = await renderer.open(WIDGETS, VIEWPORT, 2);
    const png = await page.screenshot({ type: 'png' });
    const res = await ocrFrame({ image: png, format: 'png', width: 2560, height: 1440, scale: 2, origin: { x: 0, y: 0 }, capturedAt: Date.now() });
    expect(res.width).toBe(2560);
    expect(res.groups.map((g) => g.text)).toEqual(expect.arrayContaining(['Submit', 'Cancel', 'Sign in', '登录']));
    expect(OcrEngine.shared()).toBe(OcrEngine.shared());
    await OcrEngine.shared().close();
  });
});

const STYLE = `<style>
  body { margin: 0; font: 18px/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; background: #fff; }
  button { font: inherit; font-weight: bold; padding: 8px 20px; color: #fff; background: #1a56c4; border: 2px solid #1a56c4; border-radius: 4px; }
</style>`;

/** The page as the agent sees it: a JPEG screenshot (quality 80), decoded. */
async function agentView(html: string, viewport: { width: number; height: number }, dpr: number): Promise<RgbImage> {
  const page = await renderer.open(html, viewport, dpr);
  const jpeg = await page.screenshot({ type: 'jpeg', quality: 80 });
  await page.context().close();
  return decodeRgb(jpeg);
}

// Readings that once went wrong in the eval suite, on pages built like the suite's, at the
// detection scale the agent uses.
describe('OCR of cases the eval suite caught', () => {
  it('reads big bold phone text whole at DPR 3 (the detector once split "Menu" into "Me" + "nu")', async () => {
    const html = `${STYLE}<header style="display: flex; justify-content: space-between; align-items: center; padding: 12px 16px; background: #1a56c4; color: #fff">
      <b>Fitness</b><button style="background: #fff; color: #1a56c4">Menu</button></header>
      <p style="padding: 16px">28 updates since yesterday.</p>`;
    const rgb = await agentView(html, { width: 390, height: 844 }, 3);
    const res = await engine.recognize(rgb, { detScale: 1 / 3 });
    expect(res.lines.map((l) => l.text)).toEqual(['Fitness', 'Menu', '28 updates since yesterday.']);
  }, 60_000);

  it('reads each "Item N" of a list as one line, not "Item" and "N" apart', async () => {
    const pads = [6, 13, 9, 14, 7, 11, 12, 8, 10, 6, 14, 9];
    const tags = ['new', 'sale', 'low stock', 'back soon', ''];
    const rows = pads
      .map((p, i) => `<div style="padding: ${p}px 12px; border-bottom: 1px solid #ddd">Item ${66 + i}<span style="color: #777; margin-left: 24px; font-size: 15px">${tags[i % 5]}</span></div>`)
      .join('');
    const rgb = await agentView(`${STYLE}<main style="padding: 20px 20px 20px 220px"><div>${rows}</div></main>`, { width: 1280, height: 720 }, 1);
    const res = await engine.recognize(rgb);
    const items = res.lines.map((l) => l.text).filter((t) => /^item|^\d+$/i.test(t));
    expect(items).toEqual(pads.map((_, i) => `Item ${66 + i}`));
  }, 60_000);

  it('reads a pager digit the detector boxed alone at DPR 2 as itself, in full and incremental passes alike', async () => {
    const html = readFileSync(new URL('../../../fixtures/ground/small-targets.html', import.meta.url), 'utf8');
    const page = await renderer.open(html, { width: 800, height: 600 }, 2);
    // PNG: the lossless screenshot is where the detector boxes the "2" alone and reads "N".
    const before = await decodeRgb(await page.screenshot({ type: 'png' }));
    // A change beside the pager: the digits' own crops keep their pixels, the wider glyph crops may not.
    await page.evaluate(() => {
      const next = [...document.querySelectorAll('.pager a')].at(-1)!;
      next.textContent = 'Next page';
    });
    const after = await decodeRgb(await page.screenshot({ type: 'png' }));
    await page.context().close();
    const first = await engine.recognize(before, { detScale: 0.5 });
    for (const d of ['1', '2', '3', '4']) expect(first.words.map((w) => w.text)).toContain(d);
    const full = await engine.recognize(after, { detScale: 0.5 });
    const incremental = await engine.recognizeIncremental({ image: before, result: first }, after, { detScale: 0.5 });
    expect(incremental.words).toEqual(full.words);
    expect(full.words.map((w) => w.text)).toEqual(expect.arrayContaining(['1', '2', '3', '4', 'page']));
  }, 60_000);

  it('still reads lone buttons under a table of single digits (re-checks have their own glyph budget)', async () => {
    const cells = Array.from({ length: 70 }, (_, i) => `<td>${(i * 7) % 10}</td>`);
    const rows = Array.from({ length: 7 }, (_, r) => `<tr>${cells.slice(r * 10, r * 10 + 10).join('')}</tr>`).join('');
    const html = `<style>td { padding: 4px 14px; font: 16px sans-serif }</style><table>${rows}</table><button>×</button> <button>+</button>`;
    for (const dpr of [1, 2]) {
      const page = await renderer.open(html, { width: 800, height: 600 }, dpr);
      const rgb = await decodeRgb(await page.screenshot({ type: 'png' }));
      await page.context().close();
      const words = (await engine.recognize(rgb, { detScale: 1 / dpr })).words.map((w) => w.text);
      expect(words, `DPR ${dpr}`).toContain('+');
      expect(words.filter((w) => /^[x×✕X]$/.test(w)), `DPR ${dpr}`).toHaveLength(1);
      expect(words.filter((w) => /^[0-9oO]$/.test(w)).length, `DPR ${dpr}`).toBeGreaterThanOrEqual(68);
    }
  }, 60_000);
});
