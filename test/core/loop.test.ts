import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameRgb } from '../../src/core/frame.ts';
import type { Guard } from '../../src/core/guard.ts';
import { runTask, type RunTaskOptions } from '../../src/run/run-task.ts';
import { parseTask } from '../../src/core/task.ts';
import { readTrace } from '../../src/core/trace.ts';
import { domBox, ScriptedAgent } from '../support/scripted-agent.ts';

const root = path.join(import.meta.dirname, '../fixtures/loop');
const traces = mkdtempSync(path.join(tmpdir(), 'handeye-loop-'));
let n = 0;

function task(extra: Record<string, unknown> = {}) {
  return parseTask({
    id: 'counter',
    app: { web: { url: '/counter.html', viewport: [800, 600], deviceScaleFactor: 1 } },
    goal: 'press the button',
    success: [{ js: 'window.__clicks === 1' }],
    ...extra,
  });
}

function run(agent: ScriptedAgent, o: Partial<RunTaskOptions> = {}) {
  return runTask({ task: task(), agent, serveRoot: root, traceDir: path.join(traces, `run-${n++}`), ...o });
}

const clickInc = async (input: Parameters<typeof domBox>[0]) => ({
  actions: [{ action: 'click', target: { box: await domBox(input, '#inc'), label: 'Add one' } }],
});

describe('the loop in a real browser', () => {
  it('runs capture → decide → perform → settle → record and judges success from the page', async () => {
    const agent = new ScriptedAgent(async (input, call) => (call === 0 ? clickInc(input) : { actions: [{ action: 'finish', answer: 'done' }] }));
    const s = await run(agent);
    expect(s).toMatchObject({ success: true, reason: 'finished', steps: 2, answer: 'done' });
    const trace = readTrace(s.traceDir);
    expect(trace.header?.task.id).toBe('counter');
    expect(trace.steps).toHaveLength(2);
    expect(trace.steps[0].actions[0]).toMatchObject({ action: 'click', button: 'left' });
    expect(trace.steps[0].settle?.stable).toBe(true);
    expect(trace.summary?.checks[0].ok).toBe(true);
    // the frame the agent saw at step 2 shows the page after the click
    expect(agent.inputs[1].history[0].actions[0].action).toBe('click');
  });

  it('feeds a validation error back, lets the agent repair, and never executes the invalid action', async () => {
    const agent = new ScriptedAgent(async (input, call) => {
      if (call === 0) return { actions: [{ action: 'click', target: { point: [5000, 10] } }] };
      if (call === 1) return clickInc(input);
      return { actions: [{ action: 'finish' }] };
    });
    const s = await run(agent);
    expect(agent.inputs[1].feedback).toMatch(/outside the 800x600 frame/);
    expect(s.success).toBe(true);
    expect(s.repairs).toBe(1);
    const trace = readTrace(s.traceDir);
    expect(trace.steps[0].attempts).toHaveLength(2);
    expect(trace.steps[0].attempts[0].rejectedBy).toBe('frame');
  });

  it('ends with invalid-output when repairs run out, having executed nothing', async () => {
    const agent = new ScriptedAgent(() => ({ actions: [{ action: 'clik', target: { point: [1, 1] } }] }));
    const s = await run(agent);
    expect(s).toMatchObject({ success: false, reason: 'invalid-output' });
    expect(s.detail).toMatch(/unknown action "clik"/);
    expect(agent.inputs).toHaveLength(3);
    expect(s.parseFailures).toBe(3);
  });

  it('detects being stuck: the same click on an unchanged screen', async () => {
    const agent = new ScriptedAgent(async (input) => ({ actions: [{ action: 'click', target: { box: await domBox(input, '#dead') } }] }));
    const s = await run(agent, { maxSteps: 10 });
    expect(s.reason).toBe('stuck');
    expect(s.steps).toBe(3);
  });

  it('stops at the step budget', async () => {
    const agent = new ScriptedAgent(async (input) => clickInc(input));
    const s = await run(agent, { maxSteps: 4 });
    expect(s).toMatchObject({ reason: 'max-steps', steps: 4, success: false });
  });

  it('honours an abort signal while the agent is thinking, and still writes the summary', async () => {
    const controller = new AbortController();
    const agent = new ScriptedAgent(() => {
      setTimeout(() => controller.abort(), 100);
      return new Promise(() => {});
    });
    const s = await run(agent, { signal: controller.signal });
    expect(s.reason).toBe('aborted');
    expect(readTrace(s.traceDir).summary?.reason).toBe('aborted');
  });

  it('bounds the whole run and each model call by time', async () => {
    const hang = new ScriptedAgent(() => new Promise(() => {}));
    const t0 = Date.now();
    const s = await run(hang, { timeoutMs: 1500 });
    expect(s.reason).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(10_000);

    const slow = new ScriptedAgent(() => new Promise(() => {}));
    const s2 = await run(slow, { modelTimeoutMs: 200 });
    expect(s2.reason).toBe('error');
    expect(s2.detail).toMatch(/did not answer within 200 ms/);
    expect(slow.inputs).toHaveLength(3);
  });

  it('records a guard refusal and tells the agent why', async () => {
    const guard: Guard = { check: (a) => (a.action === 'navigate' ? { ok: false, reason: 'navigation is not allowed here' } : { ok: true }) };
    const agent = new ScriptedAgent(async (input, call) => {
      if (call === 0) return { actions: [{ action: 'navigate', url: 'other.html' }] };
      if (call === 1) return clickInc(input);
      return { actions: [{ action: 'finish' }] };
    });
    const s = await run(agent, { guard });
    expect(agent.inputs[1].feedback).toMatch(/refused: navigation is not allowed here/);
    expect(s.success).toBe(true);
    expect(readTrace(s.traceDir).steps[0].attempts[0].rejectedBy).toBe('guard');
  });

  it('settles on an animation without fixed sleeps: the next frame shows its end state', async () => {
    let swatch: [number, number, number, number] = [0, 0, 0, 0];
    const agent = new ScriptedAgent(async (input, call) => {
      if (call === 0) return { actions: [{ action: 'click', target: { box: await domBox(input, '#fade') } }] };
      swatch = await domBox(input, '#swatch');
      return { actions: [{ action: 'finish' }] };
    });
    const s = await runTask({
      task: task({ success: [{ js: 'window.__faded === true' }] }),
      agent,
      serveRoot: root,
      traceDir: path.join(traces, `run-${n++}`),
    });
    expect(s.success).toBe(true);
    const step = readTrace(s.traceDir).steps[0];
    expect(step.settle?.stable).toBe(true);
    expect(step.settle!.ms).toBeGreaterThan(300);
    const frame = agent.inputs[1].frame;
    const [x1, y1, x2, y2] = swatch;
    const rgb = await frameRgb(frame);
    const at = (Math.round((y1 + y2) / 2) * rgb.width + Math.round((x1 + x2) / 2)) * 3;
    expect(rgb.data[at]).toBeGreaterThan(240);
    expect(rgb.data[at + 2]).toBeLessThan(15);
  });

  it('records the reason when the page cannot be loaded into a browser that cannot start', async () => {
    const agent = new ScriptedAgent(() => ({ actions: [{ action: 'finish' }] }));
    const prev = process.env.HANDEYE_CHROMIUM;
    process.env.HANDEYE_CHROMIUM = '/nonexistent/chromium';
    try {
      const s = await run(agent);
      expect(s).toMatchObject({ success: false, reason: 'error', steps: 0 });
      expect(s.detail).toMatch(/HANDEYE_CHROMIUM/);
      expect(readTrace(s.traceDir).header?.task.id).toBe('counter');
    } finally {
      if (prev === undefined) delete process.env.HANDEYE_CHROMIUM;
      else process.env.HANDEYE_CHROMIUM = prev;
    }
  });
});

