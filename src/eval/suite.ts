import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadTaskFile, TaskFileError, type Task } from '../core/task.ts';

/**
 * Suite loading and seeding for `handeye eval`.
 *
 * Seeds reach a page through its URL: the episode of task T with seed N opens T's
 * `app.web.url` with `seed=N` added to the query string (replacing a `seed` already there).
 * Suite pages read it with `new URLSearchParams(location.search).get('seed')`.
 */

export interface SuiteTask {
  task: Task;
  /** Absolute path of the task file. */
  file: string;
  category: string;
  /** A page that shows its own instruction (MiniWoB++): read after the setup, it is the goal. */
  goalFromPage?: string;
  /** A page that keeps its own score: read at the end into the episode's reward. */
  rewardFromPage?: string;
  /** The folder its page is served from, when not the task file's tasks/ folder. */
  serveRoot?: string;
  /** The setup of the episode at `seed`, when the page is seeded by script rather than by its URL. */
  seededSetup?: (seed: number) => Task['setup'];
}

/** A task file that could not be used: reported in the summary, never silently dropped. */
export interface InvalidTask {
  file: string;
  error: string;
}

export class SuiteError extends Error {
  override name = 'SuiteError';
}

export const UNCATEGORIZED = 'uncategorized';
const TASK_FILE = /\.task\.ya?ml$/i;

function taskFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => TASK_FILE.test(f))
    .map((f) => path.join(dir, f))
    .sort();
}

/** Task files and suite folders → tasks. A missing input is an error; a bad task file is recorded as invalid. */
/** The task files found under the inputs: the valid ones, and why the others were skipped. */
export interface Suite {
  tasks: SuiteTask[];
  invalid: InvalidTask[];
}

export async function loadSuite(inputs: string[]): Promise<Suite> {
  if (!inputs.length) throw new SuiteError('give a suite folder or task files to evaluate');
  const files: string[] = [];
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch {
      throw new SuiteError(`${input} does not exist (expected a suite folder or a .task.yaml file)`);
    }
    if (st.isDirectory()) {
      const found = taskFilesUnder(input);
      if (!found.length) throw new SuiteError(`${input} holds no *.task.yaml files`);
      files.push(...found);
    } else files.push(input);
  }
  const tasks: SuiteTask[] = [];
  const invalid: InvalidTask[] = [];
  const seen = new Map<string, string>();
  for (const f of [...new Set(files.map((f) => path.resolve(f)))]) {
    try {
      const { task } = await loadTaskFile(f);
      if (!('web' in task.app)) throw new TaskFileError(f, ['eval runs web tasks only (app.web); desktop tasks need a desktop executor']);
      const other = seen.get(task.id);
      if (other) throw new TaskFileError(f, [`task id ${JSON.stringify(task.id)} is also used by ${other}; ids name episode folders and must be unique`]);
      seen.set(task.id, f);
      tasks.push({ task, file: f, category: task.category ?? UNCATEGORIZED });
    } catch (e) {
      if (!(e instanceof TaskFileError)) throw e;
      invalid.push({ file: f, error: e.message });
    }
  }
  return { tasks, invalid };
}

/** The seeds to run: --seed-list wins, else 0..seeds-1. */
export function resolveSeeds(o: { seeds?: number; seedList?: number[] }): number[] {
  if (o.seedList?.length) {
    for (const s of o.seedList) if (!Number.isInteger(s) || s < 0) throw new SuiteError(`seeds must be non-negative integers, got ${s}`);
    return [...new Set(o.seedList)];
  }
  const n = o.seeds ?? DEFAULT_SEEDS;
  if (!Number.isInteger(n) || n <= 0) throw new SuiteError(`--seeds must be a positive integer, got ${n}`);
  return Array.from({ length: n }, (_, i) => i);
}

export const DEFAULT_SEEDS = 3;

/** `url` with `seed=N` in its query string; keeps the path, other parameters and the hash. */
export function seededUrl(url: string, seed: number): string {
  const hashAt = url.indexOf('#');
  const base = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const [pathPart, query = ''] = base.split(/\?(.*)/s, 2);
  const params = new URLSearchParams(query);
  params.set('seed', String(seed));
  return `${pathPart}?${params.toString()}${hash}`;
}

/** An episode's folder relative to the eval folder: episodes/<task-id>/seed-<n>. */
export function episodeRelDir(taskId: string, seed: number): string {
  return path.posix.join('episodes', taskId, `seed-${seed}`);
}
