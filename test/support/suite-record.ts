import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Agent } from '../../src/core/agent.ts';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { taskFor } from '../../src/eval/episode.ts';
import { loadSuite, seededUrl, type SuiteTask } from '../../src/eval/suite.ts';
import { runTask, type RunTaskOptions } from '../../src/run/run-task.ts';
import type { StaticServer } from '../../src/run/static-server.ts';
import type { Summary } from '../../src/core/trace-schema.ts';
import { SimulatedVlm } from './sim-vlm.ts';

/** The bundled seeded suite's folder, and the tasks folder its pages are served from. */
export const TASKS_ROOT = path.resolve(import.meta.dirname, '../../tasks');
export const SUITE_DIR = path.join(TASKS_ROOT, 'suite');

/** One task of the bundled suite, by its folder name. */
export async function suiteTask(name: string): Promise<SuiteTask> {
  return (await loadSuite([path.join(SUITE_DIR, name)])).tasks[0];
}

export interface SuiteRunOptions {
  st: SuiteTask;
  seed: number;
  browser: Browser;
  server: StaticServer;
  traceDir: string;
  /** The agent, given the executor (the simulated VLM reads its page). */
  agent: (executor: BrowserExecutor) => Agent;
  /** A different task to run at this seed's page (a compiled one). */
  task?: SuiteTask['task'];
  extra?: Partial<RunTaskOptions>;
}

/** One suite task at one seed in a fresh context of a shared browser, in steps mode. */
export async function runSuiteTask(o: SuiteRunOptions): Promise<Summary> {
  const st: SuiteTask = o.task ? { ...o.st, task: o.task } : o.st;
  const web = 'web' in st.task.app ? st.task.app.web : undefined;
  if (!web) throw new Error(`${st.task.id} is not a web task`);
  const url = o.server.resolve(seededUrl(web.url, o.seed));
  const executor = await BrowserExecutor.launch({ viewport: web.viewport, deviceScaleFactor: web.deviceScaleFactor, isMobile: web.isMobile, browser: o.browser });
  try {
    return await runTask({ task: taskFor(st, 'steps', url, o.seed), taskFile: st.file, serveRoot: TASKS_ROOT, agent: o.agent(executor), executor, traceDir: o.traceDir, ...o.extra });
  } finally {
    await executor.close();
  }
}

/** Records a suite task with the simulated VLM (what `handeye compile` is then given). */
export async function recordWithSimVlm(o: Omit<SuiteRunOptions, 'agent'> & { latencyMs?: number }): Promise<{ summary: Summary; vlm: SimulatedVlm }> {
  let vlm: SimulatedVlm | undefined;
  const summary = await runSuiteTask({
    ...o,
    agent: (executor) => {
      vlm = new SimulatedVlm({ page: () => executor.page, latencyMs: o.latencyMs });
      return vlm.agent();
    },
  });
  return { summary, vlm: vlm! };
}