describe('overlapped settling: the screen is checked while a stateless agent decides', () => {
  /** A stateless script: what to do follows from the history, so a dropped decision is asked again alike. */
  const stateless = (script: ConstructorParameters<typeof ScriptedAgent>[0]) => new ScriptedAgent(script, { stateless: true });
  const pixel = async (frame: Parameters<typeof frameRgb>[0], [x1, y1, x2, y2]: number[]) => {
    const rgb = await frameRgb(frame);
    const at = (Math.round((y1 + y2) / 2) * rgb.width + Math.round((x1 + x2) / 2)) * 3;
    return [rgb.data[at], rgb.data[at + 1], rgb.data[at + 2]];
  };

  it('drops decisions made on a screen still animating and decides on its end state', async () => {
    let swatch: number[] = [];
    const usage = { inputTokens: 10, outputTokens: 1 };
    const agent = stateless(async (input) => {
      if (input.history.length === 0) return { actions: [{ action: 'click', target: { box: await domBox(input, '#fade') } }], usage };
      swatch = await domBox(input, '#swatch');
      return { actions: [{ action: 'finish' }], usage };
    });
    const s = await runTask({ task: task({ success: [{ js: 'window.__faded === true' }] }), agent, serveRoot: root, traceDir: path.join(traces, `run-${n++}`) });
    expect(s).toMatchObject({ success: true, reason: 'finished', steps: 2 });
    const trace = readTrace(s.traceDir);
    // The step that acted waits for nothing; the next one records the check of its frame.
    expect(trace.steps[0].settle).toBeUndefined();
    const check = trace.steps[1].frameCheck!;
    expect(check.stable).toBe(true);
    expect(check.dropped).toBeGreaterThan(0);
    expect(check.captures).toBe(check.dropped + 1);
    // Asked once per frame: the click, each dropped look at the fade, the kept one.
    expect(agent.inputs).toHaveLength(2 + check.dropped);
    const kept = agent.inputs[agent.inputs.length - 1].frame;
    const [r, , b] = await pixel(kept, swatch);
    expect(r).toBeGreaterThan(240);
    expect(b).toBeLessThan(15);
    // The first look after the click saw the fade under way, and the trace keeps the frame decided on.
    const [r0] = await pixel(agent.inputs[1].frame, swatch);
    expect(r0).toBeLessThan(240);
    const saved = readFileSync(path.join(s.traceDir, trace.steps[1].frame.file));
    expect(saved.equals(kept.image)).toBe(true);
    // Dropped decisions spent their tokens too.
    expect(s.tokens.input).toBe(10 * agent.inputs.length);
  });

  it('honours an abort while the frame is being checked and the agent thinks', async () => {
    const controller = new AbortController();
    const agent = stateless(async (input) => {
      if (input.history.length === 0) return clickInc(input);
      setTimeout(() => controller.abort(), 100);
      return new Promise(() => {});
    });
    const s = await run(agent, { signal: controller.signal });
    expect(s.reason).toBe('aborted');
    expect(readTrace(s.traceDir).summary?.reason).toBe('aborted');
  });

  it('confirms a still screen with one more capture and drops nothing', async () => {
    const agent = stateless(async (input) => (input.history.length === 0 ? clickInc(input) : { actions: [{ action: 'finish' }] }));
    const s = await run(agent);
    expect(s.success).toBe(true);
    expect(readTrace(s.traceDir).steps[1].frameCheck).toMatchObject({ stable: true, captures: 1, dropped: 0 });
    expect(agent.inputs).toHaveLength(2);
  });

  it('does not take a blinking caret for a changing screen', async () => {
    const agent = stateless(async (input) =>
      input.history.length === 0
        ? { actions: [{ action: 'type', target: { box: await domBox(input, '#name') }, text: 'hello' }] }
        : { actions: [{ action: 'finish' }] },
    );
    const s = await run(agent);
    expect(s.reason).toBe('finished');
    expect(readTrace(s.traceDir).steps[1].frameCheck).toMatchObject({ stable: true, captures: 1, dropped: 0 });
  });

  it('still detects being stuck', async () => {
    const agent = stateless(async (input) => ({ actions: [{ action: 'click', target: { box: await domBox(input, '#dead') } }] }));
    const s = await run(agent, { maxSteps: 10 });
    expect(s.reason).toBe('stuck');
    expect(s.steps).toBe(3);
  });

  it('lets the screen settle before the run ends, so the success check sees the end state', async () => {
    const agent = stateless(async (input) => ({ actions: [{ action: 'click', target: { box: await domBox(input, '#fade') } }] }));
    const s = await runTask({ task: task({ success: [{ js: 'window.__faded === true' }] }), agent, serveRoot: root, traceDir: path.join(traces, `run-${n++}`), maxSteps: 1 });
    expect(s).toMatchObject({ reason: 'max-steps', steps: 1 });
    expect(s.checks[0].ok).toBe(true);
  });

  it('decides on the newest frame, unconfirmed, when the screen never settles', async () => {
    const agent = stateless(async (input) =>
      input.history.length === 0 ? { actions: [{ action: 'click', target: { box: await domBox(input, '#spin') } }] } : { actions: [{ action: 'finish' }] },
    );
    const s = await run(agent, { settle: { timeoutMs: 600 } });
    expect(s).toMatchObject({ reason: 'finished', steps: 2 });
    const check = readTrace(s.traceDir).steps[1].frameCheck!;
    expect(check.stable).toBe(false);
    expect(check.dropped).toBeGreaterThan(0);
  });

  it('keeps the sequential settle when asked to', async () => {
    const agent = stateless(async (input) => (input.history.length === 0 ? clickInc(input) : { actions: [{ action: 'finish' }] }));
    const s = await run(agent, { settle: { overlap: false } });
    const trace = readTrace(s.traceDir);
    expect(trace.steps[0].settle?.stable).toBe(true);
    expect(trace.steps[1].frameCheck).toBeUndefined();
  });
});
