// Record once with a model, replay without one (issue 19's targets):
//  1. each seeded-suite task recorded on seed 0 with the simulated VLM, compiled (`handeye compile`),
//     and the compiled file run on seeds 1–5 on the embedded engine: success rate per category, model
//     calls (must be 0), steps that needed template crops, compile time per recorded step;
//  2. the step cache: a model run against a 1-second simulated model, the run that fills the cache,
//     and the cached rerun of the unchanged task: model calls and time per scripted step.
// Run: node --import tsx test/bench/compile.ts [task-name …]   (COMPILE_BENCH_SEEDS=1,2 for fewer seeds,
// COMPILE_BENCH_ONLY=compile or cache for one part)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import { CachingAgent } from '../../src/cache/caching-agent.ts';
import { compileTrace } from '../../src/compile/compile-trace.ts';
import { ImageStepAgent, resolveImageTargets } from '../../src/compile/image-steps.ts';
import { readTrace } from '../../src/core/trace.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { runEval } from '../../src/eval/runner.ts';
import { loadSuite, type SuiteTask } from '../../src/eval/suite.ts';
import { startStaticServer } from '../../src/run/static-server.ts';
import { SimulatedVlm } from '../support/sim-vlm.ts';
import { recordWithSimVlm, runSuiteTask, SUITE_DIR, TASKS_ROOT } from '../support/suite-record.ts';

