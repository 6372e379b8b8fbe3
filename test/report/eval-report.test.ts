import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { aggregateEpisodes, type EvalEpisode } from '../../src/eval/eval-summary-schema.ts';
import { rateOf, wilsonInterval } from '../../src/eval/stats.ts';
import { readEvalSummary, ReportError } from '../../src/report/eval-report.ts';
import { writeReport } from '../../src/report/index.ts';
import { fixtureEval } from './report-fixtures.ts';

const TEST_OUTPUT = path.resolve(import.meta.dirname, '../../test-output/report');

describe('eval summary schema', () => {
  it('computes Wilson intervals that match published values', () => {
    // Values from the standard Wilson score formula at z = 1.96 (e.g. Newcombe 1998, table I).
    const close = (a: { low: number; high: number }, low: number, high: number) => {
      expect(a.low).toBeCloseTo(low, 4);
      expect(a.high).toBeCloseTo(high, 4);
    };
    close(wilsonInterval(0, 10), 0, 0.2775);
    close(wilsonInterval(10, 10), 0.7225, 1);
    close(wilsonInterval(5, 10), 0.2366, 0.7634);
    close(wilsonInterval(81, 263), 0.2553, 0.3662);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(() => wilsonInterval(3, 2)).toThrow(/0 <= successes <= n/);
    expect(rateOf(3, 4)).toMatchObject({ n: 4, successes: 3, rate: 0.75 });
  });

  it('aggregates per category, sorted by name', () => {
    const e = (category: string, success: boolean) => ({ category, success });
    const a = aggregateEpisodes([e('b', true), e('a', false), e('b', false), e('a', true), e('a', true)]);
    expect(Object.keys(a.categories)).toEqual(['a', 'b']);
    expect(a.categories.a).toMatchObject({ n: 3, successes: 2 });
    expect(a.overall).toMatchObject({ n: 5, successes: 3, rate: 0.6 });
  });

  it('names the wrong field of a bad summary.json, and tells a folder that is neither kind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handeye-eval-bad-'));
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ engine: 'x', startedAt: 'now', episodes: [{ task: 't', seed: 'one' }], aggregates: {} }));
    expect(() => readEvalSummary(dir)).toThrow(/episodes\.0\.seed: .*number/);
    await expect(writeReport(path.join(dir, 'nothing'))).rejects.toThrow(ReportError);
    await expect(writeReport(path.join(dir, 'nothing'))).rejects.toThrow(/neither a trace directory .* nor an eval directory/);
  });
});

describe('eval index in Chromium', () => {
  let browser: Browser;
  let evalDir: string;
  let episodes: EvalEpisode[];
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    evalDir = mkdtempSync(path.join(tmpdir(), 'handeye-eval-'));
    ({ episodes } = await fixtureEval(evalDir));
    browser = await launchChromium();
    const result = await writeReport(evalDir);
    expect(result.kind).toBe('eval');
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(result.file).href);
    await page.waitForSelector('html[data-ready="true"]');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  const visibleTasks = () => page.locator('#episodes tr.episode:not([hidden]) td:first-child').allTextContents();
  const visibleRows = () =>
    page.locator('#episodes tr.episode:not([hidden])').evaluateAll((rows) => rows.map((r) => ({ category: (r as HTMLElement).dataset.category, success: (r as HTMLElement).dataset.success })));

  it('shows the aggregate table with Wilson intervals per category', async () => {
    const agg = aggregateEpisodes(episodes);
    const rows = await page.locator('#aggregates tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
    expect(rows[0][0]).toBe('all');
    const pct = (x: number) => `${(x * 100).toFixed(x === 0 || x === 1 ? 0 : 1)}%`;
    expect(rows[0].slice(1)).toEqual([pct(agg.overall.rate), `${pct(agg.overall.low)} – ${pct(agg.overall.high)}`, `${agg.overall.successes} / ${agg.overall.n}`]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['forms', 'mobile', 'navigation']);
    expect(rows.find((r) => r[0] === 'forms')![3]).toBe('1 / 3');
    // The plot has one bar per category plus the overall rate.
    expect(await page.locator('.rate-row').count()).toBe(4);
  });

  it('filters episodes: failed only, by category, by task, and together', async () => {
    expect(await page.locator('#shown').textContent()).toBe(`showing ${episodes.length} of ${episodes.length}`);
    await page.locator('#failed-only').check();
    const failed = await visibleRows();
    expect(failed.length).toBe(episodes.filter((e) => !e.success).length);
    expect(failed.every((r) => r.success === 'false')).toBe(true);
    await page.locator('#category').selectOption('navigation');
    expect(await visibleRows()).toEqual([{ category: 'navigation', success: 'false' }]);
    await page.locator('#failed-only').uncheck();
    expect((await visibleRows()).map((r) => r.category)).toEqual(['navigation', 'navigation']);
    await page.locator('#category').selectOption('');
    await page.locator('#task-filter').fill('tall');
    expect(await visibleTasks()).toEqual(['tall-box']);
    await page.locator('#task-filter').fill('');
    // Clicking a category in the aggregate table filters by it.
    await page.locator('#aggregates tr[data-category="mobile"]').click();
    expect(await page.locator('#category').inputValue()).toBe('mobile');
    expect((await visibleRows()).map((r) => r.category)).toEqual(['mobile']);
    await page.locator('#category').selectOption('');
    // The hostile task name is text, and the episode without a trace has no link.
    expect(await page.locator('#episodes tr.episode').last().locator('td').first().textContent()).toBe('lost <i>trace</i> (no trace)');
    expect(await page.locator('#episodes tr.episode').last().locator('a').count()).toBe(0);
    expect(await page.locator('#episodes i').count()).toBe(0);
    mkdirSync(TEST_OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(TEST_OUTPUT, 'eval-index.png'), fullPage: true });
  });

  it('links each episode to its run report, which opens and works', async () => {
    const links = await page.locator('#episodes a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toHaveLength(episodes.length - 1);
    for (const l of links) expect(existsSync(path.join(evalDir, decodeURIComponent(l!)))).toBe(true);
    await page.locator('#failed-only').check();
    await page.locator('#episodes tr.episode:not([hidden]) a').first().click();
    await page.waitForSelector('html[data-ready="true"]');
    expect(page.url()).toMatch(/episodes\/pick-box-s1\/report\.html/);
    expect(await page.locator('.run-header .badge').textContent()).toBe('failed');
    await page.keyboard.press('End');
    expect(await page.locator('main .step .badge').textContent()).toBe('fail');
    // Back to the index: the filter is still set.
    await page.goBack();
    await page.waitForSelector('html[data-ready="true"]');
    expect(await page.locator('#failed-only').isChecked()).toBe(true);
    expect(dialogs).toEqual([]);
  });
});
