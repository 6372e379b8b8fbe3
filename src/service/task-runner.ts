import type { z } from 'zod';
import { createAgent } from '../../agents/registry.ts';
import { loadTaskFile, parseTask, TaskFileError, type Task } from '../core/task.ts';
import { secretNamesIn } from '../core/secrets.ts';
import { defaultTraceDir } from '../core/trace.ts';
import type { Summary } from '../core/trace-schema.ts';
import { runTask } from '../run/run-task.ts';
import type { RunTaskInputSchema } from './schemas.ts';
import { ServiceError } from './service-errors.ts';
import type { CallContext, SessionManager } from './session-manager.ts';

/**
 * run_task: a whole task in its own browser (or desktop), like `handeye run FILE`, under the
 * server's engine and policy. It holds a session slot while it runs, and the client going away
 * (or the request timeout) aborts it: the run ends, its summary is written, its browser closed.
 */
export async function runTaskForClient(m: SessionManager, input: z.infer<typeof RunTaskInputSchema>, ctx: CallContext): Promise<Summary> {
  const { task, file } = await loadTask(input);
  const commands = commandsIn(task);
  if (commands.length && !m.options.allowCommands) {
    throw new ServiceError('forbidden', `the task runs commands on the server (${commands.join('; ')}); start the server with --allow-commands to allow it`, 403);
  }
  if (!file) {
    // A client's own task may type only the secrets the server declared.
    const undeclared = secretNamesIn(task).filter((n) => !(m.options.secrets ?? []).includes(n));
    if (undeclared.length) throw new ServiceError('forbidden', `the task types ${undeclared.map((n) => `{{secret:${n}}}`).join(', ')}, which the server does not declare (--secret)`, 403);
  }
  const releaseDesktop = 'desktop' in task.app ? m.reserveDesktop() : () => {};
  let release: () => void;
  try {
    release = m.reserve(`run task ${task.id}`);
  } catch (e) {
    releaseDesktop();
    throw e;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), m.limits.requestTimeoutMs);
  const onGone = () => controller.abort();
  ctx.signal?.addEventListener('abort', onGone, { once: true });
  try {
    let agent;
    try {
      agent = await createAgent(m.options.engine);
    } catch (e) {
      throw new ServiceError('open-failed', `could not start the engine: ${(e as Error).message.split('\n')[0]}`, 502);
    }
    try {
      return await runTask({
        task,
        taskFile: file,
        agent,
        // The run's own budget, capped by the request timeout (which aborts it).
        timeoutMs: Math.min(task.timeoutMs, m.limits.requestTimeoutMs),
        traceDir: defaultTraceDir(task.id, m.options.traceRoot ?? 'traces'),
        serveRoot: file ? undefined : m.options.serveRoot,
        headed: m.options.headed,
        policy: m.options.policy,
        confirm: m.options.approveAll ? () => true : undefined,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'step') ctx.onProgress?.({ step: e.record.index, line: e.line });
        },
      });
    } finally {
      await agent.close?.().catch(() => {});
    }
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onGone);
    release();
    releaseDesktop();
  }
}

async function loadTask(input: z.infer<typeof RunTaskInputSchema>): Promise<{ task: Task; file?: string }> {
  try {
    if (input.file) return await loadTaskFile(input.file);
    return { task: parseTask(input.task, 'task') };
  } catch (e) {
    if (e instanceof TaskFileError) throw new ServiceError('bad-request', e.message, 400);
    throw new ServiceError('bad-request', `cannot read the task file ${input.file}: ${(e as Error).message.split('\n')[0]}`, 400);
  }
}

/** The commands a task would run on the server: its setup commands, command checkers, a desktop launch. */
function commandsIn(task: Task): string[] {
  const out: string[] = [];
  for (const s of task.setup) if ('command' in s) out.push(`setup: ${s.command.join(' ')}`);
  for (const c of task.success) if ('command' in c) out.push(`success check: ${c.command.join(' ')}`);
  if ('desktop' in task.app && task.app.desktop.launch) out.push(`launch: ${task.app.desktop.launch.join(' ')}`);
  return out;
}
