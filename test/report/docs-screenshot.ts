/**
 * Makes docs/report.png, the README's picture of a run report: the bundled login task run
 * through the whole model path (ProfileAgent + OpenAiClient over HTTP against the simulated
 * model server speaking UI-TARS-1.5; FAMILY=... picks another), with one out-of-range answer
 * that gets repaired, then its report opened in Chromium from file://.
 * Run: node --import tsx test/report/docs-screenshot.ts [out.png]
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { writeRunReport } from '../../src/report/run-report.ts';
import { runFamilyTask } from '../e2e/support/family-run.ts';
import { CLICK_RECORDER_SCRIPT } from '../e2e/support/page-probe.ts';

const out = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../../docs/report.png'));
const browser = await launchChromium();
try {
  const executor = await BrowserExecutor.launch({ browser, viewport: [1280, 720], deviceScaleFactor: 1 });
  // The simulated server finds its targets through this page probe.
  await executor.context.addInitScript({ content: CLICK_RECORDER_SCRIPT });
  // tsx keeps function names with an `__name` helper that functions sent to page.evaluate carry along.
  await executor.context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  let traceDir: string;
  try {
    const run = await runFamilyTask({
      executor,
      family: process.env.FAMILY ?? 'ui-tars-1.5',
      taskName: 'login/login.task.yaml',
      viewport: [1280, 720],
      deviceScaleFactor: 1,
      onStep: (index, sim) => {
        if (index === 1) sim.inject('out-of-range');
      },
    });
    traceDir = run.summary.traceDir;
    console.log(`run: ${run.summary.reason}, ${run.summary.steps} steps, ${run.summary.repairs} repairs, trace ${traceDir}`);
  } finally {
    await executor.close();
  }
  const file = await writeRunReport(traceDir);
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 })).newPage();
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-ready="true"]');
  // The repaired step, with the accepted answer's reasoning open.
  const repaired = await page.evaluate(() => {
    const data = JSON.parse(document.getElementById('report-data')!.textContent!);
    return data.steps.findIndex((s: { attempts: unknown[] }) => s.attempts.length > 1);
  });
  for (let i = 0; i < Math.max(0, repaired); i++) await page.keyboard.press('ArrowRight');
  await page.locator('.attempt').last().locator('details').first().evaluate((d: HTMLDetailsElement) => (d.open = true));
  await page.waitForFunction(() => [...document.images].filter((i) => i.getBoundingClientRect().top < innerHeight).every((i) => i.complete));
  mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
