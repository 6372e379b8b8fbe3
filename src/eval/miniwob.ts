import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseTask } from '../core/task.ts';
import { SuiteError, type SuiteTask } from './suite.ts';

/**
 * MiniWoB++ tasks as eval episodes, from the `html/` folder of a MiniWoB++ checkout the user has
 * (Farama-Foundation/miniwob-plusplus, miniwob/html). Each episode follows the Python
 * environment's protocol (miniwob/selenium_instance.py): open `miniwob/<task>.html`, end any
 * running episode (`core.endEpisode(0)`), seed it (`Math.seedrandom(seed)`), set the data mode
 * (`core.setDataMode`), start it (`core.startEpisodeReal()`), wait for `WOB_TASK_READY`, take the
 * utterance (`core.getUtterance()`) as the goal, and read `WOB_RAW_REWARD_GLOBAL` /
 * `WOB_REWARD_GLOBAL` / `WOB_REWARD_REASON` when it ends. The window is 500×320, as there
 * (miniwob/constants.py). Ours: the episode's first result is kept, and the START cover cannot
 * begin a second episode, so a click after the end cannot replace the score.
 */

export interface MiniwobOptions {
  /** The html folder (holding miniwob/ and core/), or its miniwob/ folder. */
  dir: string;
  /** Task names (click-test, enter-text, …); default every task in the folder. */
  tasks?: string[];
  /** The page's episode time limit (core.EPISODE_MAX_TIME); the official default is 10 s. */
  timeLimitMs?: number;
  /** core.setDataMode: "train" (the Python environment's default) or "test". */
  dataMode?: 'train' | 'test';
}

export const MINIWOB_WINDOW: [number, number] = [500, 320];
export const MINIWOB_DEFAULT_TIME_MS = 10_000;

/** The utterance, whichever form core.getUtterance() returns (a string, or {utterance, fields}). */
export const MINIWOB_UTTERANCE = `(() => { const r = core.getUtterance(); return typeof r === 'string' ? r : r && r.utterance; })()`;
/** The first episode's score, as the setup recorded it. */
export const MINIWOB_REWARD = 'window.__handeyeMiniwob || null';

/** The setup of one episode at `seed`: the Python environment's reset, then ours (keep the first score). */
export function miniwobSetup(seed: number, timeLimitMs: number, dataMode: string): string {
  return `(async () => {
  core.endEpisode(0);
  Math.seedrandom(${JSON.stringify(seed)});
  if (typeof core.setDataMode === 'function') core.setDataMode(${JSON.stringify(dataMode)});
  core.EPISODE_MAX_TIME = ${Math.round(timeLimitMs)};
  const end = core.endEpisode;
  core.endEpisode = function () {
    end.apply(this, arguments);
    if (WOB_DONE_GLOBAL && window.__handeyeMiniwob === undefined) window.__handeyeMiniwob = { raw: WOB_RAW_REWARD_GLOBAL, reward: WOB_REWARD_GLOBAL, reason: WOB_REWARD_REASON };
  };
  core.startEpisodeReal();
  core.startEpisodeReal = function () {};
  for (let i = 0; i < 20 && !WOB_TASK_READY; i++) await new Promise((r) => setTimeout(r, 50));
  if (!WOB_TASK_READY) throw new Error('the task did not become ready (WOB_TASK_READY) within 1 s');
})()`;
}

/** The folder holding <task>.html files, given the html folder or that folder itself. */
export function miniwobTaskDir(dir: string): string {
  const candidates = [path.join(dir, 'miniwob'), path.join(dir, 'html', 'miniwob'), dir];
  const found = candidates.find((d) => existsSync(d) && statSync(d).isDirectory() && readdirSync(d).some((f) => f.endsWith('.html')) && existsSync(path.join(d, '..', 'core')));
  if (!found) throw new SuiteError(`--miniwob ${dir}: no MiniWoB++ tasks there (expected the html/ folder of a MiniWoB++ checkout, holding miniwob/<task>.html and core/core.js)`);
  return found;
}

/**
 * One SuiteTask per MiniWoB++ task, seeded per episode by the eval's seeds. The episode is served
 * from the html folder; its goal is the page's utterance; success is a raw reward of 1.
 */
export function miniwobSuite(o: MiniwobOptions): SuiteTask[] {
  const taskDir = miniwobTaskDir(o.dir);
  const available = readdirSync(taskDir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.slice(0, -'.html'.length))
    .sort();
  const wanted = o.tasks?.length ? o.tasks : available;
  const missing = wanted.filter((t) => !available.includes(t));
  if (missing.length) throw new SuiteError(`--miniwob-tasks: ${missing.join(', ')} not in ${taskDir} (it has ${available.slice(0, 8).join(', ')}${available.length > 8 ? ', …' : ''})`);
  const timeLimit = o.timeLimitMs ?? MINIWOB_DEFAULT_TIME_MS;
  const mode = o.dataMode ?? 'train';
  const root = path.dirname(taskDir);
  const tasks = wanted.map((name): SuiteTask => {
    const file = path.join(taskDir, `${name}.html`);
    const task = parseTask(
      {
        id: `miniwob.${name}`,
        category: 'miniwob',
        app: { web: { url: `/${path.basename(taskDir)}/${name}.html`, viewport: MINIWOB_WINDOW } },
        goal: '(the utterance the page shows)',
        // Each episode's own seed goes in at run time (seededSetup).
        setup: [{ js: miniwobSetup(0, timeLimit, mode) }],
        success: [{ js: 'window.__handeyeMiniwob != null && window.__handeyeMiniwob.raw >= 1' }],
        timeoutMs: Math.max(60_000, timeLimit + 30_000),
      },
      file,
    );
    return {
      task,
      file,
      category: 'miniwob',
      serveRoot: root,
      goalFromPage: MINIWOB_UTTERANCE,
      rewardFromPage: MINIWOB_REWARD,
      seededSetup: (seed) => [{ js: miniwobSetup(seed, timeLimit, mode) }],
    };
  });
  return tasks;
}
