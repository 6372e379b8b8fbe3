import path from 'node:path';
import type { Point } from '../../../src/core/actions.ts';
import type { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';

/** Fixture pages for executor tests. */
export const FIXTURE_ROOT = path.resolve(import.meta.dirname, '../../fixtures/web');

/** DOM rect of an element in CSS px of the viewport. */
export async function rectOf(ex: BrowserExecutor, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const r = (await ex.evaluate(
    `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null;
      const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; })()`,
  )) as { x: number; y: number; width: number; height: number } | null;
  if (!r) throw new Error(`no element matches ${selector}`);
  return r;
}

/** Centre of an element in frame pixels: its DOM rect centre × device scale factor. */
export async function centreInFrame(ex: BrowserExecutor, selector: string): Promise<Point> {
  const r = await rectOf(ex, selector);
  const s = ex.options.deviceScaleFactor;
  return [(r.x + r.width / 2) * s, (r.y + r.height / 2) * s];
}
