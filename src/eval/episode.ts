import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Agent } from '../core/agent.ts';
import type { Task } from '../core/task.ts';
import type { Summary } from '../core/trace-schema.ts';
import { BrowserExecutor } from '../executors/browser/browser-executor.ts';
import { runTask, serveRootFor } from '../run/run-task.ts';
import type { StaticServer } from '../run/static-server.ts';
import { seededUrl, type SuiteTask } from './suite.ts';
import type { Episode } from './summary.ts';

/**
 * One eval episode, end to end: serve the task's page at its seed, open a fresh context in the
 * worker's browser, run the task, and turn the run's summary into the episode record. Shared by
 * the local eval and the queue's workers.
 */

/** One task at one seed, and the folder (relative to the eval's output) its record goes in. */
export interface Planned {
  st: SuiteTask;
  seed: number;
  rel: string;
}

/** What an episode runs with: the worker's agent and browser, the page servers, the eval's settings. */
export interface EpisodeEnv {
  /** The folder `rel` is relative to. */
  out: string;
  agent: Agent;
  getBrowser: () => Promise<Browser>;
  serverFor: (root: string) => Promise<StaticServer>;
  mode: 'goal' | 'steps';
  maxSteps?: number;
  signal?: AbortSignal;
  browserWs?: string;
}

export function taskFor(st: SuiteTask, mode: 'goal' | 'steps', url: string, seed = 0): Task {
  const web = 'web' in st.task.app ? st.task.app.web : undefined;
  const t: Task = { ...st.task, app: { web: { ...web!, url } }, ...(st.seededSetup ? { setup: st.seededSetup(seed) } : {}) };
  if (mode === 'goal' && t.goal) delete t.steps;
  if (mode === 'steps' && t.steps) delete t.goal;
  return t;
}

/** Whether a run that ended in error never reached the agent because the environment failed. */
export function isEnvError(s: Summary): boolean {
  return s.reason === 'error' && s.steps === 0 && /^(could not open|setup |desktop tasks need|Chromium|could not open a browser)/.test(s.detail ?? '');
}

export function toEpisode(p: Planned, s: Summary, url: string, envDetail?: string): Episode {
  const t = s.timings;
  const env = envDetail !== undefined || isEnvError(s);
  return {
    task: p.st.task.id,
    seed: p.seed,
    category: p.st.category,
    kind: env ? 'env-error' : 'completed',
    success: env ? false : s.success,
    reason: s.reason,
    detail: envDetail ?? s.detail,
    steps: s.steps,
    traceDir: p.rel,
    modelMs: Math.round(t.modelMs),
    envMs: Math.round(t.captureMs + t.actMs + t.settleMs),
    timings: { captureMs: Math.round(t.captureMs), modelMs: Math.round(t.modelMs), actMs: Math.round(t.actMs), settleMs: Math.round(t.settleMs) },
    tokens: s.tokens,
    parseFailures: s.parseFailures,
    repairs: s.repairs,
    durationMs: Math.round(s.durationMs),
    url,
    finishedAt: new Date().toISOString(),
    ...(s.endpoints?.length ? { endpoints: s.endpoints } : {}),
  };
}

export function envErrorEpisode(p: Planned, url: string, detail: string): Episode {
  const zero = { captureMs: 0, modelMs: 0, actMs: 0, settleMs: 0 };
  return toEpisode(p, { runId: '', taskId: p.st.task.id, engine: '', success: false, reason: 'error', detail, steps: 0, startedAt: '', durationMs: 0, timings: zero, tokens: { input: 0, output: 0 }, repairs: 0, parseFailures: 0, checks: [], traceDir: '' }, url, detail);
}

/** Asks the static server for the page first: a 404 loads fine in a browser but is no episode. */
export async function preflight(url: string): Promise<string | undefined> {
  if (!/^https?:/i.test(url)) return undefined;
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    await r.body?.cancel();
    return r.ok ? undefined : `could not open ${url}: the server answered HTTP ${r.status}`;
  } catch (e) {
    return `could not open ${url}: ${(e as Error).message}`;
  }
}

const DISCONNECT_GRACE_MS = 1000;

/** The page's own score ({raw, reward, reason}), when it kept one. */
async function pageReward(executor: BrowserExecutor, expression: string): Promise<Episode['reward']> {
  try {
    const r = (await executor.evaluate(expression)) as { raw?: unknown; reward?: unknown; reason?: unknown } | null | undefined;
    if (!r || typeof r.raw !== 'number') return undefined;
    return { raw: r.raw, reward: typeof r.reward === 'number' ? r.reward : r.raw, ...(r.reason != null ? { reason: String(r.reason) } : {}) };
  } catch {
    return undefined;
  }
}

function disconnectedWithin(browser: Browser, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      browser.off('disconnected', done);
      resolve();
    }
    browser.once('disconnected', done);
  });
}

/** Runs one episode; undefined when it was aborted (not recorded: a rerun does it again). */
export async function runEpisode(p: Planned, env: EpisodeEnv): Promise<Episode | undefined> {
  const dir = path.join(env.out, p.rel);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const web = 'web' in p.st.task.app ? p.st.task.app.web : undefined;
  if (!web) return envErrorEpisode(p, '', 'not a web task');
  const root = p.st.serveRoot ?? serveRootFor(p.st.file);
  let url: string;
  try {
    url = (await env.serverFor(root)).resolve(seededUrl(web.url, p.seed));
  } catch (e) {
    return envErrorEpisode(p, web.url, `could not serve ${root}: ${(e as Error).message}`);
  }
  const bad = await preflight(url);
  if (bad) return envErrorEpisode(p, url, bad);
  let executor: BrowserExecutor;
  let browser: Browser;
  try {
    browser = await env.getBrowser();
    executor = await BrowserExecutor.launch({ viewport: web.viewport, deviceScaleFactor: web.deviceScaleFactor, isMobile: web.isMobile, browser });
  } catch (e) {
    return envErrorEpisode(p, url, `could not open a browser context: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    const summary = await runTask({ task: taskFor(p.st, env.mode, url, p.seed), taskFile: p.st.file, serveRoot: root, agent: env.agent, executor, traceDir: path.join(dir, 'trace'), maxSteps: env.maxSteps, signal: env.signal, goalFromPage: p.st.goalFromPage });
    const reward = p.st.rewardFromPage ? await pageReward(executor, p.st.rewardFromPage) : undefined;
    if (summary.reason === 'aborted' || env.signal?.aborted) return undefined;
    // The browser (a remote browser server, or our own) went away under the episode: the environment failed, not the agent.
    // A run that failed on a dead page may end before the connection's close is noticed: give it a moment.
    if (!summary.success && summary.reason === 'error' && browser.isConnected()) await disconnectedWithin(browser, DISCONNECT_GRACE_MS);
    const lost = !browser.isConnected() && !summary.success ? `the browser connection dropped during the episode${env.browserWs ? ` (${env.browserWs})` : ''}: ${summary.detail ?? summary.reason}` : undefined;
    return { ...toEpisode(p, summary, url, lost), traceDir: path.posix.join(p.rel, 'trace'), ...(summary.goal ? { goal: summary.goal } : {}), ...(reward ? { reward } : {}) };
  } finally {
    await executor.close();
  }
}
