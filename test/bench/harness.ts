// Per-step harness overhead of the real loop (everything except model time), on a bundled page.
// Run: node --import tsx test/bench/harness.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAction } from '../../src/actions.ts';
import { assertInFrame } from '../../src/frame.ts';
import { runTask } from '../../src/run.ts';
import { parseTask } from '../../src/task.ts';
import { readTrace } from '../../src/trace.ts';
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

export async function runHarnessBench(steps = 25): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const dir = mkdtempSync(path.join(tmpdir(), 'handeye-bench-'));
  for (const c of CONFIGS) {
    // Alternate between adding a todo item and checking it: every step changes the screen.
    const agent = new ScriptedAgent(async (input, call) => {
      if (call >= steps) return { actions: [{ action: 'finish' }] };
      const box = await domBox(input, call % 2 === 0 ? '#bench-a' : '#bench-b');
      return { actions: [{ action: 'click', target: { box } }] };
    });
    const task = parseTask({
      id: `bench-${c.name.replace('@', '-dpr')}`,
      app: { web: { url: '/bench.html', viewport: c.viewport, deviceScaleFactor: c.dpr } },
      goal: 'bench',
      maxSteps: steps + 5,
    });
    const summary = await runTask({ task, agent, serveRoot: path.join(import.meta.dirname, 'pages'), traceDir: path.join(dir, c.name) });
    if (summary.reason !== 'finished') throw new Error(`bench run ended ${summary.reason}: ${summary.detail}`);
    const recs = readTrace(summary.traceDir).steps.filter((s) => s.actions[0]?.action === 'click');
    const frame = agent.inputs[0].frame;
    const validate: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      assertInFrame(frame, parseAction({ action: 'click', target: { box: [10, 10, 50, 50] } }));
      validate.push(performance.now() - t);
    }
    const row = {
      frame: `${frame.width}x${frame.height}`,
      capture: median(recs.map((r) => r.timings.captureMs)),
      validate: median(validate),
      perform: median(recs.map((r) => r.timings.actMs)),
      settle: median(recs.map((r) => r.timings.settleMs)),
      overhead: median(recs.map((r) => r.timings.totalMs - r.timings.modelMs)),
      steps: recs.length,
    };
    out[c.name] = row;
  }
  rmSync(dir, { recursive: true, force: true });
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runHarnessBench();
  console.log('harness overhead per step (median ms; model time excluded)');
  console.log('config        frame       capture  validate  perform  settle  overhead  steps');
  for (const [name, v] of Object.entries(r) as Array<[string, Record<string, number | string>]>) {
    const f = (x: number | string) => (typeof x === 'number' ? x.toFixed(x < 1 ? 3 : 1) : x).toString();
    console.log(`${name.padEnd(13)} ${String(v.frame).padEnd(11)} ${f(v.capture).padStart(7)} ${f(v.validate).padStart(9)} ${f(v.perform).padStart(8)} ${f(v.settle).padStart(7)} ${f(v.overhead).padStart(9)} ${String(v.steps).padStart(6)}`);
  }
}