const SEEDS = (process.env.COMPILE_BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const CACHE_TASKS = ['buttons', 'form-contact', 'checkbox', 'tabs', 'dialog-confirm'];
const MODEL_MS = 1000;

const round = (v: number, d = 0) => Math.round(v * 10 ** d) / 10 ** d;

interface CompiledRow {
  task: string;
  category: string;
  recorded: boolean;
  steps: number;
  templateSteps: string[];
  compileMsPerStep: number;
  passed: number;
  episodes: number;
  modelCalls: number;
  failures: string[];
}

async function compileBench(tasks: SuiteTask[], root: string): Promise<CompiledRow[]> {
  const browser = await launchChromium();
  const server = await startStaticServer(TASKS_ROOT);
  const compiled: SuiteTask[] = [];
  const rows: CompiledRow[] = [];
  try {
    for (const st of tasks) {
      const row: CompiledRow = { task: st.task.id, category: st.category, recorded: false, steps: 0, templateSteps: [], compileMsPerStep: 0, passed: 0, episodes: 0, modelCalls: 0, failures: [] };
      rows.push(row);
      const rec = await recordWithSimVlm({ st, seed: 0, browser, server, traceDir: path.join(root, 'rec', st.task.id) });
      if (!rec.summary.success) {
        row.failures.push(`recording failed: ${rec.summary.detail ?? rec.summary.reason}`);
        continue;
      }
      row.recorded = true;
      const c = await compileTrace(rec.summary.traceDir, { out: path.join(root, 'compiled', `${st.task.id}.compiled.task.yaml`) });
      row.steps = c.steps.length;
      row.templateSteps = c.steps.filter((s) => s.templates.length).map((s) => JSON.stringify(s.step));
      row.compileMsPerStep = round(c.ms / c.recordedSteps);
      compiled.push({ ...st, task: resolveImageTargets(c.task, c.file), file: c.file, serveRoot: TASKS_ROOT });
    }
  } finally {
    await server.close();
    await browser.close();
  }
  // The compiled files on the other seeds: the embedded engine only, no model anywhere.
  const out = path.join(root, 'eval');
  const s = await runEval({ tasks: compiled, seeds: SEEDS, out, concurrency: 2, mode: 'steps', makeAgent: async () => new ImageStepAgent(new EmbeddedAgent()), engineLabel: 'embedded' });
  for (const e of s.episodes) {
    const row = rows.find((r) => `${r.task}-compiled` === e.task)!;
    row.episodes++;
    if (e.success) row.passed++;
    else row.failures.push(`seed ${e.seed}: ${e.detail ?? e.reason}`);
    row.modelCalls += e.tokens.input + e.tokens.output > 0 ? 1 : 0;
  }
  return rows;
}

interface CacheRow {
  task: string;
  run: string;
  success: boolean;
  modelCalls: number;
  hits: number;
  msPerStep: number;
  /** The step records' time alone (without the final settle). */
  recordMsPerStep: number;
  decideMsPerStep: number;
}

/**
 * Time per scripted step of a run: the loop's whole capture, decide, act and settle time (the
 * run's summary: its step records plus the wait for the final screen to settle, which the step
 * records leave out), over the task's steps; and the step records' alone, as before.
 */
function perStep(traceDir: string, scripted: number, summary: { timings: { captureMs: number; modelMs: number; actMs: number; settleMs: number } }): { total: number; records: number; decide: number } {
  const t = readTrace(traceDir);
  const records = t.steps.reduce((a, s) => a + s.timings.totalMs, 0);
  const decide = t.steps.reduce((a, s) => a + s.timings.modelMs, 0);
  const w = summary.timings;
  return { total: (w.captureMs + w.modelMs + w.actMs + w.settleMs) / scripted, records: records / scripted, decide: decide / scripted };
}

async function cacheBench(tasks: SuiteTask[], root: string): Promise<CacheRow[]> {
  const browser = await launchChromium();
  const server = await startStaticServer(TASKS_ROOT);
  const rows: CacheRow[] = [];
  try {
    for (const st of tasks) {
      const cacheDir = path.join(root, 'cache');
      const scripted = st.task.steps!.length;
      for (const run of ['model, no cache', 'model, filling the cache', 'cached rerun', 'cached rerun, re-grounded'] as const) {
        let vlm: SimulatedVlm | undefined;
        let caching: CachingAgent | undefined;
        const traceDir = path.join(root, 'cache-runs', st.task.id, run.replace(/\W+/g, '-'));
        const summary = await runSuiteTask({
          st,
          seed: 0,
          browser,
          server,
          traceDir,
          agent: (executor) => {
            vlm = new SimulatedVlm({ page: () => executor.page, latencyMs: MODEL_MS });
            if (run === 'model, no cache') return vlm.agent();
            return (caching = new CachingAgent(vlm.agent(), { dir: cacheDir, task: { id: st.task.id }, exactReplay: run !== 'cached rerun, re-grounded' }));
          },
        });
        await caching?.settled();
        const t = perStep(traceDir, scripted, summary);
        rows.push({ task: st.task.id, run, success: summary.success, modelCalls: vlm!.calls, hits: caching?.cacheStats().hits ?? 0, msPerStep: round(t.total), recordMsPerStep: round(t.records), decideMsPerStep: round(t.decide) });
      }
    }
  } finally {
    await server.close();
    await browser.close();
  }
  return rows;
}

export async function runCompileBench(names?: string[]): Promise<{ compiled: CompiledRow[]; cache: CacheRow[] }> {
  const all = await loadSuite([SUITE_DIR]);
  const pick = (list: string[]) => all.tasks.filter((t) => list.some((n) => t.file.includes(`/suite/${n}/`)));
  const tasks = names?.length ? pick(names) : all.tasks;
  const root = mkdtempSync(path.join(os.tmpdir(), 'handeye-compile-bench-'));
  try {
    await OcrEngine.shared().warmUp();
    const only = process.env.COMPILE_BENCH_ONLY;
    const compiled = only === 'cache' ? [] : await compileBench(tasks, root);
    const cache = only === 'compile' ? [] : await cacheBench(pick(names?.length ? names.filter((n) => CACHE_TASKS.includes(n)) : CACHE_TASKS), root);
    return { compiled, cache };
  } finally {
    if (!process.env.HANDEYE_KEEP_TRACES) rmSync(root, { recursive: true, force: true });
    else console.log(`traces kept in ${root}`);
  }
}

function printCompiled(rows: CompiledRow[]): void {
  const byCat = new Map<string, { passed: number; episodes: number }>();
  for (const r of rows) {
    const c = byCat.get(r.category) ?? { passed: 0, episodes: 0 };
    c.passed += r.passed;
    c.episodes += r.recorded ? SEEDS.length : 0;
    byCat.set(r.category, c);
  }
  const episodes = rows.reduce((a, r) => a + (r.recorded ? SEEDS.length : 0), 0);
  const passed = rows.reduce((a, r) => a + r.passed, 0);
  const calls = rows.reduce((a, r) => a + r.modelCalls, 0);
  const per = rows.filter((r) => r.recorded).map((r) => r.compileMsPerStep);
  console.log(`compiled tasks on seeds ${SEEDS.join(',')}: ${passed}/${episodes} episodes succeeded (${round((100 * passed) / Math.max(1, episodes), 1)}%), episodes with model calls: ${calls}`);
  console.table([...byCat].map(([category, c]) => ({ category, passed: c.passed, episodes: c.episodes, rate: `${round((100 * c.passed) / Math.max(1, c.episodes), 1)}%` })));
  console.log(`recorded on seed 0: ${rows.filter((r) => r.recorded).length}/${rows.length} tasks`);
  console.log(`compile time per recorded step: mean ${round(per.reduce((a, b) => a + b, 0) / Math.max(1, per.length))} ms, max ${Math.max(...per)} ms (${rows.find((r) => r.compileMsPerStep === Math.max(...per))?.task})`);
  const templ = rows.filter((r) => r.templateSteps.length);
  console.log(`steps that needed template crops: ${templ.length ? templ.map((r) => `${r.task}: ${r.templateSteps.join(', ')}`).join('; ') : 'none'}`);
  for (const r of rows.filter((r) => r.failures.length)) console.log(`  ${r.task}: ${r.failures.join(' | ')}`);
}

function printCache(rows: CacheRow[]): void {
  console.log(`\nstep cache against a ${MODEL_MS} ms simulated model (time per scripted step: capture, decide, act, settle, the final settle included; recordMsPerStep: the step records alone)`);
  console.log('"cached rerun": the unchanged page, each hit the recorded screen byte for byte; "re-grounded": the same rerun with every hit found again on the screen (patches, the fingerprint), as on a screen that changed a little');
  console.table(rows);
  printRatio(rows, 'cached rerun');
  printRatio(rows, 'cached rerun, re-grounded');
}

function printRatio(rows: CacheRow[], run: CacheRow['run']): void {
  const base = rows.filter((r) => r.run === 'model, no cache');
  const cached = rows.filter((r) => r.run === run);
  const sum = (xs: CacheRow[], k: 'msPerStep' | 'recordMsPerStep' | 'decideMsPerStep') => xs.reduce((a, r) => a + r[k], 0);
  console.log(
    `${run}: ${cached.reduce((a, r) => a + r.modelCalls, 0)} model calls; ${round(sum(base, 'msPerStep') / sum(cached, 'msPerStep'), 1)}x faster per step ` +
      `(${round(sum(base, 'msPerStep') / base.length)} → ${round(sum(cached, 'msPerStep') / cached.length)} ms; ${round(sum(base, 'recordMsPerStep') / sum(cached, 'recordMsPerStep'), 1)}x counting the step records alone), ` +
      `decisions ${round(sum(base, 'decideMsPerStep') / Math.max(1, sum(cached, 'decideMsPerStep')), 1)}x faster`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runCompileBench(process.argv.slice(2));
  if (r.compiled.length) printCompiled(r.compiled);
  if (r.cache.length) printCache(r.cache);
  await OcrEngine.shared().close();
}
