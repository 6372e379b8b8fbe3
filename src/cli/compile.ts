import type { Command } from 'commander';
import { EXIT, UsageError, type Io } from './options.ts';

/** `handeye compile <trace-dir> [--out task.yaml]`: a recorded run → a task file the embedded engine replays without a model. */

interface CompileFlags {
  out?: string;
  json?: boolean;
  dryRun?: boolean;
}

export function registerCompile(program: Command, io: Io, result: { code: number }): void {
  program
    .command('compile')
    .description('turn a finished run (its trace folder) into a scripted task file whose steps name their targets by what is visible; run it on the embedded engine, no model needed')
    .argument('<trace-dir>', 'the trace folder a run wrote (trace.jsonl and frames/)')
    .option('--out <file>', "the task file to write (default: beside the run's task file, <name>.compiled.task.yaml)")
    .option('--dry-run', 'print the compiled task instead of writing it')
    .option('--json', 'print what was compiled as JSON on stdout')
    .action(async (dir: string, flags: CompileFlags) => {
      result.code = await compileCommand(dir, flags, io);
    });
}

async function compileCommand(dir: string, flags: CompileFlags, io: Io): Promise<number> {
  const { compileTrace, CompileError } = await import('../compile/compile-trace.ts');
  try {
    const r = await compileTrace(dir, { out: flags.out, dryRun: flags.dryRun });
    for (const w of r.warnings) io.err(`handeye: warning: ${w}`);
    const crops = r.steps.filter((s) => s.templates.length).length;
    io.err(
      `compiled ${r.recordedSteps} recorded step(s) into ${r.steps.length} step(s) in ${(r.ms / 1000).toFixed(1)} s` +
        `${crops ? `; ${crops} step(s) use template crops (${r.templates.length} image(s))` : ''}${flags.dryRun ? '' : `: ${r.file}`}`,
    );
    if (flags.dryRun && !flags.json) io.out(r.yaml.trimEnd());
    if (flags.json) {
      io.out(JSON.stringify({ file: flags.dryRun ? undefined : r.file, steps: r.steps.map((s) => ({ step: s.step, from: s.source, note: s.note })), templates: r.templates, warnings: r.warnings, recordedSteps: r.recordedSteps, ms: Math.round(r.ms) }, null, 2));
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CompileError || (e as Error).name === 'MissingFrameError' || (e as Error).name === 'TaskFileError') throw new UsageError((e as Error).message);
    throw e;
  }
}
