import type { Command } from 'commander';
import { catchInterrupts } from './interrupts.ts';
import { EXIT, positiveInt, UsageError, type Io } from './options.ts';

/** `handeye worker --queue redis://…`: runs the episodes evals send to the queue, until Ctrl-C. */

interface WorkerFlags {
  queue: string;
  concurrency: number;
  traceRoot: string;
  lockMs: number;
}

export function registerWorker(program: Command, io: Io, result: { code: number }): void {
  program
    .command('worker')
    .description('take episodes from a Redis queue (handeye eval --queue) and run them here; as many machines as you like')
    .requiredOption('--queue <redis-url>', 'the queue: redis://HOST:PORT[/DB]')
    .option('--concurrency <k>', 'episodes at once on this machine', positiveInt, 1)
    .option('--trace-root <dir>', 'where episodes write their traces (a shared folder, or local: results say where)', 'traces')
    .option('--lock-ms <n>', 'how long this worker may go silent (a lost machine) before its episode is given to another', positiveInt, 30_000)
    .action(async (flags: WorkerFlags) => {
      result.code = await workerCommand(flags, io);
    });
}

async function workerCommand(flags: WorkerFlags, io: Io): Promise<number> {
  const { checkRedis, QueueConfigError } = await import('../eval/queue/redis.ts');
  try {
    await checkRedis(flags.queue);
  } catch (e) {
    if (e instanceof QueueConfigError) throw new UsageError(e.message);
    throw e;
  }
  const { runWorker } = await import('../eval/queue/worker.ts');
  const { createAgent } = await import('../../agents/registry.ts');
  const { packageVersion } = await import('./version.ts');
  const interrupts = catchInterrupts(io.err, 'handeye worker: stopping; running episodes go back to the queue (Ctrl-C again to quit at once)');
  try {
    const { ran } = await runWorker({
      queue: flags.queue,
      concurrency: flags.concurrency,
      traceRoot: flags.traceRoot,
      lockMs: flags.lockMs,
      version: packageVersion(),
      makeAgent: (engine) => createAgent(engine),
      signal: interrupts.signal,
      log: (line) => io.err(`handeye worker: ${line}`),
    });
    io.err(`handeye worker: stopped after ${ran} episode(s)`);
    return EXIT.ok;
  } finally {
    interrupts.dispose();
  }
}
