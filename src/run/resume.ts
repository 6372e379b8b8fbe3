import path from 'node:path';
import { readTrace } from '../core/trace.ts';

export class ResumeError extends Error {
  override name = 'ResumeError';
}

export interface ResumePoint {
  /** The task file the interrupted run used. */
  taskFile: string;
  /** The first scripted step not yet completed. */
  fromStep: number;
  traceDir: string;
}

/**
 * Where an interrupted scripted run stands: the step after the last one its trace records as
 * completed. Older traces without `stepCompleted` count a step done when a later record moved on.
 */
export function resumePoint(traceDir: string): ResumePoint {
  const trace = readTrace(traceDir);
  const header = trace.header;
  if (!header) throw new ResumeError(`${traceDir}: the trace has no run header; nothing to resume`);
  const steps = header.task.steps;
  if (!steps?.length) throw new ResumeError(`${traceDir}: only scripted tasks (with steps) can be resumed; this run had a goal`);
  if (!header.task.file) throw new ResumeError(`${traceDir}: the trace does not say which task file it ran`);
  if (trace.summary && (trace.summary.reason === 'steps-completed' || trace.summary.success)) {
    throw new ResumeError(`${traceDir}: the run already ended with ${trace.summary.reason}; nothing to resume`);
  }
  let done = -1;
  const records = trace.steps.filter((s) => s.stepIndex !== undefined);
  records.forEach((s, i) => {
    const movedOn = records.slice(i + 1).some((later) => later.stepIndex! > s.stepIndex!);
    if (s.stepCompleted === true || (s.stepCompleted === undefined && movedOn)) done = Math.max(done, s.stepIndex!);
  });
  const fromStep = done + 1;
  if (fromStep >= steps.length) throw new ResumeError(`${traceDir}: every scripted step is already done`);
  return { taskFile: header.task.file, fromStep, traceDir: path.resolve(traceDir) };
}

/** A fresh trace directory beside the interrupted one: <dir>-resumed-<n>. */
export function resumedTraceDir(traceDir: string, exists: (p: string) => boolean): string {
  const base = path.resolve(traceDir).replace(/-resumed-\d+$/, '');
  for (let n = 1; ; n++) {
    const dir = `${base}-resumed-${n}`;
    if (!exists(dir)) return dir;
  }
}
