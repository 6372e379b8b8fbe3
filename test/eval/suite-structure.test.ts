import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheckers } from '../../src/run/checks.ts';
import { loadSuite, seededUrl, type SuiteTask } from '../../src/eval/suite.ts';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { startStaticServer, type StaticServer } from '../../src/run/static-server.ts';
import { SOLUTIONS } from './suite-solutions.ts';

// The seeded suite: every task file loads, every page is seeded (same seed → same page, other
// seed → other page), and every success check is false on arrival and true after the known
// solution is applied through real input. One browser serves all tasks; each gets a context.
const SUITE = path.resolve(import.meta.dirname, '../../tasks/suite');
const CATEGORIES = ['buttons-links', 'forms', 'toggles', 'dropdowns', 'pickers', 'tabs-accordions', 'dialogs', 'scrolling', 'drag-drop', 'keyboard', 'navigation', 'iframe', 'canvas', 'tiny-text', 'dark-theme', 'viewports'];

/** What a person would see differ between two episodes: text, element boxes, canvas pixels, iframes. */
const FINGERPRINT = `(() => {
  const docs = [document, ...[...document.querySelectorAll('iframe')].map((f) => f.contentDocument).filter(Boolean)];
  return docs.map((d) => [d.body.innerText, [...d.body.querySelectorAll('*')].map((e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].map(Math.round).join(','); }).join(';'),
    [...d.querySelectorAll('canvas')].map((c) => c.toDataURL()).join('')].join('|')).join('#');
})()`;

let browser: Browser;
let server: StaticServer;
let tasks: SuiteTask[];
/** One context per device scale factor and mobile flag: new contexts are slow on a loaded 2-core machine. */
const contexts = new Map<string, BrowserExecutor>();

beforeAll(async () => {
  const loaded = await loadSuite([SUITE]);
  expect(loaded.invalid).toEqual([]);
  tasks = loaded.tasks;
  browser = await launchChromium();
  server = await startStaticServer(path.dirname(SUITE));
});
afterAll(async () => {
  for (const ex of contexts.values()) await ex.close();
  await browser?.close();
  await server?.close();
});

async function open(st: SuiteTask, seed: number): Promise<BrowserExecutor> {
  const web = 'web' in st.task.app ? st.task.app.web : undefined;
  const k = `${web!.deviceScaleFactor}/${!!web!.isMobile}`;
  let ex = contexts.get(k);
  if (!ex) contexts.set(k, (ex = await BrowserExecutor.launch({ viewport: web!.viewport, deviceScaleFactor: web!.deviceScaleFactor, isMobile: web!.isMobile, browser })));
  await ex.page.setViewportSize({ width: web!.viewport[0], height: web!.viewport[1] });
  await ex.goto(server.resolve(seededUrl(web!.url, seed)));
  // Iframes load after the top page: wait until each has its body.
  await ex.page.waitForFunction(() => [...document.querySelectorAll('iframe')].every((f) => f.contentDocument?.readyState === 'complete' && f.contentDocument.body?.childElementCount));
  return ex;
}

describe('task suite', () => {
  it('has at least 30 tasks covering every category, each with a goal, a category and a js check', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(30);
    expect([...new Set(tasks.map((t) => t.category))].sort()).toEqual([...CATEGORIES].sort());
    for (const { task } of tasks) {
      expect(task.goal, task.id).toBeTruthy();
      expect(task.success.some((c) => 'js' in c), task.id).toBe(true);
      expect(SOLUTIONS[task.id], `a known solution for ${task.id}`).toBeDefined();
    }
    const viewports = tasks.map((t) => ('web' in t.task.app ? `${t.task.app.web.viewport.join('x')}@${t.task.app.web.deviceScaleFactor}` : ''));
    expect(viewports).toEqual(expect.arrayContaining(['390x844@3', '3440x1440@1', '1024x256@1', '1280x720@2']));
  });

  // One test per task (the list is read from disk, so the loop runs inside a test).
  it('seeds every page (same seed, same page; other seed, other page) and every check is false on arrival, true after the known solution', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    for (const st of tasks) {
      const id = st.task.id;
      try {
        const prints: string[] = [];
        for (const seed of [1, 1, 2]) prints.push(String(await (await open(st, seed)).evaluate(FINGERPRINT)));
        if (prints[0] !== prints[1]) failures.push(`${id}: seed 1 gave two different pages`);
        if (prints[0] === prints[2]) failures.push(`${id}: seeds 1 and 2 gave the same page`);
        const ex = await open(st, 3);
        const before = await runCheckers(st.task.success, { executor: ex });
        if (before.every((c) => c.ok)) failures.push(`${id}: the check holds before anything was done`);
        await SOLUTIONS[id](() => ex.page);
        // A page records some effects in an event that fires after the input resolves (hashchange):
        // the check gets a moment to hold, as a run's settling gives it.
        let after = await runCheckers(st.task.success, { executor: ex });
        for (const until = Date.now() + 3000; !after.every((c) => c.ok) && Date.now() < until; ) {
          await new Promise((r) => setTimeout(r, 100));
          after = await runCheckers(st.task.success, { executor: ex });
        }
        if (!after.every((c) => c.ok)) failures.push(`${id}: the check fails after the known solution: ${after.map((c) => c.detail).join('; ')}`);
      } catch (e) {
        failures.push(`${id}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
