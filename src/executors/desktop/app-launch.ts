import { spawn } from 'node:child_process';
import path from 'node:path';
import { dieWithParent, findProgram } from '../processes.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { findWindows, WindowError } from './windows.ts';

/**
 * Starts a desktop application for a task and waits for its window. The app runs in a process
 * group of its own, so stop() ends it and whatever it started (a shell wrapper's children too)
 * by PID, and the run leaves nothing behind.
 */

export interface LaunchOptions {
  argv: string[];
  display: string;
  /** Title (literal substring) of the window to wait for; else any window of the app's processes, else any new window. */
  window?: string;
  timeoutMs?: number;
  cwd?: string;
}

export interface LaunchedApp {
  pid: number;
  windowId: string;
  /** stdout and stderr so far (the last 64 KB). */
  output(): string;
  /** Exit code once it has exited (null while running or when killed by a signal). */
  exitCode(): number | null;
  running(): boolean;
  /** Resolves when the app has exited. */
  exited: Promise<void>;
  /** Ends the app's process group (SIGTERM, then SIGKILL) and waits for it. */
  stop(): Promise<void>;
}

export class AppLaunchError extends Error {
  override name = 'AppLaunchError';
}

/** The PID and all its descendants, from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name is in parentheses and may hold spaces; the parent PID follows it.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

export async function launchApp(o: LaunchOptions): Promise<LaunchedApp> {
  if (!o.argv.length || !o.argv[0]) throw new AppLaunchError('launch needs a command: a list like ["xterm", "-e", "vi"]');
  const timeoutMs = o.timeoutMs ?? 15_000;
  const before = new Set(findWindows(o.display, { any: true }));
  // The app dies with handeye (a parent-death signal), so a killed run leaves no app behind.
  const program = o.cwd && o.argv[0].includes('/') ? path.resolve(o.cwd, o.argv[0]) : o.argv[0];
  if (!findProgram(program)) throw new AppLaunchError(`cannot launch ${JSON.stringify(o.argv[0])}: no such program`);
  const [cmd, ...args] = dieWithParent(o.argv);
  const child = spawn(cmd, args, {
    env: { ...process.env, DISPLAY: o.display },
    cwd: o.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-65_536));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null && !spawnError;

  const stop = async () => {
    if (child.pid === undefined) return;
    const group = -child.pid;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(group, sig);
      } catch {
        // the whole group has exited already
      }
    };
    kill('SIGTERM');
    const hard = setTimeout(() => kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(hard);
    kill('SIGKILL'); // children that outlived their leader
  };

  const what = o.argv.join(' ');
  const tail = () => output.trim().split('\n').slice(-3).join(' | ');
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (spawnError) {
        const code = (spawnError as NodeJS.ErrnoException).code;
        throw new AppLaunchError(code === 'ENOENT' ? `cannot launch ${JSON.stringify(o.argv[0])}: no such program` : `cannot launch ${what}: ${spawnError.message}`);
      }
      const ids = o.window !== undefined
        ? findWindows(o.display, { title: o.window })
        : findWindows(o.display, { pids: processTree(child.pid!) }).concat(findWindows(o.display, { any: true }).filter((id) => !before.has(id)));
      if (ids.length) {
        return { pid: child.pid!, windowId: ids[0], output: () => output, exitCode: () => child.exitCode, running, exited, stop };
      }
      if (!running()) {
        throw new AppLaunchError(
          `${what} exited (${child.signalCode ?? `exit ${child.exitCode}`}) before showing a window${o.window !== undefined ? ` titled ${JSON.stringify(o.window)}` : ''}${tail() ? `: ${tail()}` : ''}`,
        );
      }
      if (Date.now() > deadline) {
        throw new AppLaunchError(
          `${what} showed no window${o.window !== undefined ? ` titled ${JSON.stringify(o.window)}` : ''} within ${timeoutMs} ms${tail() ? `; its output: ${tail()}` : ''}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stop();
    throw e instanceof WindowError ? new AppLaunchError(e.message) : e;
  }
}
