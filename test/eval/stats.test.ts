import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { median, wilsonInterval } from '../../src/eval/stats.ts';
import { loadSuite, resolveSeeds, seededUrl, SuiteError } from '../../src/eval/suite.ts';
import { progressText } from '../../src/eval/progress.ts';
import { parseSeedList } from '../../src/cli/eval.ts';

describe('Wilson interval', () => {
  // Reference values: Wilson score interval, z = 1.96 (e.g. Newcombe 1998, Table I; statsmodels proportion_confint method="wilson").
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [5, 10, 0.2366, 0.7634],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i → [%f, %f]', (k, n, low, high) => {
    const r = wilsonInterval(k, n);
    expect(r.low).toBeCloseTo(low, 3);
    expect(r.high).toBeCloseTo(high, 3);
  });
  it('is [0, 1] for no data and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
  it('median of even and odd lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('seeds and suites', () => {
  it('adds or replaces seed= in task URLs, keeping other parameters and the hash', () => {
    expect(seededUrl('/suite/a/index.html', 4)).toBe('/suite/a/index.html?seed=4');
    expect(seededUrl('/a.html?x=1&seed=9#top', 2)).toBe('/a.html?x=1&seed=2#top');
    expect(seededUrl('http://127.0.0.1:9/p?q=a%20b', 0)).toBe('http://127.0.0.1:9/p?q=a+b&seed=0');
  });
  it('resolves --seeds and --seed-list', () => {
    expect(resolveSeeds({ seeds: 3 })).toEqual([0, 1, 2]);
    expect(resolveSeeds({ seedList: [5, 5, 7] })).toEqual([5, 7]);
    expect(() => resolveSeeds({ seeds: 0 })).toThrow(/--seeds must be a positive integer/);
    expect(parseSeedList('1, 2,10')).toEqual([1, 2, 10]);
    expect(() => parseSeedList('1,x')).toThrow(/--seed-list expects/);
  });
  it('records invalid task files instead of aborting, and rejects a missing input', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'handeye-suite-'));
    try {
      mkdirSync(path.join(d, 'a'));
      writeFileSync(path.join(d, 'a', 'ok.task.yaml'), 'id: ok\napp:\n  web: { url: "/a/index.html" }\ngoal: \'Click "OK".\'\n');
      writeFileSync(path.join(d, 'a', 'bad.task.yaml'), 'id: bad\napp:\n  web: { url: "/a/index.html" }\n');
      const s = await loadSuite([d]);
      expect(s.tasks.map((t) => [t.task.id, t.category])).toEqual([['ok', 'uncategorized']]);
      expect(s.invalid).toHaveLength(1);
      expect(s.invalid[0].error).toMatch(/bad\.task\.yaml: .*a task needs a goal or steps/);
      await expect(loadSuite([path.join(d, 'nope')])).rejects.toThrow(SuiteError);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
  it('progress line shows done/total, success so far and an ETA', () => {
    expect(progressText({ done: 3, total: 10, skipped: 1, passed: 2, completed: 3, envErrors: 0 }, 20_000)).toBe('eval 3/10 done, 2 passed (66.7%), 1 resumed, ETA 1m10s');
  });
});
