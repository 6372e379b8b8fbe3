import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Decision, DecideInput } from '../../src/core/agent.ts';
import { runTask } from '../../src/run/run-task.ts';
import { parseTask } from '../../src/core/task.ts';
import { readTrace, TraceWriter } from '../../src/core/trace.ts';
import type { Summary } from '../../src/core/trace-schema.ts';
import { aggregateEpisodes, EvalSummarySchema, type EvalEpisode, type EvalSummaryInput } from '../../src/eval/eval-summary-schema.ts';
import { domBox, ScriptedAgent } from '../support/scripted-agent.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/report');

/** Strings a hostile page or model could put into a trace; the report must show them as text. */
export const HOSTILE = {
  reasoning: 'I see a unicorn box. <script>window.__pwned = "reasoning"</script><img src=x onerror="window.__pwned=\'img\'">',
  raw: '</script><script>window.__pwned = "raw"; alert(1)</script> Click(target)',
  label: '"><svg onload="window.__pwned=\'label\'">',
  goal: 'Click the <b>magenta</b> box </script><script>window.__pwned="goal"</script> 然后完成',
};

/** The image a profile would send: the frame at half size, as JPEG. */
async function halfSize(input: DecideInput) {
  const w = Math.round(input.frame.width / 2);
  const h = Math.round(input.frame.height / 2);
  const data = await sharp(input.frame.image).resize(w, h, { fit: 'fill' }).jpeg({ quality: 70 }).toBuffer();
  return { data, mime: 'image/jpeg' as const, width: w, height: h };
}

/**
 * A scripted model: step 1 clicks the magenta #target by its box (with set-of-marks notes and a
 * resized sent image); step 2 first answers out of the frame, is repaired, and clicks #other by
 * a point; step 3 finishes (or fails, when `fail` is set).
 */
export function fixtureAgent(o: { fail?: boolean } = {}): ScriptedAgent {
  return new ScriptedAgent(async (input, call): Promise<Decision> => {
    if (call === 0) {
      const target = await domBox(input, '#target');
      const other = await domBox(input, '#other');
      return {
        actions: [{ action: 'click', target: { box: target, label: HOSTILE.label } }],
        reasoning: HOSTILE.reasoning,
        raw: HOSTILE.raw,
        sentImage: await halfSize(input),
        usage: { inputTokens: 1250, outputTokens: 84 },
        notes: { family: 'scripted-test', marks: [{ id: 1, box: target }, { id: 2, box: other }] },
      };
    }
    if (call === 1) {
      return { actions: [{ action: 'click', target: { point: [input.frame.width + 400, 10] } }], reasoning: 'aim far right', usage: { inputTokens: 1300, outputTokens: 20 } };
    }
    if (call === 2) {
      const [x1, y1, x2, y2] = await domBox(input, '#other');
      return { actions: [{ action: 'click', target: { point: [(x1 + x2) / 2, (y1 + y2) / 2], label: 'Other' } }], reasoning: 'repaired: the green box', usage: { inputTokens: 1400, outputTokens: 30 } };
    }
    return o.fail
      ? { actions: [{ action: 'fail', reason: 'the page did not say done' }], reasoning: 'giving up' }
      : { actions: [{ action: 'finish', answer: 'clicked both' }], reasoning: 'both clicked', usage: { inputTokens: 1500, outputTokens: 12 } };
  });
}

export interface FixtureRun {
  summary: Summary;
  traceDir: string;
}

/** A real run against the fixture page in real Chromium, at the given viewport and device scale factor. */
export async function fixtureRun(traceDir: string, o: { viewport: [number, number]; dpr: number; id?: string; category?: string; fail?: boolean }): Promise<FixtureRun> {
  const task = parseTask({
    id: o.id ?? `targets-${o.viewport[0]}x${o.viewport[1]}-dpr${o.dpr}`,
    category: o.category,
    app: { web: { url: '/targets.html', viewport: o.viewport, deviceScaleFactor: o.dpr } },
    goal: HOSTILE.goal,
    success: [{ js: "window.__clicks.join(',') === 'target,other'" }],
    maxSteps: 6,
    timeoutMs: 60_000,
  });
  const summary = await runTask({ task, agent: fixtureAgent({ fail: o.fail }), serveRoot: FIXTURES, traceDir });
  if (summary.reason === 'error') throw new Error(`fixture run failed: ${summary.detail}`);
  return { summary, traceDir: summary.traceDir };
}

