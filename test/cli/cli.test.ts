import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTask } from '../../src/run/run-task.ts';
import { loadTaskFile } from '../../src/core/task.ts';
import { readTrace } from '../../src/core/trace.ts';
import { domBox, ScriptedAgent } from '../support/scripted-agent.ts';
import { freePort } from '../support/free-port.ts';
import { startOutsideChromium } from '../support/outside-chromium.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'bin/handeye.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-cli-'));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', input, timeout: 170_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}


describe('handeye CLI', () => {
  it('exits 2 with a one-line error for a missing task file, bad flags and an unknown engine', () => {
    const missing = cli(['run', 'no/such/task.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toMatch(/^handeye: .*task\.yaml: no such file$/m);
    expect(missing.err).not.toMatch(/\n\s+at /);

    const bad = cli(['run', '--max-steps', 'many', 'x.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/positive integer/);

    const noGoal = cli(['run', '--url', 'http://127.0.0.1:1/']);
    expect(noGoal.code).toBe(2);
    expect(noGoal.err).toMatch(/--url URL together with --goal/);

    const engine = cli(['run', '--engine', 'gpt9', 'x.yaml']);
    expect(engine.code).toBe(2);
    expect(engine.err).toMatch(/gpt9/);

    const replay = cli(['run', '--engine', 'replay', path.join(repo, 'test/fixtures/loop/counter.task.yaml')]);
    expect(replay.code).toBe(2);
    expect(replay.err).toMatch(/--engine replay needs --replay/);
  });

  it('exits 2 naming the field of a malformed task file', () => {
    const f = path.join(tmp, 'bad.task.yaml');
    writeFileSync(f, 'id: bad\napp:\n  web: { url: "/x.html", deviceScaleFactor: -1 }\ngoal: g\n');
    const r = cli(['run', f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.task\.yaml: app.*deviceScaleFactor|deviceScaleFactor/);
  });

  it('records a run with a test agent, then replays it through the CLI in a real browser (exit 0, complete trace)', async () => {
    const { task, file } = await loadTaskFile(path.join(repo, 'test/fixtures/loop/counter.task.yaml'));
    const recorded = path.join(tmp, 'recorded');
    const agent = new ScriptedAgent(async (input, call) =>
      call < 1 ? { actions: [{ action: 'click', target: { box: await domBox(input, '#inc') } }] } : { actions: [{ action: 'finish' }] },
    );
    const first = await runTask({ task, taskFile: file, agent, traceDir: recorded });
    expect(first.success).toBe(true);

    const replayDir = path.join(tmp, 'replayed');
    const r = cli(['run', file!, '--engine', 'replay', '--replay', recorded, '--trace', replayDir, '--json']);
    expect(r.err).toMatch(/step 1 +click \(\d+,\d+\)/);
    expect(r.err).toMatch(/SUCCESS: counter finished/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ success: true, reason: 'finished', steps: 2, engine: 'replay' });
    const trace = readTrace(replayDir);
    expect(trace.steps).toHaveLength(2);
    expect(JSON.parse(readFileSync(path.join(replayDir, 'summary.json'), 'utf8')).success).toBe(true);

    // the same command against a CDP URL nobody answers: exit 2, one clear line, no hang
    const port = await freePort();
    const t0 = Date.now();
    const dead = cli(['run', file!, '--engine', 'replay', '--replay', recorded, '--cdp', `http://127.0.0.1:${port}`, '--trace', path.join(tmp, 'dead')]);
    expect(dead.code).toBe(2);
    expect(dead.err).toMatch(new RegExp(`no browser answered at http://127.0.0.1:${port}`));
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('drives a browser it did not start, over CDP', async () => {
    const port = await freePort();
    const outside = startOutsideChromium([`--remote-debugging-port=${port}`]);
    const chrome = outside.child;
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100; i++) {
        const ok = await fetch(`${url}/json/version`).then(() => true, () => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const { task, file } = await loadTaskFile(path.join(repo, 'test/fixtures/loop/counter.task.yaml'));
      const agent = new ScriptedAgent(async (input, call) =>
        call < 1 ? { actions: [{ action: 'click', target: { box: await domBox(input, '#inc') } }] } : { actions: [{ action: 'finish' }] },
      );
      const s = await runTask({ task, taskFile: file, agent, cdp: url, traceDir: path.join(tmp, 'cdp') });
      expect(s.success).toBe(true);
      // the browser we started is still alive after the run: the executor closed only what it opened
      expect(chrome.exitCode).toBeNull();
      const version = await fetch(`${url}/json/version`).then((r) => r.json());
      expect(version.Browser).toMatch(/Chrome/);
    } finally {
      await outside.stop();
    }
  });
});
