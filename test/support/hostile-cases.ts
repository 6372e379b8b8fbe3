import path from 'node:path';
import { BUTTONS, BUTTONS_TASK, buttonsModel } from '../crash/support.ts';
import type { SimBox } from '../../agents/profile/simulate.ts';
import type { HostilePages } from './hostile-pages.ts';
import { runHostile, writeTask, type HostileOutcome, type HostileRunOptions } from './hostile-run.ts';
import { startSimServer, type Fault, type SimServer } from './sim-server.ts';

/**
 * The hostile cases of issue 24, shared by the test suite (test/hostile/) and the bench that
 * prints their wall times (test/bench/hostile.ts). Each builds its run, runs it, and says what
 * a run that keeps its budgets must show.
 */

export const BUDGET_MS = 6000;
export const API_KEY = 'sk-hostile-test-0123456789abcdef';
export const SECRET_VALUE = 'hunter2-hostile-secret';

export interface HostileContext {
  tmp: string;
  pages: HostilePages;
  /** How long a run may go on before the harness kills it (bench: long, to measure a hang). */
  killAfterMs: number;
}

export interface HostileCase {
  name: string;
  /** What a run that keeps its budgets shows (exit null: killed by a signal). */
  expect: { exit: number | null; reason?: string; summary: boolean; maxWallMs: number };
  run(ctx: HostileContext): Promise<HostileOutcome & { sim?: SimServer; requestsAfter?: number }>;
}

const budget = ['--timeout-ms', String(BUDGET_MS)];
/** The embedded agent on one of the hostile pages: a task file of `lines` (a goal by default), extra CLI flags. */
const embedded = (ctx: HostileContext, name: string, page: Parameters<HostilePages['url']>[0], lines: string[] = ['goal: Click "OK"'], o: Partial<HostileRunOptions> & { flags?: string[] } = {}) =>
  runHostile({ args: [writeTask(path.join(ctx.tmp, 'tasks'), name, ctx.pages.url(page), lines), ...(o.flags ?? budget)], traceDir: path.join(ctx.tmp, name), killAfterMs: ctx.killAfterMs, ...o });

async function withModel(ctx: HostileContext, name: string, faults: { every?: Fault; first?: Fault[] }, o: Partial<HostileRunOptions> & { timeoutMs?: number } = {}) {
  const sim = faults.every || faults.first ? await faultyButtons(faults) : await buttonsModel(400);
  try {
    const out = await runHostile({
      args: [BUTTONS_TASK, '--engine', 'openai', '--base-url', sim.baseUrl, '--model', 'sim', '--family', 'generic', '--api-key-env', 'HOSTILE_KEY', '--timeout-ms', String(o.timeoutMs ?? BUDGET_MS)],
      env: { HOSTILE_KEY: API_KEY },
      traceDir: path.join(ctx.tmp, name),
      killAfterMs: ctx.killAfterMs,
      secrets: [API_KEY],
      ...o,
    });
    const at = sim.requests.length;
    await new Promise((r) => setTimeout(r, 1500));
    return { ...out, sim, requestsAfter: sim.requests.length - at };
  } finally {
    await sim.close();
  }
}

/** The buttons model with faults: `first` for the first requests, `every` for all the others. */
async function faultyButtons(faults: { every?: Fault; first?: Fault[] }): Promise<SimServer> {
  const sim = await startSimServer({
    family: 'generic',
    every: faults.every,
    answerKey: (instruction, size) => {
      const label = /"(One|Two|Three|Four)"/.exec(instruction)?.[1] ?? 'One';
      return { kind: 'click', box: BUTTONS[label].map((v) => (v * size.width) / 800) as SimBox, label };
    },
  });
  if (faults.first) sim.inject(...faults.first);
  return sim;
}

// The run's own budget, plus starting and ending the process (tsx, Chromium) on a loaded 2-core machine.
const withinBudget = BUDGET_MS + 7000;

