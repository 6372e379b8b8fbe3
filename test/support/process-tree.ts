import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes by PID, read from /proc: who is whose child, and who is still alive. A zombie counts
 * as dead (PID 1 here does not reap orphans, so a killed orphan stays a zombie).
 */

function stat(pid: number): { ppid: number; state: string; comm: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const [state, ppid] = s.slice(close + 2).split(' ');
    return { ppid: Number(ppid), state, comm };
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 160);
  } catch {
    return stat(pid)?.comm ?? '?';
  }
}

/** Every living descendant of `root`. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s || s.state === 'Z') continue;
    const list = children.get(s.ppid) ?? [];
    list.push(pid);
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const todo = [...(children.get(root) ?? [])];
  while (todo.length) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Samples a process's tree while it runs: every descendant ever seen, to check after it ended. */
export class TreeWatch {
  readonly seen = new Map<number, string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly root: number, everyMs = 150) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    for (const pid of descendants(this.root)) if (!this.seen.has(pid)) this.seen.set(pid, commandOf(pid));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Descendants seen that are still alive now, with their command lines. */
  survivors(): string[] {
    return [...this.seen].filter(([pid]) => isAlive(pid)).map(([pid, cmd]) => `${pid} ${cmd}`);
  }

  /** Kills whatever survived (tests clean up after a failure). */
  killSurvivors(): void {
    for (const [pid] of this.seen) if (isAlive(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** Waits until no descendant seen is alive, up to `ms`; returns the survivors. */
export async function survivorsAfter(watch: TreeWatch, ms: number): Promise<string[]> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!watch.survivors().length) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return watch.survivors();
}
