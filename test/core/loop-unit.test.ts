import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Decision, DecideInput } from '../../src/core/agent.ts';
import { AgentError } from '../../src/core/agent.ts';
import { runLoop, type LoopEvent, type LoopOptions } from '../../src/core/loop/loop.ts';
import { progressLine } from '../../src/core/loop/progress.ts';
import { StuckDetector } from '../../src/core/loop/stuck.ts';
import { addTotals, emptyTotals } from '../../src/core/loop/totals.ts';
import { PolicyRefusalError } from '../../src/core/secrets.ts';
import { readTrace, TraceWriter } from '../../src/core/trace.ts';
import type { StepRecord } from '../../src/core/trace-schema.ts';
import { FakeScreen } from '../support/fake-screen.ts';
import { ScriptedAgent } from '../support/scripted-agent.ts';

// The loop with a fake executor and a scripted agent: no browser, each run well under a second.
const root = mkdtempSync(path.join(tmpdir(), 'handeye-loop-unit-'));
let n = 0;

const click: Decision = { actions: [{ action: 'click', target: { point: [10, 10] } }] };
const finish: Decision = { actions: [{ action: 'finish', answer: 'ok' }] };

function loop(screen: FakeScreen, agent: ScriptedAgent, o: Partial<LoopOptions> = {}) {
  const trace = new TraceWriter(path.join(root, `run-${n++}`));
  const events: LoopEvent[] = [];
  const result = runLoop({ executor: screen, agent, trace, goal: 'press it', maxSteps: 10, timeoutMs: 10_000, onEvent: (e) => events.push(e), ...o }).finally(() => trace.close());
  return { result, trace, events };
}

describe('runLoop with a fake executor', () => {
  it('captures, decides, performs, settles and records each step, then ends on finish', async () => {
    const screen = new FakeScreen();
    const agent = new ScriptedAgent((_i, call) => (call === 0 ? click : finish));
    const { result, trace, events } = loop(screen, agent);
    const r = await result;
    expect(r).toMatchObject({ reason: 'finished', answer: 'ok', steps: 2, repairs: 0 });
    expect(screen.performed.map((a) => a.action)).toEqual(['click']);
    const steps = readTrace(trace.dir).steps;
    expect(steps.map((s) => s.outcome)).toEqual(['done', 'finish']);
    expect(steps[0].settle?.stable).toBe(true);
    expect(agent.inputs[1].history[0]).toMatchObject({ index: 0, outcome: 'done' });
    const lines = events.filter((e) => e.type === 'step').map((e) => (e as { line: string }).line);
    expect(lines[0]).toMatch(/^step 1 {2}click \(10,10\) {2}\(capture \d+ ms, model \d+ ms, act \d+ ms, settle \d+ ms\)$/);
  });

  it('ends as stuck when the same click leaves the screen unchanged three times, but not for waits', async () => {
    const screen = new FakeScreen();
    screen.dead = true;
    const r = await loop(screen, new ScriptedAgent(() => click)).result;
    expect(r.reason).toBe('stuck');
    expect(r.steps).toBe(3);
    expect(r.detail).toMatch(/the same action \(click \(10,10\)\) left the screen unchanged 3 times/);
    const waits = await loop(new FakeScreen(), new ScriptedAgent(() => ({ actions: [{ action: 'wait', ms: 1 }] })), { maxSteps: 5 }).result;
    expect(waits.reason).toBe('max-steps');
  });

  it('drops a decision made on a screen that was still changing and decides again on the newer frame (stateless agent)', async () => {
    const screen = new FakeScreen();
    screen.fadeCaptures = 2;
    const agent = new ScriptedAgent((input) => (input.history.length === 0 ? click : { ...finish, usage: { inputTokens: 10, outputTokens: 1 } }), { stateless: true });
    const { result, trace } = loop(screen, agent);
    const r = await result;
    expect(r.reason).toBe('finished');
    const steps = readTrace(trace.dir).steps;
    expect(steps[1].frameCheck?.dropped).toBeGreaterThanOrEqual(1);
    expect(steps[1].frameCheck?.stable).toBe(true);
    // Every decision asked after the click was paid for, the dropped ones included.
    await new Promise((res) => setTimeout(res, 20));
    const asked = agent.inputs.length - 1;
    expect(asked).toBe(steps[1].frameCheck!.dropped + 1);
    expect(r.tokens.input).toBe(10 * asked);
  });

  it('feeds a refusal by the executor back and goes on; an agent error that may be retried is asked again', async () => {
    const screen = new FakeScreen();
    screen.failNext = new PolicyRefusalError('not here');
    let failed = false;
    const agent = new ScriptedAgent((input) => {
      if (input.history.length === 1 && !failed) {
        failed = true;
        throw new AgentError('server busy', true);
      }
      return input.history.length < 2 ? click : finish;
    });
    const { result, trace } = loop(screen, agent);
    const r = await result;
    expect(r.reason).toBe('finished');
    expect(r.refusals).toBe(1);
    const steps = readTrace(trace.dir).steps;
    expect(steps[0]).toMatchObject({ outcome: 'refused', error: 'refused: not here' });
    expect(steps[1].attempts[0]).toMatchObject({ rejectedBy: 'model', errors: ['server busy'] });
    expect(agent.inputs[1].history[0].outcome).toBe('refused: refused: not here');
  });

  it('stops at the token budget, the step budget, the time budget and on abort', async () => {
    const spend = new ScriptedAgent(() => ({ ...click, usage: { inputTokens: 60, outputTokens: 0 } }));
    expect(await loop(new FakeScreen(), spend, { maxTokens: 100 }).result).toMatchObject({ reason: 'token-budget', steps: 2 });
    expect(await loop(new FakeScreen(), new ScriptedAgent(() => click), { maxSteps: 2 }).result).toMatchObject({ reason: 'max-steps', steps: 2 });
    const t0 = Date.now();
    const never = new ScriptedAgent(() => new Promise<Decision>(() => {}));
    expect(await loop(new FakeScreen(), never, { timeoutMs: 300 }).result).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(3000);
    const ctrl = new AbortController();
    const aborting = new ScriptedAgent(() => {
      ctrl.abort();
      return new Promise<Decision>(() => {});
    });
    expect(await loop(new FakeScreen(), aborting, { signal: ctrl.signal }).result).toMatchObject({ reason: 'aborted' });
  });

  it('walks a script: a step that asks for more stays open, each completed step advances', async () => {
    const screen = new FakeScreen();
    const agent = new ScriptedAgent((input: DecideInput, call) => (call === 0 ? { ...click, stepComplete: false } : click));
    const { result, trace } = loop(screen, agent, { goal: undefined, steps: [{ click: 'A' }, { click: 'B' }] });
    const r = await result;
    expect(r).toMatchObject({ reason: 'steps-completed', stepsCompleted: 2, steps: 3 });
    expect(agent.inputs.map((i) => i.stepIndex)).toEqual([0, 0, 1]);
    expect(readTrace(trace.dir).steps.map((s) => s.stepCompleted)).toEqual([false, true, true]);
  });

  it('ends with an error naming the capture when the first capture fails', async () => {
    const screen = new FakeScreen();
    screen.captureError = new Error('display went away\nstack');
    const r = await loop(screen, new ScriptedAgent(() => click)).result;
    expect(r).toMatchObject({ reason: 'error', detail: 'capture failed: display went away', steps: 0 });
  });
});

