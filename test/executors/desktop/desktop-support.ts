import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWindows } from '../../../src/executors/desktop/windows.ts';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'desktop');
/** The Tk form app the bundled desktop tasks use too. */
export const FORM_APP = path.resolve(FIXTURES, '..', '..', '..', 'tasks', 'desktop', 'apps', 'form_app.py');
/** Debian's python3 (python3-tk), not a pyenv shim that may lack tkinter. */
export const PYTHON = '/usr/bin/python3';

/** A test-started X program whose stdout lines we watch. */
export interface Observed {
  proc: ChildProcess;
  lines: string[];
  /** Waits until a line matches (bounded), returning it. */
  waitFor(match: (line: string) => boolean, timeoutMs?: number, what?: string): Promise<string>;
  /** JSON lines printed so far (form_app's event log). */
  events(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export function observe(argv: string[], display: string): Observed {
  const proc = spawn(argv[0], argv.slice(1), { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  proc.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  proc.stderr!.on('data', () => {});
  const closed = new Promise<void>((r) => proc.once('close', () => r()));
  return {
    proc,
    lines,
    async waitFor(match, timeoutMs = 5000, what = 'an expected line') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = lines.find(match);
        if (hit !== undefined) return hit;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got:\n${lines.slice(-15).join('\n')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    events() {
      return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await closed;
    },
  };
}

export async function waitForWindow(display: string, title: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [id] = findWindows(display, { title });
    if (id) return id;
    if (Date.now() > deadline) throw new Error(`no window ${title} on ${display}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Parses xev's event blocks into {type, fields} records. */
export function xevEvents(lines: string[]): Array<{ type: string; text: string }> {
  const out: Array<{ type: string; text: string }> = [];
  for (const l of lines) {
    const m = /^(\w+) event, serial/.exec(l);
    if (m) out.push({ type: m[1], text: l });
    else if (out.length && l.startsWith(' ')) out[out.length - 1].text += '\n' + l;
  }
  return out;
}
