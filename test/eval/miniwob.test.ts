import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, main } from '../../src/cli/index.ts';

/**
 * `handeye eval --miniwob DIR` on a small fixture written here in the MiniWoB++ protocol (the
 * globals and core functions its Python environment calls): real Chromium, the embedded engine.
 */

const HTML = path.resolve(import.meta.dirname, '../fixtures/miniwob/html');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-miniwob-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]) {
  const err: string[] = [];
  const code = await main(args, { out: () => {}, err: (s) => err.push(s) });
  return { code, err: err.join('\n') };
}

const summaryOf = (out: string) => JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));

describe('handeye eval --miniwob', () => {
  it('seeds each episode, takes the utterance as the goal, and scores it by the raw reward', async () => {
    const out = path.join(tmp, 'run');
    const r = await cli(['eval', '--miniwob', HTML, '--seeds', '2', '--out', out]);
    const s = summaryOf(out);
    expect(s.episodes, r.err).toHaveLength(4);
    for (const e of s.episodes) {
      expect(e.goal).toMatch(e.task === 'miniwob.click-button' ? /^Click on the "\w+" button\.$/ : /^Enter "\w+" into the Name field and click "Submit"\.$/);
      expect(e.reward.raw === 1).toBe(e.success);
    }
    expect(s.episodes.filter((e: { success: boolean }) => e.success).length, r.err).toBe(4);
    expect(r.code).toBe(EXIT.ok);
    // The same seed gives the same episode; another seed another one.
    const again = path.join(tmp, 'again');
    await cli(['eval', '--miniwob', HTML, '--miniwob-tasks', 'click-button', '--seed-list', '0,1', '--out', again]);
    const goals = (x: { episodes: { task: string; seed: number; goal: string }[] }) => Object.fromEntries(x.episodes.filter((e) => e.task === 'miniwob.click-button').map((e) => [e.seed, e.goal]));
    expect(goals(summaryOf(again))).toEqual(goals(s));
  });

  it("records the page's time limit running out as a failure with its reason", async () => {
    const out = path.join(tmp, 'timeout');
    const r = await cli(['eval', '--miniwob', HTML, '--miniwob-tasks', 'enter-text', '--seeds', '1', '--miniwob-time-ms', '1', '--out', out]);
    expect(r.code).toBe(EXIT.failed);
    const [e] = summaryOf(out).episodes;
    expect(e).toMatchObject({ success: false, kind: 'completed', reward: { raw: -1, reason: 'timed out' } });
  });

  it('names a folder without MiniWoB++ tasks, and tasks it does not have (exit 2)', async () => {
    const none = await cli(['eval', '--miniwob', tmp, '--out', path.join(tmp, 'none')]);
    expect(none.code).toBe(EXIT.usage);
    expect(none.err).toMatch(/no MiniWoB\+\+ tasks there/);
    const unknown = await cli(['eval', '--miniwob', HTML, '--miniwob-tasks', 'book-flight', '--out', path.join(tmp, 'unknown')]);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.err).toMatch(/book-flight not in .*it has click-button, enter-text/);
  });
});