/**
 * A long trace built from a real one: `n` steps that all reference the real run's few frame
 * files (copied once), as a long run on a static screen would.
 */
export function longTrace(fromDir: string, dir: string, n: number): string {
  const real = readTrace(fromDir);
  const w = new TraceWriter(dir);
  mkdirSync(path.join(dir, 'frames'), { recursive: true });
  const files = new Set(real.steps.flatMap((s) => [s.frame.file, ...(s.frame.sent ? [s.frame.sent.file] : [])]));
  for (const f of files) copyFileSync(path.join(fromDir, f), path.join(dir, f));
  w.header({ ...real.header!, runId: 'long', budgets: { maxSteps: n, timeoutMs: 3_600_000 } });
  for (let i = 0; i < n; i++) {
    const base = real.steps[i % 2];
    const words = `Step ${i}: the list has not changed; scroll further and look for the item. `.repeat(6);
    w.step({
      ...base,
      index: i,
      instruction: `long task step ${i}`,
      outcome: i === n - 1 ? 'finish' : 'done',
      attempts: base.attempts.map((a) => ({ ...a, reasoning: `${words}${i === 137 ? ' needle-137' : ''}` })),
      timings: { captureMs: 40 + (i % 7), modelMs: 900 + ((i * 37) % 500), actMs: 30 + (i % 5), settleMs: 100 + ((i * 13) % 200), totalMs: 1200 },
      tokens: { input: 1000 + i * 10, output: 50 + (i % 30) },
    });
  }
  const s = real.summary!;
  w.finish({ ...s, runId: 'long', steps: n, success: true, reason: 'finished', traceDir: path.resolve(dir) });
  return dir;
}

/** An eval directory as `handeye eval` writes it: episodes' traces under it, and summary.json. */
export async function fixtureEval(evalDir: string): Promise<{ summary: EvalSummaryInput; episodes: EvalEpisode[] }> {
  const plan = [
    { id: 'pick-box', category: 'forms', fail: false, seed: 0 },
    { id: 'pick-box', category: 'forms', fail: true, seed: 1 },
    { id: 'nav-box', category: 'navigation', fail: false, seed: 0 },
    { id: 'nav-box', category: 'navigation', fail: true, seed: 1 },
    { id: 'tall-box', category: 'mobile', fail: false, seed: 0 },
  ];
  const episodes: EvalEpisode[] = [];
  for (const p of plan) {
    const rel = `episodes/${p.id}-s${p.seed}`;
    const { summary: s } = await fixtureRun(path.join(evalDir, rel), { viewport: p.category === 'mobile' ? [390, 700] : [800, 500], dpr: 1, id: p.id, category: p.category, fail: p.fail });
    episodes.push({
      task: p.id,
      seed: p.seed,
      category: p.category,
      success: s.success,
      reason: s.reason,
      detail: s.detail,
      steps: s.steps,
      traceDir: rel,
      modelMs: s.timings.modelMs,
      envMs: s.timings.captureMs + s.timings.actMs + s.timings.settleMs,
      tokens: s.tokens,
      durationMs: s.durationMs,
    });
  }
  // One episode whose trace is gone: the index must still list it, without a link.
  episodes.push({ task: 'lost <i>trace</i>', seed: 0, category: 'forms', success: false, reason: 'error', detail: 'browser crashed', steps: 0, traceDir: 'episodes/missing', modelMs: 0, envMs: 0, tokens: { input: 0, output: 0 } });
  const summary: EvalSummaryInput = { suite: 'report-fixtures', engine: 'scripted', startedAt: new Date().toISOString(), durationMs: 1234, episodes, aggregates: aggregateEpisodes(episodes) };
  EvalSummarySchema.parse(summary);
  writeFileSync(path.join(evalDir, 'summary.json'), JSON.stringify(summary, null, 2));
  return { summary, episodes };
}
