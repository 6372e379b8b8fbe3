import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, main } from '../../src/cli/index.ts';

/** The wiring of `handeye serve` and `handeye mcp`: what they refuse before serving, and one served through the bin. */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('handeye serve and mcp: refused before serving', () => {
  it('will not listen beyond loopback without a token', async () => {
    const r = await run(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/--token/);
    const m = await run(['mcp', '--http', '0', '--host', '0.0.0.0']);
    expect(m.code).toBe(EXIT.usage);
    const short = await run(['serve', '--port', '0', '--token', 'abc']);
    expect(short.err).toMatch(/at least 16 characters/);
  });

  it('names a port in use, and a secret whose variable is not set', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as AddressInfo;
    try {
      const r = await run(['serve', '--port', String(port)]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
    } finally {
      busy.close();
    }
    const s = await run(['serve', '--port', '0', '--secret', 'HANDEYE_TEST_UNSET_SECRET']);
    expect(s.code).toBe(EXIT.usage);
    expect(s.err).toMatch(/HANDEYE_TEST_UNSET_SECRET is not set/);
  });
});

describe('handeye serve through the bin', () => {
  it('serves with a token from the environment, never prints it, and stops on SIGTERM', async () => {
    const token = 'bin-token-0123456789abcdef';
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'handeye.mjs'), 'serve', '--port', '0'], { cwd: ROOT, env: { ...process.env, HANDEYE_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const t0 = Date.now();
      while (!/listening on/.test(stderr) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
      const url = /listening on (http:\/\/\S+)/.exec(stderr)![1];
      expect((await fetch(`${url}/health`)).status).toBe(401);
      const health = await fetch(`${url}/health`, { headers: { authorization: `Bearer ${token}` } });
      expect(await health.json()).toMatchObject({ ok: true, sessions: 0, maxSessions: 4 });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/stopped; every session closed/);
      expect(stderr).not.toContain(token);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
