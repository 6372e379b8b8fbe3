import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvalSummarySchema } from '../../src/eval/eval-summary-schema.ts';
import { evalCommand } from '../../src/cli/eval.ts';
import { EPISODE_FILE } from '../../src/eval/runner.ts';
import { RunSummarySchema } from '../../src/eval/summary.ts';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';

// A small real eval: two suite tasks × two seeds with the embedded engine in real Chromium, plus
// a task whose page does not exist (an environment error, counted apart). The first run is
// interrupted after its first episode; the second resumes and skips what was recorded.
const SUITE = path.resolve(import.meta.dirname, '../../tasks/suite');
const dir = mkdtempSync(path.join(tmpdir(), 'handeye-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function brokenTask(): string {
  const d = path.join(dir, 'tasks', 'broken');
  mkdirSync(d, { recursive: true });
  const f = path.join(d, 'broken.task.yaml');
  writeFileSync(f, 'id: broken-page\ncategory: broken\napp:\n  web: { url: "/broken/missing.html" }\ngoal: \'Click "OK".\'\nsuccess:\n  - js: "true"\n');
  return f;
}

const readSummary = (out: string) => RunSummarySchema.parse(JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')));

describe('handeye eval', () => {
  const out = path.join(dir, 'out');
  const inputs = [path.join(SUITE, 'buttons'), path.join(SUITE, 'toolbar-strip/toolbar-strip.task.yaml'), brokenTask()];
  const lines: string[] = [];
  const io = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) };
  const makeAgent = async () => new EmbeddedAgent();

  it('stops on interrupt with a consistent summary of what finished', { timeout: 180_000 }, async () => {
    const stop = new AbortController();
    const progress: string[] = [];
    const code = await evalCommand(
      { inputs, seedList: [1, 2], out, makeAgent, signal: stop.signal },
      { ...io, progress: (s) => { progress.push(s); if (/\[suite-/.test(s)) stop.abort(); } },
    );
    expect(code).toBe(1);
    const s = readSummary(out);
    expect(s.interrupted).toBe(true);
    expect(s.planned).toBe(6);
    expect(s.episodes.length + s.pending.length).toBe(6);
    expect(s.episodes.length).toBeGreaterThanOrEqual(1);
    expect(s.episodes.length).toBeLessThan(6);
    expect(progress.some((p) => /^eval \d+\/6 done, \d+ passed.*ETA/.test(p))).toBe(true);
    expect(EvalSummarySchema.safeParse(s).success).toBe(true);
  });

  it('resumes: finished episodes are skipped, the rest run; the summary has rates, intervals and env errors', { timeout: 300_000 }, async () => {
    const before = readSummary(out).episodes.filter((e) => e.kind === 'completed');
    const mtimes = before.map((e) => statSync(path.join(out, path.dirname(e.traceDir), EPISODE_FILE)).mtimeMs);
    lines.length = 0;
    const code = await evalCommand({ inputs, seedList: [1, 2], out, makeAgent }, io);
    const s = readSummary(out);
    expect(s.interrupted).toBe(false);
    expect(s.pending).toEqual([]);
    expect(s.episodes).toHaveLength(6);
    // The recorded episodes were not run again.
    expect(before.map((e) => statSync(path.join(out, path.dirname(e.traceDir), EPISODE_FILE)).mtimeMs)).toEqual(mtimes);
    expect(lines.some((l) => new RegExp(`${before.length} resumed`).test(l))).toBe(true);

    const broken = s.episodes.filter((e) => e.task === 'broken-page');
    expect(broken.map((e) => e.kind)).toEqual(['env-error', 'env-error']);
    expect(broken[0].detail).toMatch(/HTTP 404/);
    expect(s.aggregates.envErrors).toBe(2);
    expect(s.aggregates.completed).toBe(4);
    expect(s.aggregates.overall.n).toBe(4);
    expect(s.aggregates.categories).not.toHaveProperty('broken');
    const ok = s.episodes.filter((e) => e.kind === 'completed' && e.success).length;
    expect(s.aggregates.overall.successes).toBe(ok);
    expect(s.aggregates.overall.low).toBeLessThanOrEqual(s.aggregates.overall.rate);
    expect(s.aggregates.overall.high).toBeGreaterThanOrEqual(s.aggregates.overall.rate);
    expect(code).toBe(1); // env errors never make a clean pass
    for (const e of s.episodes.filter((x) => x.kind === 'completed')) {
      expect(e.steps).toBeGreaterThan(0);
      expect(e.modelMs).toBeGreaterThan(0);
      expect(e.envMs).toBeGreaterThan(0);
      expect(statSync(path.join(out, e.traceDir, 'trace.jsonl')).size).toBeGreaterThan(0);
      expect(e.url).toMatch(new RegExp(`seed=${e.seed}$`));
    }
    // The embedded engine clicks a labelled button on these plain pages.
    expect(ok).toBeGreaterThanOrEqual(3);
    const md = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(md).toMatch(/\*\*Success: \d+\.\d% \(\d\/4; 95% CI/);
    expect(md).toContain('ENV ERROR');
    expect(EvalSummarySchema.safeParse(s).success).toBe(true);
  });

  it('rejects bad usage with exit code 2 and a specific message', async () => {
    const msgs: string[] = [];
    const e = { out: (s: string) => msgs.push(s), err: (s: string) => msgs.push(s) };
    expect(await evalCommand({ inputs: [path.join(dir, 'nope')], out: path.join(dir, 'x') }, e)).toBe(2);
    expect(msgs.pop()).toMatch(/nope does not exist/);
    expect(await evalCommand({ inputs: [SUITE], out: path.join(dir, 'x'), engine: 'warp' }, e)).toBe(2);
    expect(msgs.pop()).toMatch(/unknown engine "warp"/);
    expect(await evalCommand({ inputs: [SUITE], out: path.join(dir, 'x'), concurrency: 0 }, e)).toBe(2);
    expect(msgs.pop()).toMatch(/--concurrency must be a positive integer/);
  });
});
