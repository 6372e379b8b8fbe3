import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { renderRunReport, writeRunReport } from '../../src/report/run-report.ts';
import { readTrace } from '../../src/core/trace.ts';
import { fixtureRun, HOSTILE, longTrace, type FixtureRun } from './report-fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-report-'));
const TEST_OUTPUT = path.resolve(import.meta.dirname, '../../test-output/report');

let browser: Browser;
const runs: Record<'dpr1' | 'dpr2' | 'tall', FixtureRun> = {} as never;
const dialogs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  // Three real runs in real Chromium: plain, at device scale factor 2, and a tall odd aspect at 1.5.
  runs.dpr1 = await fixtureRun(path.join(tmp, 'dpr1'), { viewport: [800, 500], dpr: 1 });
  runs.dpr2 = await fixtureRun(path.join(tmp, 'dpr2'), { viewport: [640, 400], dpr: 2 });
  runs.tall = await fixtureRun(path.join(tmp, 'tall'), { viewport: [360, 1000], dpr: 1.5 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function openReport(file: string, o: { dpr?: number; viewport?: [number, number] } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: o.viewport?.[0] ?? 1280, height: o.viewport?.[1] ?? 900 }, deviceScaleFactor: o.dpr ?? 1 });
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => dialogs.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-ready="true"]');
  await page.waitForFunction(() => {
    const img = document.getElementById('frame') as HTMLImageElement | null;
    return !img || (img.complete && img.naturalWidth > 0);
  });
  return page;
}

type Rect = { x: number; y: number; width: number; height: number };
/** Brings the whole image into the viewport, below the sticky toolbar, so its pixels can be read back. */
const showStage = (page: Page) => page.evaluate(() => document.getElementById('stage')!.scrollIntoView({ block: 'start' }));
const rectOf = async (page: Page, selector: string): Promise<Rect> => {
  const r = await page.locator(selector).first().boundingBox();
  if (!r) throw new Error(`${selector} is not visible`);
  return r;
};

/** Where a frame-pixel box should appear: the image's rect scaled by box / frame size. */
function expectedRect(img: Rect, frame: { width: number; height: number }, [x1, y1, x2, y2]: number[]): Rect {
  const sx = img.width / frame.width;
  const sy = img.height / frame.height;
  return { x: img.x + x1 * sx, y: img.y + y1 * sy, width: (x2 - x1) * sx, height: (y2 - y1) * sy };
}

function expectClose(actual: Rect, expected: Rect, tol = 1.5) {
  for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(actual[k] - expected[k]), `${k}: ${actual[k]} vs ${expected[k]}`).toBeLessThanOrEqual(tol);
}

/** Mean colour of a region of the rendered page (with the overlay hidden, this is the frame itself). */
async function meanColour(page: Page, r: Rect): Promise<[number, number, number]> {
  const png = await page.screenshot({ clip: r });
  const { channels } = await sharp(png).removeAlpha().stats();
  return [channels[0].mean, channels[1].mean, channels[2].mean];
}

