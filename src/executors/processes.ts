import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The processes handeye starts (Chromium, Xvfb, a desktop app) must not outlive it, however it
 * ends: on Linux each is started with a parent-death signal (util-linux's setpriv), so the kernel
 * kills it when handeye dies, even by SIGKILL. And a process that will not stop when asked is
 * killed with its whole tree.
 */

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/** The command line that runs `argv` so that it is killed (SIGKILL) when this process dies. */
export function dieWithParent(argv: string[]): string[] {
  return SETPRIV ? [SETPRIV, '--pdeathsig', 'KILL', ...argv] : argv;
}

/** A program name looked up on PATH (a path is checked as it is); undefined when there is none. */
export function findProgram(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) return existsSync(name) ? name : undefined;
  for (const dir of envPath.split(':')) {
    const p = path.join(dir || '.', name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function parentOf(pid: number): number | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every descendant of `pid`, read from /proc. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const p = Number(name);
    if (!Number.isInteger(p)) continue;
    const parent = parentOf(p);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(p);
    children.set(parent, list);
  }
  const out: number[] = [];
  const todo = [...(children.get(pid) ?? [])];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Kills a process and all its descendants (found before the first kill, so none is re-parented away). */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const p of [pid, ...descendantsOf(pid)]) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}
