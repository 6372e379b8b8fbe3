import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTaskFile, TaskFileError, type Task } from '../core/task.ts';
import { readTrace, TraceError, type ReadTrace } from '../core/trace.ts';
import { TRACE_VERSION, type RunHeader, type StepRecord } from '../core/trace-schema.ts';

/**
 * A finished (or interrupted) run read back for compiling: its header, the steps whose actions
 * were performed, the task it ran (from its task file when that still exists, else from the
 * header), and warnings about what is missing or odd.
 */

export class CompileError extends Error {
  override name = 'CompileError';
}

export interface RecordedRun {
  trace: ReadTrace;
  header: RunHeader;
  /** Records that performed at least one action, in order. */
  acted: StepRecord[];
  /** The task the run ran: its file's when readable (setup, success checks), else rebuilt from the header. */
  task: Partial<Task> & Pick<Task, 'id'>;
  taskFile?: string;
  warnings: string[];
}

/** The version a trace's first line declares, when it is a run header at all. */
function declaredVersion(dir: string): unknown {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'trace.jsonl'), 'utf8');
  } catch {
    return undefined;
  }
  const first = text.split('\n').find((l) => l.trim());
  try {
    const v = JSON.parse(first ?? '');
    return v?.type === 'run' ? v.version : undefined;
  } catch {
    return undefined;
  }
}

export async function readRecordedRun(dir: string): Promise<RecordedRun> {
  let trace: ReadTrace;
  try {
    trace = readTrace(dir);
  } catch (e) {
    if (e instanceof TraceError) throw new CompileError(`${e.message}; give the folder a run wrote (its trace.jsonl and frames/)`);
    throw e;
  }
  const version = declaredVersion(dir);
  if (version !== undefined && version !== TRACE_VERSION) {
    throw new CompileError(`${dir} is a version ${JSON.stringify(version)} trace; this handeye reads version ${TRACE_VERSION}. Record the run again with this version (or compile it with the handeye that wrote it)`);
  }
  if (!trace.header) throw new CompileError(`${dir}/trace.jsonl has no readable run header (first line); it is not a handeye trace or it is damaged`);
  const warnings: string[] = [];
  if (trace.damaged) warnings.push(`${trace.damaged} line(s) of trace.jsonl could not be read and were skipped`);
  const acted = trace.steps.filter((s) => s.actions.some((a) => a.action !== 'finish' && a.action !== 'fail'));
  if (!trace.summary) warnings.push(`the run did not finish (no end record, no summary.json): compiling the ${acted.length} step(s) it performed before it stopped`);
  else if (!trace.summary.success) warnings.push(`the run did not succeed (${trace.summary.reason}${trace.summary.detail ? `: ${trace.summary.detail}` : ''}); the compiled task repeats what it did`);
  if (!acted.length) throw new CompileError(`the trace at ${dir} holds no performed action to compile (${trace.steps.length} step record(s), none acted)`);
  const { task, taskFile } = await recordedTask(trace.header, warnings);
  return { trace, header: trace.header, acted, task, taskFile, warnings };
}

/** The task the run ran: its file when it still exists and parses, else what the header kept. */
async function recordedTask(h: RunHeader, warnings: string[]): Promise<{ task: RecordedRun['task']; taskFile?: string }> {
  const file = h.task.file;
  if (file && existsSync(file)) {
    try {
      const { task } = await loadTaskFile(file);
      return { task, taskFile: file };
    } catch (e) {
      if (!(e instanceof TaskFileError)) throw e;
      warnings.push(`the run's task file ${file} no longer parses (${e.message}); setup and success checks are not carried over`);
    }
  } else if (file) {
    warnings.push(`the run's task file ${file} is gone; setup and success checks are not carried over`);
  }
  if (!h.task.app) {
    throw new CompileError(`the trace names no app to open (no readable task file, and its header predates recording the app); run the task again to record it`);
  }
  return { task: { id: h.task.id, app: h.task.app as Task['app'], ...(h.task.goal ? { goal: h.task.goal } : {}) } };
}
