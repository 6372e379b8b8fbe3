import path from 'node:path';
import type { Task } from '../core/task.ts';
import type { StepRecord } from '../core/trace-schema.ts';
import { compileActions, type CompiledStep, type RecordedStep } from './compile-actions.ts';
import { CompileError, readRecordedRun } from './read-run.ts';
import { recordedFrame, screenAfter, screenOf, type Screen } from './screen.ts';
import { compiledTask, taskYaml, writeCompiled } from './write-task.ts';

export { CompileError } from './read-run.ts';

/**
 * `handeye compile <trace-dir>`: a finished run (any engine, web or desktop) → a scripted task
 * file whose steps name their targets by what is visible, runnable on the embedded engine.
 */

export interface CompileOptions {
  /** The task file to write; default beside the run's task file (<name>.compiled.task.yaml), else ./<id>.compiled.task.yaml. */
  out?: string;
  /** Compile without writing anything (the result still holds the YAML). */
  dryRun?: boolean;
}

export interface CompileResult {
  file: string;
  yaml: string;
  task: Task;
  steps: CompiledStep[];
  /** Template crops written beside the task file. */
  templates: string[];
  warnings: string[];
  /** Records that performed actions. */
  recordedSteps: number;
  ms: number;
}

/** Where the compiled task goes by default: relative web URLs resolve against the tasks/ folder above it, as for the original. */
export function defaultOut(taskId: string, taskFile: string | undefined): string {
  if (taskFile) {
    const base = path.basename(taskFile).replace(/(\.task)?\.ya?ml$/i, '');
    return path.join(path.dirname(taskFile), `${base}.compiled.task.yaml`);
  }
  return path.resolve(`${taskId}.compiled.task.yaml`);
}

function assetDirName(out: string): string {
  return `${path.basename(out).replace(/(\.task)?\.ya?ml$/i, '').replace(/[^\w.-]+/g, '_')}.assets`;
}

export async function compileTrace(dir: string, o: CompileOptions = {}): Promise<CompileResult> {
  const t0 = performance.now();
  const run = await readRecordedRun(dir);
  const out = path.resolve(o.out ?? defaultOut(run.task.id, run.taskFile));
  if (!/\.ya?ml$/i.test(out)) throw new CompileError(`--out ${out}: a task file name ends in .yaml or .yml`);
  const assets = assetDirName(out);
  const all = run.trace.steps;
  // Consecutive frames of a run differ a little: each screen is read from the one before it that
  // compile needs (an acted step's frame, or the frame after one), re-reading only what changed.
  const needed = all.filter((s, i) => run.acted.includes(s) || (i > 0 && run.acted.includes(all[i - 1])));
  const screens = new Map<number, Promise<Screen>>();
  const screenAt = (r: StepRecord): Promise<Screen> => {
    let s = screens.get(r.index);
    if (!s) {
      const earlier = needed.filter((n) => n.index < r.index).at(-1);
      s = Promise.all([recordedFrame(run.trace.dir, r), earlier && screenAt(earlier).catch(() => undefined)]).then(([f, e]) => (e ? screenAfter(f, e) : screenOf(f)));
      screens.set(r.index, s);
    }
    return s;
  };
  const recorded: RecordedStep[] = run.acted.map((record) => {
    const next = all.find((s) => s.index > record.index);
    return { record, screen: () => screenAt(record), ...(next ? { after: () => screenAt(next) } : {}) };
  });
  // Every frame is needed: a missing one is an error before any work, naming each.
  for (const r of run.acted) await recordedFrame(run.trace.dir, r);
  const { steps, warnings } = await compileActions(recorded, { assetFile: (n) => `${assets}/step-${String(n).padStart(2, '0')}.png` });
  if (!steps.length) throw new CompileError(`the run at ${dir} performed no action a task step can express`);
  const h = run.header;
  const from = h.task.goal ? `the goal ${JSON.stringify(h.task.goal)}` : `${h.task.steps?.length ?? 0} scripted step(s)`;
  const description = `${run.task.description ? `${run.task.description} ` : ''}(compiled from ${from})`.trim();
  const { value, task } = compiledTask({ ...run.task, app: run.task.app! }, steps, description);
  const header = [
    `Compiled by \`handeye compile\` from the run ${h.runId} (engine ${h.engine}, started ${h.startedAt}),`,
    `trace ${run.trace.dir}.`,
    'Each step names its target by what is visible on screen; edit them like any task file.',
    ...(steps.some((s) => s.templates.length) ? [`Targets nothing visible names are template crops in ${assets}/.`] : []),
  ];
  const yaml = taskYaml(value, header, steps.map((s) => s.note));
  const templates = o.dryRun ? [] : await writeCompiled(out, yaml, steps);
  return { file: out, yaml, task, steps, templates, warnings: [...run.warnings, ...warnings], recordedSteps: run.acted.length, ms: performance.now() - t0 };
}
