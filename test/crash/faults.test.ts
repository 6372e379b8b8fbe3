import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getProfile } from '../../agents/families.ts';
import { ProfileAgent } from '../../agents/profile/profile-agent.ts';
import { OpenAiClient } from '../../src/model-clients/openai.ts';
import type { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { runTask } from '../../src/run/run-task.ts';
import { loadTaskFile } from '../../src/core/task.ts';
import { readTrace } from '../../src/core/trace.ts';
import { ScriptedAgent } from '../support/scripted-agent.ts';
import { BUTTONS, BUTTONS_TASK, buttonsModel } from './support.ts';

/**
 * Faults in the middle of a run: the browser process killed, the model server dropping the
 * stream, the disk filling up under the frames. Each run ends with a recorded reason, and what
 * was written reads back whole.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'handeye-faults-'));

function expectConsistent(dir: string) {
  const trace = readTrace(dir);
  expect(trace.damaged).toBe(0);
  expect(trace.header?.task.id).toBe('buttons');
  trace.steps.forEach((s, i) => expect(s.index).toBe(i));
  return trace;
}

/** Whether the process `pid` is gone (signal 0 fails) within `ms`. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const clickOne = { actions: [{ action: 'click', target: { box: BUTTONS.One, label: 'One' } }] };

it('a browser killed by PID mid-run: the run ends with error, naming the browser; the trace is whole', async () => {
  const { task, file } = await loadTaskFile(BUTTONS_TASK);
  delete task.steps;
  task.goal = 'click One forever';
  let killed = 0;
  const agent = new ScriptedAgent(async (input, call) => {
    if (call === 2) {
      const browser = (input.executor as BrowserExecutor).context.browser()!;
      const cdp = await browser.newBrowserCDPSession();
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
      killed = info.processInfo.find((p) => p.type === 'browser')!.id;
      process.kill(killed, 'SIGKILL');
    }
    return clickOne;
  });
  const traceDir = path.join(tmp, 'browser-crash');
  const s = await runTask({ task, taskFile: file, agent, traceDir, maxSteps: 10, settle: { timeoutMs: 1000 } });
  expect(killed).toBeGreaterThan(0);
  // Really gone: a killed child stays a zombie until its parent reaps it, which a busy machine may
  // do a moment after the run has ended.
  expect(await goneWithin(killed, 5000)).toBe(true);
  expect(s.reason).toBe('error');
  expect(s.detail).toMatch(/closed|crash|disconnected/i);
  expect(s.steps).toBe(3);
  const trace = expectConsistent(traceDir);
  expect(trace.summary?.reason).toBe('error');
  expect(trace.steps[2].outcome).toBe('error');
  expect(trace.steps.slice(0, 2).map((t) => t.outcome)).toEqual(['done', 'done']);
});

it('a model server that dies mid-stream: retried, then the run ends with error and a readable trace', async () => {
  const { task, file } = await loadTaskFile(BUTTONS_TASK);
  const sim = await buttonsModel();
  try {
    const engine = new OpenAiClient({ baseUrl: sim.baseUrl, model: 'sim', retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 20 } });
    const agent = new ProfileAgent({ profile: getProfile('generic'), client: engine });
    // step 1 answers; then every stream is cut in the middle
    sim.inject('close'); // the first call fails once and is retried
    const traceDir = path.join(tmp, 'engine-dies');
    let stepsSeen = 0;
    const s = await runTask({
      task,
      taskFile: file,
      agent,
      traceDir,
      settle: { timeoutMs: 1000 },
      onEvent: (e) => {
        if (e.type === 'step' && ++stepsSeen === 1) sim.inject(...Array(20).fill('close'));
      },
    });
    expect(sim.requests[0].fault).toBe('close');
    expect(s.reason).toBe('error');
    expect(s.detail).toMatch(/engine/i);
    const trace = expectConsistent(traceDir);
    expect(trace.steps[0]).toMatchObject({ outcome: 'done', stepCompleted: true });
    expect(trace.steps.at(-1)?.attempts.at(-1)?.rejectedBy).toBe('model');
    expect(trace.summary?.reason).toBe('error');
  } finally {
    await sim.close();
  }
});

describe('a full disk under the trace', () => {
  const mnt = path.join(tmp, 'tiny');
  mkdirSync(mnt, { recursive: true });
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
    mounted = true;
  } catch {
    /* not root, or no mount in this sandbox: the test is skipped */
  }
  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', mnt], { stdio: 'ignore' });
  });

  it.skipIf(!mounted)('ends the run with disk-full before acting unrecorded; what was written reads back', async () => {
    const { task, file } = await loadTaskFile(BUTTONS_TASK);
    delete task.steps;
    task.goal = 'click One forever';
    if ('web' in task.app) task.app.web.url = '/buttons/index.html#noise';
    const agent = new ScriptedAgent(() => clickOne);
    const traceDir = path.join(mnt, 'run');
    const s = await runTask({ task, taskFile: file, agent, traceDir, maxSteps: 100, settle: { timeoutMs: 1000 } });
    expect(s.reason).toBe('disk-full');
    expect(s.detail).toMatch(/ENOSPC/);
    expect(s.steps).toBeGreaterThan(0);
    expect(s.steps).toBeLessThan(100);
    const trace = readTrace(traceDir);
    expect(trace.damaged).toBeLessThanOrEqual(1); // at most the last line, cut by the full disk
    expect(trace.steps.length).toBe(s.steps);
    for (const step of trace.steps) {
      expect(step.outcome).toBe('done');
      expect(readFileSync(path.join(traceDir, step.frame.file)).length).toBeGreaterThan(1000);
    }
    if (trace.summary) expect(trace.summary.reason).toBe('disk-full');
    else expect(existsSync(path.join(traceDir, 'summary.json'))).toBe(false);
  });
});
