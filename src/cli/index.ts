import { Command, CommanderError } from 'commander';
import { EngineConfigError } from '../../agents/registry.ts';
import { TaskFileError } from '../core/task.ts';
import { TraceError } from '../core/trace.ts';
import { registerCompile } from './compile.ts';
import { registerEval } from './eval.ts';
import { registerEvalGrounding } from './eval-grounding.ts';
import { registerGround } from './ground.ts';
import { defaultIo, EXIT, UsageError, type Io } from './options.ts';
import { registerParse } from './parse.ts';
import { registerReport } from './report.ts';
import { registerResize } from './resize.ts';
import { registerFamilies } from './families.ts';
import { registerRun } from './run.ts';
import { registerService } from './service.ts';
import { registerBrowserServer } from './browser-server.ts';
import { registerWorker } from './worker.ts';
import { packageVersion } from './version.ts';

export { EXIT } from './options.ts';

/** The `handeye` program: one file per command in this folder, each registering itself here. */
export function buildProgram(io: Io = defaultIo): { program: Command; result: { code: number } } {
  const result = { code: EXIT.ok as number };
  const program = new Command('handeye')
    .description('GUI-automation agent: sees the screen, decides with a VLM or the embedded OCR engine, acts with a real mouse and keyboard')
    .version(packageVersion(), '-V, --version', 'print the version of handeye')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run handeye --help for usage)');
  registerRun(program, io, result);
  registerEval(program, io, result);
  registerCompile(program, io, result);
  registerEvalGrounding(program, io, result);
  registerReport(program, io);
  registerGround(program, io, result);
  registerResize(program, io);
  registerFamilies(program, io);
  registerParse(program, io, result);
  registerService(program, io, result);
  registerBrowserServer(program, io, result);
  registerWorker(program, io, result);
  return { program, result };
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const { program, result } = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof TaskFileError || e instanceof UsageError || e instanceof EngineConfigError || e instanceof TraceError) {
      io.err(`handeye: ${e.message}`);
      return EXIT.usage;
    }
    io.err(`handeye: ${(e as Error).message?.split('\n')[0] ?? String(e)}`);
    return EXIT.usage;
  }
}
