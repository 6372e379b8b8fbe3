import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedAgent } from '../../../agents/embedded/embedded-agent.ts';
import { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { runTask } from '../../../src/run/run-task.ts';
import { parseTask, type TaskInput } from '../../../src/core/task.ts';
import { readTrace } from '../../../src/core/trace.ts';
import type { Summary } from '../../../src/core/trace-schema.ts';

/** Pages written for the embedded agent's end-to-end tests. */
export const EMBEDDED_FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/embedded');

const traces = mkdtempSync(path.join(tmpdir(), 'handeye-embedded-'));
let runNo = 0;

/** One headless Chromium for a whole test file: launching one per run costs more than the runs. */
export async function sharedBrowser(): Promise<BrowserExecutor> {
  return BrowserExecutor.launch({ viewport: [1280, 720], deviceScaleFactor: 1 });
}

export interface EmbeddedRun {
  summary: Summary;
  /** The reasoning and notes of every decision, for asserting what the agent checked. */
  decisions: { reasoning?: string; notes?: Record<string, unknown>; actions: unknown[] }[];
}

/** Runs a fixture page task through runTask with a fresh EmbeddedAgent; success comes from the page's own js checker. */
export async function runEmbedded(executor: BrowserExecutor, task: Omit<TaskInput, 'id' | 'app'> & { page: string }): Promise<EmbeddedRun> {
  const { page, ...rest } = task;
  const parsed = parseTask({ id: `embedded-${page.replace(/\W+/g, '-')}`, app: { web: { url: `/${page}` } }, ...rest });
  const summary = await runTask({
    task: parsed,
    agent: new EmbeddedAgent(),
    executor,
    serveRoot: EMBEDDED_FIXTURES,
    traceDir: path.join(traces, `run-${runNo++}`),
  });
  const trace = readTrace(summary.traceDir);
  const decisions = trace.steps.flatMap((s) => s.attempts.map((a) => ({ reasoning: a.reasoning, notes: a.notes as Record<string, unknown> | undefined, actions: s.actions })));
  return { summary, decisions };
}
