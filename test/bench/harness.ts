// Per-step harness overhead of the real loop (everything except model time), on a bundled page.
// Run: node --import tsx test/bench/harness.ts   (HARNESS_MODEL_MS: the simulated model's time per step)
//
// Two settle modes, as the loop picks them:
// - sequential: agents that keep state (embedded, replay) wait for the screen to settle, then capture;
// - overlapped: agents whose decisions can be dropped (every VLM profile) capture right after the
//   action and check the screen held still while the model decides. The check only hides behind a
//   model that takes time, so that agent simulates one (HARNESS_MODEL_MS, 500 ms by default: a
//   fast VLM step; a thinking model takes seconds).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAction } from '../../src/core/actions.ts';
import { assertInFrame } from '../../src/core/frame.ts';
import { runTask } from '../../src/run/run-task.ts';
import { parseTask } from '../../src/core/task.ts';
import { readTrace } from '../../src/core/trace.ts';
import { ScriptedAgent, domBox } from '../support/scripted-agent.ts';

const CONFIGS: Array<{ name: string; viewport: [number, number]; dpr: number }> = [
  { name: '1280x720', viewport: [1280, 720], dpr: 1 },
  { name: '1920x1080', viewport: [1920, 1080], dpr: 1 },
  { name: '2560x1440@2', viewport: [1280, 720], dpr: 2 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const MODES = ['sequential', 'overlapped'] as const;
export const SIMULATED_MODEL_MS = Number(process.env.HARNESS_MODEL_MS ?? 500);

export async function runHarnessBench(steps = 25): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const dir = mkdtempSync(path.join(tmpdir(), 'handeye-bench-'));
  for (const c of CONFIGS) for (const mode of MODES) {
    const overlapped = mode === 'overlapped';
    // Alternate between adding a todo item and checking it: every step changes the screen.
    // Decided from the history, not a call count, so a dropped decision is asked again alike.
    const agent = new ScriptedAgent(
      async (input) => {
        const done = input.history.length;
        if (done >= steps) return { actions: [{ action: 'finish' }] };
        const box = await domBox(input, done % 2 === 0 ? '#bench-a' : '#bench-b');
        if (overlapped) await new Promise((r) => setTimeout(r, SIMULATED_MODEL_MS));
        return { actions: [{ action: 'click', target: { box } }] };
      },
      { stateless: overlapped },
    );
    const task = parseTask({
      id: `bench-${c.name.replace('@', '-dpr')}-${mode}`,
      app: { web: { url: '/bench.html', viewport: c.viewport, deviceScaleFactor: c.dpr } },
      goal: 'bench',
      maxSteps: steps + 5,
    });
    const summary = await runTask({ task, agent, serveRoot: path.join(import.meta.dirname, 'pages'), traceDir: path.join(dir, `${c.name}-${mode}`) });
    if (summary.reason !== 'finished') throw new Error(`bench run ended ${summary.reason}: ${summary.detail}`);
    const recs = readTrace(summary.traceDir).steps.filter((s) => s.actions[0]?.action === 'click');
    const frame = agent.inputs[0].frame;
    const validate: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      assertInFrame(frame, parseAction({ action: 'click', target: { box: [10, 10, 50, 50] } }));
      validate.push(performance.now() - t);
    }
    const checks = recs.map((r) => r.frameCheck).filter((x) => x !== undefined);
    const row = {
      config: c.name,
      mode,
      frame: `${frame.width}x${frame.height}`,
      capture: median(recs.map((r) => r.timings.captureMs)),
      validate: median(validate),
      perform: median(recs.map((r) => r.timings.actMs)),
      settle: median(recs.map((r) => r.timings.settleMs)),
      overhead: median(recs.map((r) => r.timings.totalMs - r.timings.modelMs)),
      steps: recs.length,
      // Overlapped: decisions made on a screen that was still changing, and frames never confirmed still.
      dropped: checks.reduce((n, x) => n + x.dropped, 0),
      unconfirmed: checks.filter((x) => !x.stable).length,
    };
    out[`${c.name} ${mode}`] = row;
  }
  rmSync(dir, { recursive: true, force: true });
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runHarnessBench();
  console.log(`harness overhead per step (median ms; model time excluded; overlapped rows with a simulated ${SIMULATED_MODEL_MS} ms model)`);
  console.log('config        settle      frame       capture  validate  perform  settle  overhead  steps  dropped');
  for (const v of Object.values(r) as Array<Record<string, number | string>>) {
    const f = (x: number | string) => (typeof x === 'number' ? x.toFixed(x < 1 ? 3 : 1) : x).toString();
    console.log(
      `${String(v.config).padEnd(13)} ${String(v.mode).padEnd(11)} ${String(v.frame).padEnd(11)} ${f(v.capture).padStart(7)} ${f(v.validate).padStart(9)} ${f(v.perform).padStart(8)} ${f(v.settle).padStart(7)} ${f(v.overhead).padStart(9)} ${String(v.steps).padStart(6)} ${String(v.dropped).padStart(8)}`,
    );
  }
  console.log('target: overhead ≤ 120 ms at 1920x1080');
}