export const HOSTILE_CASES: HostileCase[] = [
  { name: 'page never answers', expect: { exit: 2, reason: 'timeout', summary: true, maxWallMs: withinBudget }, run: (c) => embedded(c, 'page-never', '/never') },
  { name: 'page sent half, then silence', expect: { exit: 2, reason: 'timeout', summary: true, maxWallMs: withinBudget }, run: (c) => embedded(c, 'page-half', '/half') },
  { name: 'redirect loop', expect: { exit: 2, reason: 'error', summary: true, maxWallMs: withinBudget }, run: (c) => embedded(c, 'page-loop', '/loop') },
  {
    name: 'viewport 100000x100000',
    expect: { exit: 2, summary: false, maxWallMs: withinBudget },
    run: (c) => embedded(c, 'page-huge-viewport', '/ok', undefined, { flags: [...budget, '--viewport', '100000x100000'] }),
  },
  { name: 'model never answers', expect: { exit: 1, reason: 'timeout', summary: true, maxWallMs: withinBudget }, run: (c) => withModel(c, 'model-never', { every: 'never' }) },
  { name: 'model sends headers, then nothing', expect: { exit: 1, reason: 'timeout', summary: true, maxWallMs: withinBudget }, run: (c) => withModel(c, 'model-headers-only', { every: 'stall' }) },
  { name: 'model stalls mid-stream', expect: { exit: 1, reason: 'timeout', summary: true, maxWallMs: withinBudget }, run: (c) => withModel(c, 'model-stall-mid', { every: 'stall-mid' }) },
  { name: 'model always 429', expect: { exit: 1, summary: true, maxWallMs: withinBudget }, run: (c) => withModel(c, 'model-429', { every: 'http-429' }) },
  { name: 'model 500, then fine', expect: { exit: 0, reason: 'steps-completed', summary: true, maxWallMs: 60_000 }, run: (c) => withModel(c, 'model-500-200', { first: ['http-500'] }, { timeoutMs: 60_000 }) },
  { name: 'model echoes the API key', expect: { exit: 2, reason: 'error', summary: true, maxWallMs: withinBudget }, run: (c) => withModel(c, 'model-echo-key', { every: 'echo-key' }) },
  { name: 'model sends 20 MB', expect: { exit: 0, reason: 'steps-completed', summary: true, maxWallMs: 90_000 }, run: (c) => withModel(c, 'model-20mb', { first: ['huge'] }, { timeoutMs: 90_000 }) },
  {
    name: 'model server refuses connections',
    expect: { exit: 2, reason: 'error', summary: true, maxWallMs: withinBudget },
    run: (c) =>
      runHostile({ args: [BUTTONS_TASK, '--engine', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'sim', ...budget], traceDir: path.join(c.tmp, 'model-refused'), killAfterMs: c.killAfterMs }),
  },
  {
    name: 'page opens dialogs',
    expect: { exit: 0, reason: 'finished', summary: true, maxWallMs: 60_000 },
    run: (c) => embedded(c, 'page-dialogs', '/dialogs', ['goal: Click "Delete"'], { flags: ['--timeout-ms', '60000'] }),
  },
  {
    name: 'secret unset',
    expect: { exit: 2, reason: 'error', summary: true, maxWallMs: withinBudget },
    run: (c) =>
      embedded(c, 'secret-unset', '/ok', ['steps:', '  - click: OK', '  - type: "{{secret:HOSTILE_UNSET_PIN}}"'], { env: { HOSTILE_UNSET_PIN: '' } }),
  },
  { name: 'SIGINT while the model thinks', expect: { exit: 1, reason: 'aborted', summary: true, maxWallMs: 60_000 }, run: (c) => withModel(c, 'signal-int', {}, { timeoutMs: 60_000, signal: { name: 'SIGINT', when: /step 2 \[2\/4\]/ } }) },
  { name: 'SIGTERM while the model thinks', expect: { exit: 1, reason: 'aborted', summary: true, maxWallMs: 60_000 }, run: (c) => withModel(c, 'signal-term', {}, { timeoutMs: 60_000, signal: { name: 'SIGTERM', when: /step 2 \[2\/4\]/ } }) },
  { name: 'SIGKILL while the model thinks', expect: { exit: null, summary: false, maxWallMs: 60_000 }, run: (c) => withModel(c, 'signal-kill', {}, { timeoutMs: 60_000, signal: { name: 'SIGKILL', when: /step 2 \[2\/4\]/ } }) },
  { name: 'SIGINT while the page loads', expect: { exit: 1, reason: 'aborted', summary: true, maxWallMs: 30_000 }, run: (c) => embedded(c, 'signal-int-page', '/never', undefined, { flags: ['--timeout-ms', '60000'], signal: { name: 'SIGINT', when: /opening http/, delayMs: 2500 } }) },
  { name: 'SIGKILL while a page hangs', expect: { exit: null, summary: false, maxWallMs: 60_000 }, run: (c) => embedded(c, 'signal-kill-page', '/never', undefined, { signal: { name: 'SIGKILL', when: /opening http/, delayMs: 2500 } }) },
  {
    name: 'parent (npx) killed mid-run',
    // The exit code is the killed parent's; handeye itself must stop, finish its trace and take its browser with it.
    expect: { exit: null, reason: 'aborted', summary: true, maxWallMs: 60_000 },
    run: (c) => withModel(c, 'parent-killed', {}, { timeoutMs: 60_000, viaParent: true, signal: { name: 'SIGKILL', when: /step 2 \[2\/4\]/ } }),
  },
];
