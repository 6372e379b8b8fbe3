import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SimBox } from '../../agents/profile/simulate.ts';
import { startSimServer, type SimServer } from '../support/sim-server.ts';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const FIXTURE_TASKS = path.join(import.meta.dirname, 'fixtures/tasks');
export const BUTTONS_TASK = path.join(FIXTURE_TASKS, 'buttons/buttons.task.yaml');

/** The fixture's button boxes in CSS px of its 800x600 viewport. */
export const BUTTONS: Record<string, SimBox> = {
  One: [20, 20, 220, 80],
  Two: [20, 100, 220, 160],
  Three: [20, 180, 220, 240],
  Four: [20, 260, 220, 320],
};

/** A simulated generic-family model that clicks the button the instruction quotes (or "One"), after a delay. */
export async function buttonsModel(delayMs = 0): Promise<SimServer> {
  return startSimServer({
    family: 'generic',
    answerKey: async (instruction, size) => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      const label = /"(One|Two|Three|Four)"/.exec(instruction)?.[1] ?? 'One';
      return { kind: 'click', box: BUTTONS[label].map((v) => (v * size.width) / 800) as SimBox, label };
    },
  });
}

export interface CliRun {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves when stderr matches. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  exit: Promise<number | null>;
}

/** `handeye run …` as a child process, stdin a pipe (not a terminal). */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/handeye.mjs'), ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of [...waiters]) if (w.re.test(err)) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  });
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    out: () => out,
    err: () => err,
    exit,
    waitFor: (re, timeoutMs = 90_000) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(err)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no ${re} on stderr within ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
        waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
        exit.then(() => setTimeout(() => reject(new Error(`exited before ${re}; stderr:\n${err}`)), 50));
      }),
  };
}

export function simArgs(sim: SimServer): string[] {
  return ['--engine', 'openai', '--base-url', sim.baseUrl, '--model', 'sim', '--family', 'generic'];
}
