import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachingAgent } from '../../src/cache/caching-agent.ts';
import type { CacheMode } from '../../src/cache/cache-store.ts';
import { main } from '../../src/cli/index.ts';
import { readTrace } from '../../src/core/trace.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import type { SuiteTask } from '../../src/eval/suite.ts';
import { startStaticServer, type StaticServer } from '../../src/run/static-server.ts';
import { startSimServer } from '../support/sim-server.ts';
import { SimulatedVlm } from '../support/sim-vlm.ts';
import { runSuiteTask, SUITE_DIR, suiteTask, TASKS_ROOT } from '../support/suite-record.ts';

// The step cache on model runs: real Chromium pages, real OCR, the product's VLM agent; only the
// model is simulated (it takes LATENCY_MS per answer, like a served model).

const LATENCY_MS = 400;
let browser: Browser;
let server: StaticServer;
const root = mkdtempSync(path.join(os.tmpdir(), 'handeye-cache-run-'));

beforeAll(async () => {
  browser = await launchChromium();
  server = await startStaticServer(TASKS_ROOT);
});

afterAll(async () => {
  await server?.close();
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

let runs = 0;
async function cachedRun(st: SuiteTask, seed: number, dir: string, mode?: CacheMode) {
  let vlm!: SimulatedVlm;
  let agent!: CachingAgent;
  const traceDir = path.join(root, `run-${runs++}`);
  const summary = await runSuiteTask({
    st,
    seed,
    browser,
    server,
    traceDir,
    agent: (executor) => {
      vlm = new SimulatedVlm({ page: () => executor.page, latencyMs: LATENCY_MS });
      return (agent = new CachingAgent(vlm.agent(), { dir, mode, task: { id: st.task.id } }));
    },
  });
  await agent.settled();
  const steps = readTrace(traceDir).steps;
  const cacheNotes = steps.flatMap((s) => s.attempts).map((a) => a.notes?.cache as { hit?: string; exact?: boolean; verified?: boolean; detail?: string } | undefined).filter((n) => n !== undefined);
  return { summary, calls: vlm.calls, stats: agent.cacheStats(), cacheNotes, msPerStep: steps.reduce((a, s) => a + s.timings.totalMs, 0) / st.task.steps!.length };
}

describe('step cache (--cache)', () => {
  it('a rerun of an unchanged task makes no model call, and is faster per step', async () => {
    const st = await suiteTask('form-contact');
    const dir = path.join(root, 'cache-form');
    const first = await cachedRun(st, 0, dir);
    expect(first.summary.success).toBe(true);
    expect(first.calls).toBe(3);
    expect(first.stats).toMatchObject({ hits: 0, misses: 3, modelCalls: 3, written: 3, mode: 'read-write' });
    const again = await cachedRun(st, 0, dir);
    expect(again.summary.detail ?? '').toBe('');
    expect(again.summary.success).toBe(true);
    expect(again.calls).toBe(0);
    expect(again.stats).toMatchObject({ hits: 3, misses: 0, rejected: 0, modelCalls: 0, savedCalls: 3 });
    expect(again.stats.savedMs).toBeGreaterThan(2 * LATENCY_MS);
    // The summary carries the counts.
    expect(again.summary.cache).toEqual(again.stats);
    expect(again.msPerStep).toBeLessThan(first.msPerStep * 0.6);
    // The page is the same pixels as when recorded: each hit replays as recorded, without decoding or searching the screen.
    const hits = again.cacheNotes.filter((n) => n.hit);
    expect(hits).toHaveLength(3);
    expect(hits.every((n) => n.exact)).toBe(true);
  });

  it('read-only uses entries and writes none; write-only always asks the model', async () => {
    const st = await suiteTask('buttons');
    const dir = path.join(root, 'cache-buttons');
    expect((await cachedRun(st, 0, dir, 'write-only')).stats).toMatchObject({ hits: 0, modelCalls: 1, written: 1 });
    expect((await cachedRun(st, 0, dir, 'write-only')).stats).toMatchObject({ hits: 0, modelCalls: 1, written: 1 });
    const ro = await cachedRun(st, 0, dir, 'read-only');
    expect(ro.summary.success).toBe(true);
    expect(ro.stats).toMatchObject({ hits: 1, modelCalls: 0, written: 0, mode: 'read-only' });
  });

  it('on a page that changed, an entry is re-grounded or the model is asked: the run still succeeds', async () => {
    const st = await suiteTask('checkbox');
    const dir = path.join(root, 'cache-checkbox');
    expect((await cachedRun(st, 0, dir)).summary.success).toBe(true);
    for (const seed of [1, 2]) {
      const r = await cachedRun(st, seed, dir);
      expect(r.summary.detail ?? '').toBe('');
      expect(r.summary.success).toBe(true);
      expect(r.stats.hits + r.stats.modelCalls).toBeGreaterThanOrEqual(2);
      expect(r.calls).toBe(r.stats.modelCalls);
      // Another seed draws another page: nothing there is the recorded screen byte for byte.
      expect(r.cacheNotes.filter((n) => n.exact)).toEqual([]);
    }
  });

  it('handeye run --cache: the second run sends no request to the model server', async () => {
    const sim = await startSimServer({ family: 'generic', useOcr: true });
    const dir = path.join(root, 'cli-cache');
    const lines: string[] = [];
    const io = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) };
    const args = (n: number) => ['run', path.join(SUITE_DIR, 'buttons', 'buttons.task.yaml'), '--engine', 'openai', '--base-url', sim.baseUrl, '--model', 'generic', '--family', 'generic', '--cache', dir, '--trace', path.join(root, `cli-${n}`)];
    try {
      expect(await main(args(1), io)).toBe(0);
      const asked = sim.requests.length;
      expect(asked).toBe(1);
      expect(lines.join('\n')).toMatch(/cache: 0 hit\(s\), 1 miss\(es\), 0 rejected; 1 model call\(s\), 0 saved \(0\.0 s\); 1 written \(read-write, /);
      lines.length = 0;
      expect(await main([...args(2), '--json', '--report'], io)).toBe(0);
      expect(sim.requests.length).toBe(asked);
      expect(lines.join('\n')).toMatch(/cache: 1 hit\(s\), 0 miss\(es\), 0 rejected; 0 model call\(s\), 1 saved/);
      const summary = JSON.parse(lines.find((l) => l.startsWith('{'))!);
      expect(summary.cache).toMatchObject({ hits: 1, modelCalls: 0, savedCalls: 1 });
      expect(readFileSync(path.join(root, 'cli-2', 'report.html'), 'utf8')).toMatch(/step cache<\/dt><dd>1 hits, 0 misses, 0 rejected; 0 model calls, 1 saved/);
      lines.length = 0;
      expect(await main(['run', path.join(SUITE_DIR, 'buttons', 'buttons.task.yaml'), '--cache-mode', 'read-only'], io)).toBe(2);
      expect(lines.join('\n')).toMatch(/--cache-mode needs --cache DIR/);
    } finally {
      await sim.close();
    }
  });
});
