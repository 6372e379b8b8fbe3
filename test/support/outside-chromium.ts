import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChromium } from '../../src/executors/browser/chromium.ts';
import { descendants, isAlive } from './process-tree.ts';

/**
 * A Chromium that a test starts itself, for the CDP tests: "a browser handeye did not start".
 *
 * Stopping it is the delicate part. Chromium's helpers (renderer, GPU, network, storage) may
 * outlive the browser process by a moment and keep writing to the profile's cache, so removing
 * the profile right after the browser's exit raced with them (ENOTEMPTY on Cache_Data, seen
 * in CI). `stop` ends every process of the tree by its PID, waits for all of them, then removes
 * the profile, retrying while a straggler's last write lands.
 */
export interface OutsideChromium {
  child: ChildProcess;
  profile: string;
  stop(): Promise<void>;
}

export function startOutsideChromium(args: string[], stdio: 'ignore' | 'pipe-stderr' = 'ignore'): OutsideChromium {
  const profile = mkdtempSync(path.join(tmpdir(), 'handeye-cdp-'));
  const child = spawn(findChromium(), ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', `--user-data-dir=${profile}`, ...args, 'about:blank'], {
    stdio: stdio === 'ignore' ? 'ignore' : ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      const tree = child.pid ? descendants(child.pid) : [];
      child.kill('SIGTERM');
      for (const pid of tree) killQuietly(pid, 'SIGTERM');
      await exited;
      const deadline = Date.now() + 5000;
      while (tree.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const pid of tree.filter(isAlive)) killQuietly(pid, 'SIGKILL');
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    })());
  return { child, profile, stop };
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
