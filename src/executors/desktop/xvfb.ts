import { dieWithParent, findProgram } from '../processes.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { DisplayError, probeDisplay } from './display.ts';

/**
 * Our own virtual X server. Xvfb picks a free display number itself and reports it on the pipe
 * given with -displayfd once it accepts connections, so there is no guessing of numbers and no
 * polling for readiness. Stopped by PID; servers still running when the process exits are killed
 * then, so a crashed run leaves no orphans (PID 1 here does not reap them).
 */

export interface XvfbOptions {
  /** Screen size in pixels; default 1280×800. */
  size?: [number, number];
  depth?: 24 | 16;
  timeoutMs?: number;
}

export interface Xvfb {
  display: string;
  pid: number;
  size: [number, number];
  /** Kills the server and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  });
}

export async function startXvfb(options: XvfbOptions = {}): Promise<Xvfb> {
  const [w, h] = options.size ?? [1280, 800];
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 16 || h < 16 || w > 16384 || h > 16384) {
    throw new DisplayError(`Xvfb screen size must be two integers in 16..16384, got ${JSON.stringify(options.size)}`);
  }
  const depth = options.depth ?? 24;
  const timeoutMs = options.timeoutMs ?? 10_000;
  installExitHook();
  // Xvfb dies with handeye (a parent-death signal), even when handeye is killed by SIGKILL.
  const [cmd, ...args] = dieWithParent(['Xvfb', '-displayfd', '3', '-screen', '0', `${w}x${h}x${depth}`, '-nolisten', 'tcp', '-noreset']);
  if (!findProgram('Xvfb')) throw new DisplayError('Xvfb is not installed (Debian package xvfb); run "npm run setup"');
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.once('close', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(hard);
  };

  let timer: NodeJS.Timeout | undefined;
  try {
    const display = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdio[3]!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(`:${out.trim()}`);
      });
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(new DisplayError(e.code === 'ENOENT' ? 'Xvfb is not installed (Debian package xvfb); run "npm run setup"' : `Xvfb did not start: ${e.message}`)),
      );
      child.once('close', (code, signal) =>
        reject(new DisplayError(`Xvfb exited before it was ready (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-2).join(' ')}`)),
      );
      timer = setTimeout(() => reject(new DisplayError(`Xvfb was not ready within ${timeoutMs} ms`)), timeoutMs);
    });
    probeDisplay(display);
    return { display, pid: child.pid!, size: [w, h], stop };
  } catch (e) {
    await stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
