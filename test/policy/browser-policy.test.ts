import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { BUNDLED_TASKS, runTask, type RunTaskOptions } from '../../src/run/run-task.ts';
import { loadTaskFile } from '../../src/core/task.ts';
import { readTrace } from '../../src/core/trace.ts';
import { domBox, ScriptedAgent } from '../support/scripted-agent.ts';
import { BUTTONS, BUTTONS_TASK } from '../crash/support.ts';

/** The policy in a real browser: navigation in every form, confirmation through the API, the token budget. */

let executor: BrowserExecutor;
const traces = mkdtempSync(path.join(os.tmpdir(), 'handeye-browser-policy-'));
let n = 0;
beforeAll(async () => {
  executor = await BrowserExecutor.launch({ viewport: [1280, 720], deviceScaleFactor: 1 });
});
afterAll(async () => {
  await executor?.close();
});

async function hostile(o: Partial<RunTaskOptions> & { agent: ScriptedAgent }) {
  const { task, file } = await loadTaskFile(path.join(BUNDLED_TASKS, 'hostile/hostile.safety.yaml'));
  delete task.steps;
  task.success = [];
  return runTask({ task, taskFile: file, executor, traceDir: path.join(traces, `run-${n++}`), env: { HANDEYE_HOSTILE_PASSWORD: 'pw' }, settle: { timeoutMs: 1500 }, ...o });
}

it('blocks navigation to other origins by action, by same-tab link, by popup; the page keeps its state', async () => {
  let kept = '';
  const agent = new ScriptedAgent(async (input, call) => {
    if (call === 0) return { actions: [{ action: 'navigate', url: 'http://localhost:1/elsewhere' }] };
    if (call === 1) return { actions: [{ action: 'type', text: 'kept', target: { box: await domBox(input, '#user') } }] };
    if (call === 2) {
      // the same hostile link, now opening a new tab
      await input.executor!.evaluate!(`document.getElementById('verify').target = '_blank'`);
      return { actions: [{ action: 'click', target: { box: await domBox(input, '#verify') } }] };
    }
    if (call === 3) {
      kept = (await input.executor!.evaluate!(`document.getElementById('user').value`)) as string;
      return { actions: [{ action: 'navigate', url: '/hostile/chat.html' }] };
    }
    return { actions: [{ action: 'finish' }] };
  });
  const s = await hostile({ agent });
  expect(s.reason).toBe('finished');
  const trace = readTrace(s.traceDir);
  // 1: the navigate action refused by the guard and repaired
  expect(trace.steps[0].attempts[0]).toMatchObject({ rejectedBy: 'guard', errors: [expect.stringMatching(/navigation to http:\/\/localhost:1\/elsewhere is not allowed/)] });
  expect(agent.inputs[1].feedback).toMatch(/refused: navigation to http:\/\/localhost:1\/elsewhere/);
  // 2: the popup was stopped in the page before it opened; the typed text survived on the original page
  const popupStep = trace.steps.find((t) => t.blocked?.length)!;
  expect(popupStep.blocked![0]).toMatch(/navigation to http:\/\/localhost:\d+\/hostile\/collect\.html \(a new tab, stopped before it opened\) was blocked/);
  expect(executor.context.pages()).toHaveLength(1);
  expect(kept).toBe('kept');
  // 3: a same-origin navigation is allowed
  expect(executor.page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hostile\/chat\.html$/);
  expect(s.refusals).toBe(2);
  // the model was told (history is shared and grows: step 2 is the popup click)
  expect(agent.inputs[3].history[1].outcome).toMatch(/collect\.html .* was blocked/);
});

it('asks the confirm callback before listed actions; a declined action is refused and fed back', async () => {
  const asked: string[] = [];
  const agent = new ScriptedAgent(async (input, call) => (call < 2 ? { actions: [{ action: 'click', target: { box: await domBox(input, '#signin'), label: 'Sign in' } }] } : { actions: [{ action: 'finish' }] }));
  const s = await hostile({ agent, policy: { confirm: ['click'], forbiddenKeys: [], forbiddenRegions: [] }, confirm: ({ description }) => (asked.push(description), asked.length > 1) });
  expect(asked).toHaveLength(2);
  expect(asked[0]).toMatch(/^click \(\d+,\d+\) "Sign in"$/);
  expect(agent.inputs[1].feedback).toMatch(/refused: click .* was declined by the person confirming actions/);
  expect(s.reason).toBe('finished');
  expect(readTrace(s.traceDir).steps[0].actions).toHaveLength(1);
});

it('ends with token-budget when the model has spent its tokens', async () => {
  const { task, file } = await loadTaskFile(BUTTONS_TASK);
  delete task.steps;
  task.goal = 'click One forever';
  task.maxTokens = 1000;
  const agent = new ScriptedAgent(() => ({ actions: [{ action: 'click', target: { box: BUTTONS.One } }], usage: { inputTokens: 300, outputTokens: 100 } }));
  const s = await runTask({ task, taskFile: file, traceDir: path.join(traces, `run-${n++}`), agent, settle: { timeoutMs: 1000 } });
  expect(s).toMatchObject({ reason: 'token-budget', steps: 3, tokens: { input: 900, output: 300 } });
  expect(s.detail).toBe('model-token budget of 1000 used up (1200 tokens)');
  expect(readTrace(s.traceDir).header?.budgets.maxTokens).toBe(1000);
});