describe('run report in Chromium', () => {
  for (const [name, dpr] of [['dpr1', 1], ['dpr2', 1], ['dpr2', 2], ['tall', 1]] as const) {
    it(`draws the target box and click point over the right pixels (${name} frame, report at DPR ${dpr})`, async () => {
      const run = runs[name];
      const trace = readTrace(run.traceDir);
      const file = await writeRunReport(run.traceDir);
      const page = await openReport(file, { dpr });
      try {
        // Step 1: a click on the magenta #target, by box.
        const s0 = trace.steps[0];
        const box = s0.actions[0].action === 'click' ? s0.actions[0].target.box! : [];
        await showStage(page);
        const img = await rectOf(page, '#frame');
        expect(await page.locator('#frame').evaluate((e: HTMLImageElement) => [e.naturalWidth, e.naturalHeight])).toEqual([s0.frame.width, s0.frame.height]);
        expect(Math.abs(img.width / img.height - s0.frame.width / s0.frame.height)).toBeLessThan(0.01);
        const want = expectedRect(img, s0.frame, box);
        expectClose(await rectOf(page, '.ov-box[data-target="0"]'), want);
        const point = await rectOf(page, '.ov-point[data-target="0"]');
        expect(Math.abs(point.x + point.width / 2 - (want.x + want.width / 2))).toBeLessThanOrEqual(1.5);
        expect(Math.abs(point.y + point.height / 2 - (want.y + want.height / 2))).toBeLessThanOrEqual(1.5);
        // Set-of-marks labels: mark 1 is the target's box.
        expect(await page.locator('.ov-mark span').allTextContents()).toEqual(['1', '2']);
        expectClose(await rectOf(page, '.ov-mark'), want);
        // Under the overlay, the image shows the magenta button: positions are right, not just consistent.
        await page.keyboard.press('o');
        await expect.poll(() => page.locator('.overlay').evaluate((e) => getComputedStyle(e).display)).toBe('none');
        const inset = { x: want.x + 4, y: want.y + 4, width: Math.max(2, want.width - 8), height: Math.max(2, want.height - 8) };
        const [r, g, b] = await meanColour(page, inset);
        expect(r).toBeGreaterThan(200);
        expect(g).toBeLessThan(60);
        expect(b).toBeGreaterThan(200);
        await page.keyboard.press('o');

        // Step 2: a click on the green #other by point, after a repair.
        await page.keyboard.press('ArrowRight');
        const s1 = trace.steps[1];
        const p = s1.actions[0].action === 'click' ? s1.actions[0].target.point! : [0, 0];
        await showStage(page);
        const img1 = await rectOf(page, '#frame');
        const dot = await rectOf(page, '.ov-point[data-target="0"]');
        const wantDot = expectedRect(img1, s1.frame, [p[0], p[1], p[0], p[1]]);
        expect(Math.abs(dot.x + dot.width / 2 - wantDot.x)).toBeLessThanOrEqual(1.5);
        expect(Math.abs(dot.y + dot.height / 2 - wantDot.y)).toBeLessThanOrEqual(1.5);
        await page.keyboard.press('o');
        const [r2, g2, b2] = await meanColour(page, { x: wantDot.x - 3, y: wantDot.y - 3, width: 6, height: 6 });
        expect(g2).toBeGreaterThan(150);
        expect(r2).toBeLessThan(70);
        expect(b2).toBeLessThan(70);
      } finally {
        await page.context().close();
      }
    });
  }

  it('toggles to the image exactly as sent, keeping the overlay on the same pixels', async () => {
    const trace = readTrace(runs.dpr2.traceDir);
    const page = await openReport(await writeRunReport(runs.dpr2.traceDir));
    try {
      const s0 = trace.steps[0];
      expect(s0.frame.sent).toBeDefined();
      await page.keyboard.press('s');
      await page.waitForFunction(() => {
        const img = document.getElementById('frame') as HTMLImageElement;
        return img.dataset.kind === 'sent' && img.complete && img.naturalWidth > 0;
      });
      expect(await page.locator('#frame').getAttribute('src')).toBe(s0.frame.sent!.file);
      expect(await page.locator('#frame').evaluate((e: HTMLImageElement) => e.naturalWidth)).toBe(s0.frame.sent!.width);
      await showStage(page);
      const img = await rectOf(page, '#frame');
      const box = s0.actions[0].action === 'click' ? s0.actions[0].target.box! : [];
      expectClose(await rectOf(page, '.ov-box[data-target="0"]'), expectedRect(img, s0.frame, box));
      await page.keyboard.press('o');
      const want = expectedRect(img, s0.frame, box);
      const [r, g, b] = await meanColour(page, { x: want.x + 4, y: want.y + 4, width: want.width - 8, height: want.height - 8 });
      expect([r > 190, g < 70, b > 190]).toEqual([true, true, true]);
    } finally {
      await page.context().close();
    }
  });

  it('moves between steps with the keyboard, the filmstrip and the plot', async () => {
    const page = await openReport(await writeRunReport(runs.dpr1.traceDir));
    const n = readTrace(runs.dpr1.traceDir).steps.length;
    expect(n).toBe(3);
    const at = async () => ({
      position: await page.locator('#position').textContent(),
      shown: await page.locator('main .step').getAttribute('data-index'),
      current: await page.locator('.thumb.current').getAttribute('data-index'),
      hash: await page.evaluate(() => location.hash),
    });
    try {
      expect(await at()).toEqual({ position: '1 / 3', shown: '0', current: '0', hash: '#step-1' });
      await page.keyboard.press('ArrowRight');
      expect(await at()).toEqual({ position: '2 / 3', shown: '1', current: '1', hash: '#step-2' });
      // The repaired step shows both attempts and why the first was refused.
      await expect.poll(() => page.locator('.attempt').count()).toBe(2);
      expect(await page.locator('.attempt.rejected .verdict').textContent()).toBe('rejected by frame');
      expect(await page.locator('.attempt .attempt-head span').nth(3).textContent()).toBe('repair 1');
      await page.keyboard.press('j');
      expect((await at()).shown).toBe('2');
      await page.keyboard.press('ArrowRight');
      expect((await at()).shown).toBe('2');
      await page.keyboard.press('Home');
      expect((await at()).shown).toBe('0');
      await page.keyboard.press('End');
      expect((await at()).shown).toBe('2');
      await page.keyboard.press('k');
      expect((await at()).shown).toBe('1');
      await page.locator('.thumb[data-index="0"]').click();
      expect((await at()).shown).toBe('0');
      // Arrow keys typed into the search box edit the text, they do not change step.
      await page.locator('#search').focus();
      await page.keyboard.press('ArrowRight');
      expect((await at()).shown).toBe('0');
      // A deep link opens its step.
      await page.goto(pathToFileURL(path.join(runs.dpr1.traceDir, 'report.html')).href + '#step-3');
      await page.reload();
      await page.waitForSelector('html[data-ready="true"]');
      expect((await at()).shown).toBe('2');
      // Screenshot for people to look at.
      mkdirSync(TEST_OUTPUT, { recursive: true });
      await page.keyboard.press('Home');
      await page.screenshot({ path: path.join(TEST_OUTPUT, 'run-report.png'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  it('keeps reasoning collapsed, searchable, and hostile strings inert', async () => {
    const html = renderRunReport(readTrace(runs.dpr1.traceDir));
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    const page = await openReport(await writeRunReport(runs.dpr1.traceDir));
    try {
      const reasoning = page.locator('.attempt details.text').first();
      expect(await reasoning.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
      expect(await page.locator('.attempt pre').first().textContent()).toBe(HOSTILE.reasoning);
      expect(await page.locator('.ov-label').first().textContent()).toBe(HOSTILE.label);
      expect(await page.locator('.goal').textContent()).toBe(HOSTILE.goal);
      await page.locator('#search').fill('unicorn');
      expect(await page.locator('#search-count').textContent()).toBe('1 step(s) match');
      expect(await page.locator('.thumb.nomatch').count()).toBe(2);
      expect(await reasoning.evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
      expect(await page.locator('.attempt mark').first().textContent()).toBe('unicorn');
      for (let i = 0; i < 3; i++) await page.locator('#next').click();
      for (const d of await page.locator('details').all()) await d.evaluate((e: HTMLDetailsElement) => (e.open = true));
      expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
      expect(await page.locator('script').count()).toBe(2);
      expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0);
      expect(dialogs).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('renders a 200-step trace as a small page that reuses the frame files', async () => {
    const dir = longTrace(runs.dpr1.traceDir, path.join(tmp, 'long'), 200);
    const before = listFiles(dir);
    const file = await writeRunReport(dir);
    const after = listFiles(dir);
    // Exactly one new file, the report; the frames are untouched and not copied.
    expect([...after.keys()].filter((f) => !before.has(f))).toEqual(['report.html']);
    for (const [f, size] of before) expect(after.get(f)).toBe(size);
    const frames = [...after.keys()].filter((f) => f.startsWith('frames/'));
    expect(frames.length).toBeLessThanOrEqual(6);
    const size = statSync(file).size;
    expect(size).toBeLessThan(1_000_000);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/data:image|[A-Za-z0-9+/]{2000}/);

    const t0 = performance.now();
    const page = await openReport(file);
    const openMs = performance.now() - t0;
    try {
      expect(await page.locator('.thumb').count()).toBe(200);
      expect(await page.locator('.thumb img[loading="lazy"]').count()).toBe(200);
      // Only the current step's detail is in the DOM: the page stays light however long the run.
      const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
      expect(nodes).toBeLessThan(2000);
      await page.keyboard.press('End');
      expect(await page.locator('#position').textContent()).toBe('200 / 200');
      // The filmstrip followed: the current thumbnail is inside its visible part.
      const strip = await rectOf(page, '#filmstrip');
      const thumb = await rectOf(page, '.thumb.current');
      expect(thumb.x).toBeGreaterThanOrEqual(strip.x);
      expect(thumb.x + thumb.width).toBeLessThanOrEqual(strip.x + strip.width);
      await page.locator('#search').fill('needle-137');
      expect(await page.locator('#search-count').textContent()).toBe('1 step(s) match');
      await page.locator('#search').press('Enter');
      expect(await page.locator('#position').textContent()).toBe('138 / 200');
      // Clicking bar 50 of the time plot opens step 50.
      const svg = await rectOf(page, '#plot-time svg');
      const vb = await page.locator('#plot-time svg').evaluate((e: SVGSVGElement) => ({ w: e.viewBox.baseVal.width, left: Number(e.dataset.left), width: Number(e.dataset.width) }));
      const x = svg.x + ((vb.left + (49.5 / 200) * vb.width) / vb.w) * svg.width;
      await page.mouse.click(x, svg.y + svg.height / 2);
      expect(await page.locator('#position').textContent()).toBe('50 / 200');
      const readyMs = await page.evaluate(() => document.documentElement.dataset.readyMs);
      console.log(`200-step report: ${(size / 1024).toFixed(0)} KiB html, ${frames.length} frame files, ${nodes} DOM elements, first step shown ${readyMs} ms after navigation start (${openMs.toFixed(0)} ms with context and first frame)`);
    } finally {
      await page.context().close();
    }
  });

  it('reports a run that was cut off: no summary, a damaged last line', async () => {
    const dir = path.join(tmp, 'cut');
    cpSync(runs.dpr1.traceDir, dir, { recursive: true });
    rmSync(path.join(dir, 'summary.json'));
    const lines = readFileSync(path.join(dir, 'trace.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(path.join(dir, 'trace.jsonl'), lines.slice(0, -1).join('\n') + '\n');
    appendFileSync(path.join(dir, 'trace.jsonl'), '{"type":"step","index":3,"fra');
    const page = await openReport(await writeRunReport(dir));
    try {
      expect(await page.locator('.run-header .badge').textContent()).toBe('unfinished');
      expect(await page.locator('.facts').textContent()).toContain('damaged lines');
      expect(await page.locator('.thumb').count()).toBe(3);
    } finally {
      await page.context().close();
    }
  });
});

function listFiles(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p).split(path.sep).join('/'), statSync(p).size);
    }
  };
  walk(dir);
  return out;
}