describe('loop parts', () => {
  const thumb = (v: number) => ({ data: new Uint8Array(12).fill(v), width: 2, height: 2 });
  const step = (signature: string, waiting = false) => ({ signature, waiting, what: signature });

  it('the stuck detector counts repeats on an identical screen only, and is off at 0', () => {
    const d = new StuckDetector(3);
    expect(d.judge(step('a'), thumb(1))).toBe(false);
    expect(d.judge(step('a'), thumb(1))).toBe(false);
    expect(d.judge(step('a'), thumb(1))).toBe(true);
    expect(d.detail('a')).toBe('the same action (a) left the screen unchanged 3 times');
    expect(d.judge(step('b'), thumb(1))).toBe(false);
    expect(d.judge(step('b'), thumb(9))).toBe(false);
    expect(d.judge(step('b', true), thumb(9))).toBe(false);
    const off = new StuckDetector(0);
    for (let i = 0; i < 5; i++) expect(off.judge(step('a'), thumb(1))).toBe(false);
  });

  it('totals add field by field', () => {
    const t = emptyTotals();
    addTotals(t, { timings: { modelMs: 5 }, tokens: { input: 2, output: 1 }, repairs: 1 });
    addTotals(t, { timings: { modelMs: 1, actMs: 3, captureMs: 0, settleMs: 0 }, refusals: 2 });
    expect(t).toEqual({ timings: { captureMs: 0, modelMs: 6, actMs: 3, settleMs: 0 }, tokens: { input: 2, output: 1 }, repairs: 1, parseFailures: 0, refusals: 2 });
  });

  it('the progress line names the script position, the problems and the time per phase', () => {
    const record = {
      index: 4,
      error: 'boom',
      blocked: ['https://x.test'],
      timings: { captureMs: 1.4, modelMs: 20.6, actMs: 3, settleMs: 0, totalMs: 25 },
    } as unknown as StepRecord;
    expect(progressLine(record, 'click at (1, 2)', { cursor: 1, count: 3 })).toBe(
      'step 5 [2/3]  click at (1, 2)  ! boom  ! https://x.test  (capture 1 ms, model 21 ms, act 3 ms, settle 0 ms)',
    );
  });
});
