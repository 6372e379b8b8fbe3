import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getProfile } from '../../../agents/families.ts';
import { ProfileAgent } from '../../../agents/profile/profile-agent.ts';
import { OpenAiClient, type OpenAiClientOptions } from '../../../src/model-clients/openai.ts';
import type { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { BUNDLED_TASKS, runTask } from '../../../src/run/run-task.ts';
import { loadTaskFile, type Task } from '../../../src/core/task.ts';
import { readTrace, type ReadTrace } from '../../../src/core/trace.ts';
import type { Summary } from '../../../src/core/trace-schema.ts';
import { startSimServer, type Fault, type SimServer, type SimServerOptions } from '../../support/sim-server.ts';
import { domAnswerKey } from './dom-answer-key.ts';
import { pointerEvents, type PagePointerEvent } from './page-probe.ts';

/** A bundled task by folder/file name, e.g. "login/login.task.yaml"; an absolute path is taken as it is. */
export function bundledTaskFile(name: string): string {
  return path.isAbsolute(name) ? name : path.join(BUNDLED_TASKS, name);
}

/** A task as loaded, with the viewport replaced (the executor decides the real one; the header should say it). */
export async function loadTaskAt(name: string, viewport: [number, number], deviceScaleFactor: number): Promise<{ task: Task; file: string }> {
  const { task, file } = await loadTaskFile(bundledTaskFile(name));
  if (!('web' in task.app)) throw new Error(`${name} is not a web task`);
  task.app.web.viewport = viewport;
  task.app.web.deviceScaleFactor = deviceScaleFactor;
  // The executor the test opened decides whether the page has touch.
  delete task.app.web.isMobile;
  return { task, file: file! };
}

export const traceRoot = mkdtempSync(path.join(os.tmpdir(), 'handeye-e2e-traces-'));
let traceCount = 0;
let keep = !!process.env.HANDEYE_KEEP_TRACES;

/** Keeps this file's traces for reading (call when a test fails; failure messages name the trace). */
export function keepTraces(): void {
  keep = true;
}

/** Removes this file's traces unless a test failed or HANDEYE_KEEP_TRACES is set. */
export async function removeTraces(): Promise<void> {
  if (!keep) await rm(traceRoot, { recursive: true, force: true });
}

export interface FamilyRunOptions {
  executor: BrowserExecutor;
  family: string;
  taskName: string;
  viewport: [number, number];
  deviceScaleFactor: number;
  /** Faults queued on the server before the run starts. */
  faults?: Fault[];
  sim?: Partial<SimServerOptions>;
  engine?: Partial<OpenAiClientOptions>;
  /** Changes to the loaded task (steps, budgets). */
  editTask?: (task: Task) => void;
  thinkingBudgetTokens?: number;
  modelTimeoutMs?: number;
  /** Called after each recorded step (e.g. to queue a fault for the next request). */
  onStep?: (index: number, sim: SimServer) => void;
}

export interface FamilyRunResult {
  summary: Summary;
  trace: ReadTrace;
  /** What the page recorded: every mouse press and click with its target and position. */
  events: PagePointerEvent[];
  sim: SimServer;
  wallMs: number;
}

/**
 * One bundled task through the whole product path: our static server, the real loop in the
 * given browser context, ProfileAgent + OpenAiClient over HTTP, and the simulated server that
 * answers from the page's DOM in the family's format. Closes every tab but the first afterwards.
 */
export async function runFamilyTask(o: FamilyRunOptions): Promise<FamilyRunResult> {
  const { task, file } = await loadTaskAt(o.taskName, o.viewport, o.deviceScaleFactor);
  o.editTask?.(task);
  const sim = await startSimServer({
    family: o.family,
    answerKey: domAnswerKey({ family: o.family, page: () => o.executor.page }),
    chunkChars: 48,
    ...o.sim,
  });
  if (o.faults?.length) sim.inject(...o.faults);
  const engine = new OpenAiClient({
    baseUrl: sim.baseUrl,
    model: 'sim',
    retry: { maxRetries: 2, baseDelayMs: 20, maxDelayMs: 100 },
    // Roomy: on a loaded machine the simulated server may take seconds to read a 4K screenshot.
    timeouts: { connectMs: 30_000, firstTokenMs: 30_000, idleMs: 10_000, totalMs: 60_000 },
    ...o.engine,
  });
  const agent = new ProfileAgent({ profile: getProfile(o.family), client: engine, ...(o.thinkingBudgetTokens !== undefined ? { thinkingBudgetTokens: o.thinkingBudgetTokens } : {}) });
  const traceDir = path.join(traceRoot, `${task.id}-${o.family.replace(/[^\w.-]/g, '_')}-${o.viewport.join('x')}-${traceCount++}`);
  const started = Date.now();
  let summary: Summary;
  try {
    summary = await runTask({
      task,
      taskFile: file,
      agent,
      executor: o.executor,
      traceDir,
      modelTimeoutMs: o.modelTimeoutMs ?? 60_000,
      settle: { timeoutMs: 1_500 },
      onEvent: (e) => {
        if (e.type === 'step') o.onStep?.(e.record.index, sim);
      },
    });
  } finally {
    await sim.close();
  }
  const wallMs = Date.now() - started;
  const pages = o.executor.context.pages();
  const events = await pointerEvents(pages);
  for (const p of pages.slice(1)) await p.close().catch(() => undefined);
  return { summary, trace: readTrace(traceDir), events, sim, wallMs };
}
