import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import type { StepRecord } from '../../src/core/trace-schema.ts';
import type { Fault } from '../support/sim-server.ts';
import { keepTraces, removeTraces, runFamilyTask, type FamilyRunOptions, type FamilyRunResult } from './support/family-run.ts';
import { expectEveryClickOnTarget, performedActions, pressesOf } from './support/run-checks.ts';
import { startSharedChromium, type SharedChromium } from './support/shared-chromium.ts';

/**
 * Faults injected by the simulated server during real runs (modal-close: click "Contact us",
 * then the dialog's "×"). Each must end in a repaired step, a retried request, or a clean
 * failure recorded in trace.jsonl and summary.json: never a crash, never a hang past the
 * configured timeouts, never an action executed from an invalid reply. What was clicked is read
 * from the page.
 */

const VIEWPORT: [number, number] = [1280, 720];
const TASK = 'modal/modal-close.task.yaml';
const FAMILIES = ['glm-4.1v-thinking', 'glm-4.1v-thinking:som', 'glm-4.5v', 'ui-tars-1.5', 'qwen2.5-vl', 'generic'];
/**
 * Short stream timeouts: a stream that stalls must be given up on within about a second. The
 * simulated server computes its answer before it sends headers, so only connectMs has to allow
 * for a loaded machine.
 */
const TIMEOUTS = { connectMs: 15_000, firstTokenMs: 1_500, idleMs: 1_000, totalMs: 20_000 };
/** Bound on any one run here: far below a hang (the test's own timeout), far above a normal run on a loaded machine. */
const RUN_BOUND_MS = 40_000;

let chrome: SharedChromium;
let executor: BrowserExecutor;
beforeAll(async () => {
  chrome = await startSharedChromium();
  executor = await chrome.open(VIEWPORT, 1);
});
afterAll(async () => {
  await executor?.close();
  await chrome?.close();
  await removeTraces();
});
// An it.fails test fails on purpose: its traces need no keeping.
beforeEach(({ onTestFailed, task }) => {
  onTestFailed(() => {
    if (!task.fails) keepTraces();
  });
});

async function run(family: string, o: Partial<FamilyRunOptions> = {}): Promise<FamilyRunResult & { state: { opened: number; closed: number } }> {
  const r = await runFamilyTask({ executor, family, taskName: TASK, viewport: VIEWPORT, deviceScaleFactor: 1, ...o, engine: { timeouts: TIMEOUTS, ...o.engine } });
  const state = (await executor.evaluate('({ opened: window.__state.opened, closed: window.__state.closed })')) as { opened: number; closed: number };
  expect(r.wallMs, `${family}: the run took ${r.wallMs} ms`).toBeLessThan(RUN_BOUND_MS);
  // summary.json and the end record exist whatever happened.
  expect(existsSync(path.join(r.summary.traceDir, 'summary.json'))).toBe(true);
  expect(r.trace.summary).toEqual(r.summary);
  expect(r.trace.damaged).toBe(0);
  return { ...r, state };
}

/** The page saw exactly the presses of the performed actions, all on target, and the task's effect. */
function expectRepairedRun(r: Awaited<ReturnType<typeof run>>): void {
  expect(r.summary.success, `${r.summary.reason}: ${r.summary.detail ?? ''}`).toBe(true);
  const presses = r.events.filter((e) => e.type === 'mousedown');
  expect(presses.length).toBe(pressesOf(performedActions(r.trace.steps)));
  expect(presses.length).toBe(2);
  expectEveryClickOnTarget(r.events);
  expect(r.state).toEqual({ opened: 1, closed: 1 });
}

/** Nothing was clicked at all: no pointer event reached the page, the dialog never opened. */
function expectNothingClicked(r: Awaited<ReturnType<typeof run>>): void {
  expect(r.events).toEqual([]);
  expect(r.state).toEqual({ opened: 0, closed: 0 });
  expect(performedActions(r.trace.steps)).toEqual([]);
}

const rejected = (s: StepRecord) => s.attempts.filter((a) => a.errors.length > 0);

