import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, main } from '../../src/cli/index.ts';
import { launchBrowserServer } from '../../src/executors/browser/chromium.ts';
import { commandOf, descendants, isAlive } from '../support/process-tree.ts';
import { freePort } from '../support/free-port.ts';

/**
 * Browsers that live elsewhere (--browser-ws): a real Playwright browser server on 127.0.0.1,
 * served by `handeye browser-server` or launchBrowserServer, driven by run and eval.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-browser-ws-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}


describe('--browser-ws', () => {
  it('runs a task in the browser of `handeye browser-server`, which outlives the run and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'handeye.mjs'), 'browser-server'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    try {
      const t0 = Date.now();
      while (!/^ws:\/\//m.test(stdout) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
      const ws = stdout.trim().split('\n')[0];
      expect(ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);
      const browsers = descendants(child.pid!).filter((p) => /chrom/.test(commandOf(p)));
      expect(browsers.length).toBeGreaterThan(0);

      const r = await cli(['run', path.join(ROOT, 'tasks/login/login.task.yaml'), '--browser-ws', ws, '--json', '--trace', path.join(tmp, 'run')]);
      expect(r.code, r.err).toBe(EXIT.ok);
      expect(JSON.parse(r.out)).toMatchObject({ success: true });
      // The run closed its own context and disconnected; the server's browser runs on.
      expect(browsers.every(isAlive)).toBe(true);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect.poll(() => browsers.filter(isAlive), { timeout: 5000 }).toEqual([]);
      expect(stderr).toMatch(/SIGTERM: closing the browser/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('names the endpoint nobody answers at, and one that is no ws:// URL (exit 2)', async () => {
    const dead = `ws://127.0.0.1:${await freePort()}/nobody`;
    const t0 = Date.now();
    const r = await cli(['run', path.join(ROOT, 'tasks/login/login.task.yaml'), '--browser-ws', dead, '--trace', path.join(tmp, 'dead')]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(`no browser server answered at ${dead}`);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const http = await cli(['run', path.join(ROOT, 'tasks/login/login.task.yaml'), '--browser-ws', 'http://127.0.0.1:9222', '--trace', path.join(tmp, 'http')]);
    expect(http.code).toBe(EXIT.usage);
    expect(http.err).toMatch(/expects a ws:\/\/ or wss:\/\/ endpoint/);
  });

  it('counts a browser server lost mid-episode as an environment failure in an eval, not the agent', async () => {
    const server = await launchBrowserServer();
    const pid = server.process().pid!;
    // One episode that waits, so the server can go away while it runs.
    const dir = path.join(tmp, 'tasks');
    mkdirSync(path.join(dir, 'login'), { recursive: true });
    copyFileSync(path.join(ROOT, 'tasks/login/index.html'), path.join(dir, 'login/index.html'));
    const file = path.join(dir, 'slow.task.yaml');
    writeFileSync(file, 'id: slow\ncategory: remote\napp:\n  web: { url: "/login/index.html" }\nsteps:\n  - wait: 4000\n  - assert: "Sign in to Example"\n');
    const out = path.join(tmp, 'eval');
    const running = cli(['eval', file, '--seeds', '1', '--concurrency', '1', '--mode', 'steps', '--browser-ws', server.wsEndpoint(), '--out', out]);
    const t0 = Date.now();
    while (!existsSync(path.join(out, 'episodes', 'slow', 'seed-0', 'trace', 'trace.jsonl')) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid, 'SIGKILL');
    const r = await running;
    await server.close().catch(() => {});
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.episodes, r.err).toHaveLength(1);
    expect(summary.episodes[0]).toMatchObject({ kind: 'env-error', success: false });
    expect(summary.episodes[0].detail).toMatch(/browser connection dropped/);
    expect(summary.aggregates.envErrors).toBe(1);
  });
});
