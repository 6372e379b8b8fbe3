import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAction } from '../../../src/core/actions.ts';
import type { Agent } from '../../../src/core/agent.ts';
import { launchApp } from '../../../src/executors/desktop/app-launch.ts';
import { DesktopExecutor } from '../../../src/executors/desktop/desktop-executor.ts';
import { openDesktopSession } from '../../../src/executors/desktop/desktop-session.ts';
import { startXvfb, type Xvfb } from '../../../src/executors/desktop/xvfb.ts';
import { runTask } from '../../../src/run/run-task.ts';
import { parseTask } from '../../../src/core/task.ts';
import { FIXTURES, FORM_APP, PYTHON } from './desktop-support.ts';

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).stdout);

let xvfb: Xvfb;
beforeAll(async () => {
  xvfb = await startXvfb({ size: [640, 480] });
});
afterAll(async () => {
  await xvfb?.stop();
});

describe('desktop bad input', () => {
  it('fails with a clear error and no segfault when there is no display (in a child process)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(FIXTURES, 'open-without-display.ts')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DISPLAY: '' },
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^DisplayError: .*DISPLAY is not set.*--xvfb/),
      expect.stringMatching(/^DisplayError: X display :4321 is not running/),
      expect.stringMatching(/^DisplayError: X display :4321 is not running/),
      expect.stringMatching(/^DisplayError: "remote.example:0" is not a local X display name/),
    ]);
  });

  it('reports an app that never shows a window, and ends it', async () => {
    const t0 = Date.now();
    const err = await launchApp({ argv: ['sleep', '30'], display: xvfb.display, timeoutMs: 1500 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^sleep 30 showed no window within 1500 ms/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(spawnSync('pgrep', ['-f', '^sleep 30$']).stdout.toString().trim()).toBe('');
  });

  it('reports an app that exits before showing a window, with its exit code and output', async () => {
    await expect(launchApp({ argv: ['sh', '-c', 'echo cannot open font >&2; exit 4'], display: xvfb.display })).rejects.toThrow(
      /exited \(exit 4\) before showing a window: cannot open font/,
    );
    await expect(launchApp({ argv: ['no-such-program-xyz'], display: xvfb.display })).rejects.toThrow(/no such program/);
  });

  it('fails clearly when the window it acts in closes under it', async () => {
    const session = await openDesktopSession({ launch: [PYTHON, FORM_APP, 'Closing form'], display: xvfb.display }, { windowTimeoutMs: 20_000 });
    try {
      const windowed = await DesktopExecutor.open({ display: xvfb.display, area: { window: session.windowId! } });
      try {
        const frame = await windowed.capture();
        expect(frame.origin).toEqual({ x: 0, y: 0 });
        await session.app!.stop();
        await expect(windowed.perform(parseAction({ action: 'click', target: { point: [10, 10] } }), frame)).rejects.toThrow(/was closed/);
        await expect(windowed.capture()).rejects.toThrow(/is gone/);
      } finally {
        await windowed.close();
      }
    } finally {
      await session.close();
    }
  });

  it('fails clearly when the display goes away mid-run, leaving no processes', async () => {
    const own = await startXvfb({ size: [320, 240] });
    const ex = await DesktopExecutor.open({ display: own.display });
    const frame = await ex.capture();
    await own.stop();
    expect(alive(own.pid)).toBe(false);
    await expect(ex.perform(parseAction({ action: 'click', target: { point: [5, 5] } }), frame)).rejects.toThrow(`X display ${own.display} went away`);
    await expect(ex.capture()).rejects.toThrow(/went away/);
    expect(ex.alive).toBe(false);
    await ex.close();
  });

  it('opens a session on its own Xvfb and closes app, driver and server by PID', async () => {
    const session = await openDesktopSession({ launch: [PYTHON, FORM_APP, 'Session form'], screen: [700, 500] }, { xvfb: true, windowTimeoutMs: 20_000 });
    const pid = session.app!.pid;
    const frame = await session.executor.capture();
    expect([frame.width, frame.height]).toEqual([700, 500]);
    await session.close();
    expect(alive(pid)).toBe(false);
    expect(existsSync(`/tmp/.X11-unix/X${session.display.slice(1)}`)).toBe(false);
  });

  it('records a run as failed with the reason when the app never shows its window', async () => {
    const task = parseTask({ id: 'never-shows', app: { desktop: { launch: ['sleep', '20'], display: xvfb.display, window: 'Nope' } }, goal: 'click OK' });
    const agent: Agent = { name: 'stub', decide: async () => ({ actions: [{ action: 'finish' }] }) };
    const summary = await runTask({ task, agent, traceDir: path.join('/tmp', `handeye-test-${process.pid}-never-shows`) });
    expect(summary.success).toBe(false);
    expect(summary.reason).toBe('error');
    expect(summary.detail).toMatch(/showed no window titled "Nope" within/);
  }, 60_000);
});