describe('invalid replies are fed back and repaired; the invalid action is never executed', () => {
  for (const family of FAMILIES) {
    it(`${family}: malformed, then out-of-range on step 1; an unknown action on step 2`, async () => {
      const r = await run(family, {
        faults: ['malformed', 'out-of-range'],
        onStep: (index, sim) => index === 0 && sim.inject('unknown-action'),
      });
      expectRepairedRun(r);
      const [first, second] = r.trace.steps;
      expect(r.trace.steps).toHaveLength(2);
      expect(first.attempts).toHaveLength(3);
      expect(second.attempts).toHaveLength(2);
      expect(first.attempts.map((a) => a.rejectedBy)).toEqual([expect.stringMatching(/schema|frame/), expect.stringMatching(/schema|frame/), undefined]);
      expect(first.attempts[1].errors.join(' ')).toMatch(/outside|out of|beyond|not on the screenshot|frame/i);
      expect(second.attempts[0].errors.join(' ')).toMatch(/unknown|is not one of/i);
      expect(first.actions).toHaveLength(1);
      expect(second.actions).toHaveLength(1);
      expect(r.summary.repairs).toBe(3);
      expect(r.summary.parseFailures).toBeGreaterThanOrEqual(2);
      // Each repair request carried the model's previous answer and the reason it was refused.
      const repairs = r.sim.requests.filter((q) => JSON.stringify(q.body.messages.at(-1).content).includes('could not be used'));
      expect(repairs).toHaveLength(3);
      const errors = [first.attempts[0], first.attempts[1], second.attempts[0]].map((a) => a.errors[0]);
      repairs.forEach((q, i) => {
        const msgs = q.body.messages;
        expect(msgs.at(-2).role).toBe('assistant');
        expect(JSON.stringify(msgs.at(-1).content)).toContain(JSON.stringify(errors[i].slice(0, 30)).slice(1, -1));
      });
    });
  }
});

describe('a step that stays invalid ends the run as a recorded failure, with nothing clicked', () => {
  const faults: Fault[] = ['out-of-range', 'unknown-action', 'malformed'];
  for (const family of FAMILIES) {
    it(`${family}: out-of-range, unknown action, malformed: no valid action after 3 attempts`, async () => {
      const r = await run(family, { faults });
      expect(r.summary.success).toBe(false);
      expect(r.summary.reason).toBe('invalid-output');
      expect(r.summary.detail).toMatch(/no valid action after 3 attempt/);
      expect(r.trace.steps).toHaveLength(1);
      expect(r.trace.steps[0].outcome).toBe('invalid');
      expect(rejected(r.trace.steps[0])).toHaveLength(3);
      expect(r.sim.requests.map((q) => q.fault)).toEqual(faults);
      expectNothingClicked(r);
    });
  }
});

describe('thinking that does not end', () => {
  it('glm-4.1v-thinking: endless thinking is cut at the budget and an answer forced; recorded in the trace', async () => {
    const r = await run('glm-4.1v-thinking', { faults: ['endless-thinking'], thinkingBudgetTokens: 40 });
    expectRepairedRun(r);
    const notes = r.trace.steps[0].attempts[0].notes;
    expect(notes?.forcedAnswer).toMatchObject({ budgetTokens: 40, reason: 'reasoning_budget' });
    expect(r.summary.repairs).toBe(0);
    const forced = r.sim.requests[1].body;
    expect(forced.continue_final_message).toBe(true);
    expect(forced.messages.at(-1).content).toMatch(/<\/think><answer>$/);
  });

  it('glm-4.5v: a repetition loop is cut the same way', async () => {
    const r = await run('glm-4.5v', { faults: ['repetition'], thinkingBudgetTokens: 40 });
    expectRepairedRun(r);
    expect(r.trace.steps[0].attempts[0].notes?.forcedAnswer).toMatchObject({ budgetTokens: 40 });
  });

  it('qwen2.5-vl (no thinking budget): thinking to the token limit gives no action, fed back and repaired', async () => {
    const r = await run('qwen2.5-vl', { faults: ['endless-thinking'] });
    expectRepairedRun(r);
    expect(r.trace.steps[0].attempts).toHaveLength(2);
    expect(r.trace.steps[0].attempts[0].rejectedBy).toBe('schema');
  });
});

