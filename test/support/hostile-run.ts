import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TreeWatch, survivorsAfter } from './process-tree.ts';

/**
 * Runs `handeye run` as a child process against something hostile and measures what a user
 * would: the exit code, the wall time, whether summary.json was written, which processes it
 * started outlived it, how big the trace grew, and whether a secret reached any output.
 */

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface HostileRunOptions {
  args: string[];
  env?: NodeJS.ProcessEnv;
  traceDir: string;
  /** A signal to send, when stderr first matches `when` (or after `when` ms), `delayMs` later. */
  signal?: { name: NodeJS.Signals; when: RegExp | number; delayMs?: number };
  /** Kill the run (and report it as hung) after this long. */
  killAfterMs: number;
  /** Strings that must appear in no output (secrets, the API key). */
  secrets?: string[];
  /** Run it under a shell that is itself killed (SIGKILL) when `signal` fires: a dying npx. */
  viaParent?: boolean;
}

export interface HostileOutcome {
  exit: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** The run had to be killed after killAfterMs. */
  hung: boolean;
  summary?: Record<string, unknown>;
  /** Processes it started that were still alive 5 s after it ended. */
  survivors: string[];
  /** Command lines of every process seen in its tree while it ran. */
  started: string[];
  traceBytes: number;
  /** Where a secret was found: stdout, stderr, or a file of the trace. */
  leaks: string[];
  stdout: string;
  stderr: string;
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const s = statSync(p);
    n += s.isDirectory() ? dirBytes(p) : s.size;
  }
  return n;
}

function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? filesIn(path.join(dir, n)) : [path.join(dir, n)]));
}

export async function runHostile(o: HostileRunOptions): Promise<HostileOutcome> {
  mkdirSync(path.dirname(o.traceDir), { recursive: true });
  const cli = [path.join(REPO, 'bin/handeye.mjs'), 'run', ...o.args, '--trace', o.traceDir, '--json'];
  const child = o.viaParent
    ? spawn('sh', ['-c', `"${process.execPath}" ${cli.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}; exit $?`], { cwd: REPO, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, cli, { cwd: REPO, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = Date.now();
  const watch = new TreeWatch(child.pid!);
  let stdout = '';
  let stderr = '';
  let signalled = false;
  const fire = () => {
    if (signalled || !o.signal) return;
    signalled = true;
    setTimeout(() => {
      watch.sample();
      child.kill(o.viaParent ? 'SIGKILL' : o.signal!.name);
    }, o.signal.delayMs ?? 0);
  };
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (o.signal && o.signal.when instanceof RegExp && o.signal.when.test(stderr)) fire();
  });
  const timer = o.signal && typeof o.signal.when === 'number' ? setTimeout(fire, o.signal.when) : undefined;
  let hung = false;
  const killer = setTimeout(() => {
    hung = true;
    watch.killSurvivors();
    child.kill('SIGKILL');
  }, o.killAfterMs);
  // A shell killed mid-run leaves handeye running on its own: wait for the tree, not just the shell.
  const [exit, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('exit', (c, s) => r([c, s])));
  if (o.viaParent) while (!hung && watch.survivors().some((s) => s.includes('handeye.mjs'))) await new Promise((r) => setTimeout(r, 50));
  const wallMs = Date.now() - started;
  clearTimeout(timer);
  clearTimeout(killer);
  watch.stop();
  const survivors = await survivorsAfter(watch, 5000);
  watch.killSurvivors();
  let summary: Record<string, unknown> | undefined;
  try {
    summary = JSON.parse(readFileSync(path.join(o.traceDir, 'summary.json'), 'utf8'));
  } catch {
    summary = undefined;
  }
  const leaks: string[] = [];
  for (const secret of o.secrets ?? []) {
    if (stdout.includes(secret)) leaks.push(`stdout has ${secret}`);
    if (stderr.includes(secret)) leaks.push(`stderr has ${secret}`);
    for (const f of filesIn(o.traceDir)) if (readFileSync(f).includes(secret)) leaks.push(`${path.relative(o.traceDir, f)} has ${secret}`);
  }
  return { exit, signal: sig, wallMs, hung, summary, survivors, started: [...watch.seen.values()], traceBytes: dirBytes(o.traceDir), leaks, stdout, stderr };
}

/** A task file for a page (absolute URL) and goal, written into `dir`. */
export function writeTask(dir: string, name: string, url: string, extra: string[] = []): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.task.yaml`);
  writeFileSync(file, [`id: ${name}`, 'app:', `  web: { url: "${url}", viewport: [800, 600], deviceScaleFactor: 1 }`, ...extra].join('\n') + '\n');
  return file;
}
