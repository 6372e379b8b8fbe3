import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTrace } from '../../src/core/trace.ts';

/**
 * The examples under examples/ run as users would run them, as child processes: the Playwright
 * Test spec under `npx playwright test` (Debian's Chromium), the Node script and the desktop
 * script under tsx. Outcomes are read from what the page or the app reports, and from the traces.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-examples-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function lastJsonLine(stdout: string): Record<string, any> {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON line in the output:\n${stdout.slice(-2000)}`);
  return JSON.parse(line);
}

interface PwStep {
  title: string;
  error?: unknown;
  steps?: PwStep[];
}
interface PwResult {
  status: string;
  steps?: PwStep[];
  attachments: { name: string; contentType: string; path?: string }[];
  startTime: string;
}

describe('examples', () => {
  it('the Playwright Test spec passes under `npx playwright test`, each agent call a named step', async () => {
    const started = Date.now();
    const r = await run('npx', ['playwright', 'test', '-c', 'examples/playwright.config.ts', '--reporter=json'], 400_000);
    let report: any;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      throw new Error(`playwright printed no JSON report (exit ${r.code}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    }
    expect(report.errors ?? []).toEqual([]);
    expect(report.stats).toMatchObject({ expected: 2, unexpected: 0, flaky: 0 });
    expect(r.code).toBe(0);
    const results = new Map<string, PwResult>();
    for (const suite of report.suites) for (const spec of suite.specs) results.set(spec.title, spec.tests[0].results[0]);

    const signIn = results.get('signs in by looking at the page')!;
    expect(signIn.status).toBe('passed');
    const titles = (signIn.steps ?? []).map((s) => s.title);
    expect(titles).toEqual([
      'agent.type("alice", {"into":"Username"})',
      'agent.type("hunter2", {"into":"Password"})',
      'agent.locate("Sign in")',
      'agent.click("Sign in")',
      'agent.assert("Welcome, alice")',
    ]);

    // The failed call is a failed step with the frame it saw attached, though the test caught the error.
    const missing = results.get('a target that is not on the page fails with a typed error')!;
    expect(missing.status).toBe('passed');
    const failedStep = (missing.steps ?? []).find((s) => s.title === 'agent.click("Create account")');
    expect(failedStep?.error).toBeTruthy();
    const frame = missing.attachments.find((a) => a.name === 'agent.click("Create account") frame');
    expect(frame?.contentType).toBe('image/jpeg');
    expect(existsSync(frame!.path!)).toBe(true);
    expect(missing.attachments.some((a) => a.name === 'agent.click("Create account") trace')).toBe(true);

    // The passing test's agent left one trace holding all five calls, closed with a summary.
    const traces = path.join(ROOT, 'test-output', 'handeye-traces');
    const fresh = readdirSync(traces)
      .filter((d) => d.startsWith('signs-in-by-looking-at-the-page'))
      .map((d) => readTrace(path.join(traces, d)))
      .filter((t) => t.header && Date.parse(t.header.startedAt) >= started);
    expect(fresh).toHaveLength(1);
    const t = fresh[0];
    expect(t.summary).toMatchObject({ success: true, engine: 'embedded' });
    expect(t.steps.map((s) => s.index)).toEqual(t.steps.map((_, i) => i));
    expect(new Set(t.steps.map((s) => s.instruction))).toEqual(
      new Set(['type {"text":"alice","into":"Username"}', 'type {"text":"hunter2","into":"Password"}', 'locate "Sign in"', 'click "Sign in"', 'assert "Welcome, alice"']),
    );
  }, 420_000);

  it('the Node script signs in on the bundled page through act(goal), waitFor and locate', async () => {
    const dir = path.join(tmp, 'node-script');
    const r = await run(process.execPath, ['--import', 'tsx', 'examples/node-script.ts', dir], 240_000);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const out = lastJsonLine(r.stdout);
    // The page's own record: bob signed in, once.
    expect(out.state).toEqual({ signedIn: 'bob', attempts: 1 });
    expect(out.actions).toEqual(['type', 'type', 'click']);
    // The status line sits below the form's heading, inside the 1280-px viewport.
    expect(out.statusBox[0]).toBeGreaterThan(300);
    expect(out.statusBox[2]).toBeLessThan(980);
    const t = readTrace(out.traceDir);
    expect(t.header?.task.id).toBe('node-script');
    expect(t.summary).toMatchObject({ success: true, steps: t.steps.length });
    expect(t.steps.map((s) => s.index)).toEqual(t.steps.map((_, i) => i));
    expect(t.steps.at(-1)?.instruction).toBe('locate "Welcome, bob"');
  }, 240_000);

  it('the desktop script fills and confirms a real zenity dialog under a private Xvfb', async () => {
    const dir = path.join(tmp, 'desktop-script');
    const r = await run(process.execPath, ['--import', 'tsx', 'examples/desktop-script.ts', dir], 240_000);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const out = lastJsonLine(r.stdout);
    // What zenity itself printed when its OK button was pressed: the entry, then exit code 0.
    expect(out.printed).toEqual(['Grace Hopper 霍珀', 'exit=0']);
    expect(out.okButton[2]).toBeGreaterThan(out.okButton[0]);
    const t = readTrace(out.traceDir);
    expect(t.header?.executor.kind).toBe('desktop');
    expect(t.summary?.success).toBe(true);
  }, 240_000);
});