describe('transport faults', () => {
  for (const fault of ['http-429', 'http-500', 'close', 'drop'] as const) {
    it(`${fault}: the engine retries the request and the step goes through without a repair`, async () => {
      const r = await run('glm-4.1v-thinking', { faults: [fault] });
      expectRepairedRun(r);
      expect(r.sim.requests.map((q) => q.fault)).toEqual([fault, undefined, undefined]);
      expect(r.trace.steps.map((s) => s.attempts.length)).toEqual([1, 1]);
      expect(r.summary.repairs).toBe(0);
    });
  }

  it('persistent 500s: retries and repairs run out; a clean failure naming the URL and the status, nothing clicked', async () => {
    // 3 loop attempts x (1 request + 2 engine retries).
    const faults = Array<Fault>(9).fill('http-500');
    const r = await run('generic', { faults });
    expect(r.summary.success).toBe(false);
    expect(r.summary.reason).toBe('error');
    const step = r.trace.steps[0];
    expect(step.outcome).toBe('error');
    expect(step.attempts.map((a) => a.rejectedBy)).toEqual(['model', 'model', 'model']);
    expect(step.error).toContain(r.sim.baseUrl);
    expect(step.error).toMatch(/500/);
    expect(r.sim.requests).toHaveLength(9);
    expectNothingClicked(r);
  });

  it('400 (a request the server refuses): not retried; a clean failure with what the server said', async () => {
    const r = await run('qwen2.5-vl', { faults: ['http-400'] });
    expect(r.summary.reason).toBe('error');
    expect(r.summary.detail).toMatch(/400.*1 image per prompt/);
    expect(r.sim.requests).toHaveLength(1);
    expectNothingClicked(r);
  });

  /** The failed call waited for its timeout, and not much longer than the client's own work plus that timeout. */
  function expectEndedByTimeout(r: FamilyRunResult, timeoutMs: number): void {
    const [attempt] = r.trace.steps[0].attempts;
    expect(r.trace.steps[0].attempts).toHaveLength(1);
    expect(attempt.rejectedBy).toBe('model');
    expect(attempt.modelMs).toBeGreaterThanOrEqual(timeoutMs - 5); // timers may fire a millisecond early
    expect(attempt.modelMs).toBeLessThan(timeoutMs + 10_000);
  }

  it('stall before the first token: given up after firstTokenMs, a clean failure, nothing clicked', async () => {
    const r = await run('glm-4.1v-thinking', { faults: ['stall'] });
    expect(r.summary.success).toBe(false);
    expect(r.summary.reason).toBe('error');
    expect(r.summary.detail).toMatch(/no token within 1500 ms/);
    expectEndedByTimeout(r, TIMEOUTS.firstTokenMs);
    expectNothingClicked(r);
  });

  it('stall in the middle of the stream: given up after idleMs, a clean failure, nothing clicked', async () => {
    const r = await run('glm-4.5v', { faults: ['stall-mid'] });
    expect(r.summary.reason).toBe('error');
    expect(r.summary.detail).toMatch(/stalled: nothing for 1000 ms/);
    expectEndedByTimeout(r, TIMEOUTS.idleMs);
    expectNothingClicked(r);
  });

  it("stall with lenient engine timeouts: the loop's per-call model timeout gives up and asks again", async () => {
    const r = await run('ui-tars-1.5', {
      faults: ['stall'],
      engine: { timeouts: { connectMs: 15_000, firstTokenMs: 60_000, idleMs: 60_000, totalMs: 120_000 } },
      // Long enough for a normal call on a loaded machine, far shorter than the engine's own limits.
      modelTimeoutMs: 6_000,
    });
    expectRepairedRun(r);
    const first = r.trace.steps[0].attempts[0];
    expect(first.rejectedBy).toBe('model');
    expect(first.errors[0]).toMatch(/did not answer within 6000 ms/);
    expect(first.modelMs).toBeGreaterThanOrEqual(6_000 - 5);
    expect(r.sim.requests[0].fault).toBe('stall');
  });
});
