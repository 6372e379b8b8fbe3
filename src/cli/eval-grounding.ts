import path from 'node:path';
import type { Command } from 'commander';
import type { Agent } from '../core/agent.ts';
import type { EngineOptions } from '../../agents/registry.ts';
import type { EvalIo } from './eval.ts';
import { addEngineOptions, positiveInt, type Io } from './options.ts';

export function registerEvalGrounding(program: Command, io: Io, result: { code: number }): void {
  addEngineOptions(
    program
      .command('eval-grounding')
      .description('grounding accuracy on a ScreenSpot-format dataset (v1/v2 or Pro): one point per instruction')
      .requiredOption('--dataset <dir>', 'dataset folder')
      .option('--limit <n>', 'evaluate at most N items', positiveInt)
      .requiredOption('--out <dir>', 'output directory'),
  ).action(async (flags: EvalGroundingArgs) => {
    result.code = await evalGroundingCommand(flags, { out: io.out, err: io.err });
  });
}

export interface EvalGroundingArgs extends EngineOptions {
  dataset: string;
  limit?: number;
  out: string;
  /** Tests: an agent instead of the engine flags. */
  agent?: Agent;
}

/** `handeye eval-grounding --dataset DIR [engine flags] [--limit N] --out DIR`. Exit 0 done, 2 bad usage or dataset. */
export async function evalGroundingCommand(args: EvalGroundingArgs, io: EvalIo): Promise<number> {
  // Loaded on demand: `handeye --help` should not pay for sharp and the engines.
  const { createAgent, EngineConfigError } = await import('../../agents/registry.ts');
  const { evaluateGrounding } = await import('../eval/grounding.ts');
  const { DatasetError, loadGroundingDataset } = await import('../eval/screenspot.ts');
  const { percent: pct } = await import('../eval/stats.ts');
  if (!args.out) {
    io.err('handeye eval-grounding: --out DIR is required');
    return 2;
  }
  if (args.limit !== undefined && (!Number.isInteger(args.limit) || args.limit < 1)) {
    io.err(`handeye eval-grounding: --limit must be a positive integer, got ${args.limit}`);
    return 2;
  }
  let agent = args.agent;
  try {
    loadGroundingDataset(args.dataset); // fail fast on a bad folder, before loading models
    agent ??= await createAgent({ ...args, onNotice: (line) => io.err(`handeye eval-grounding: ${line}`) });
  } catch (e) {
    if (e instanceof DatasetError || e instanceof EngineConfigError) {
      io.err(`handeye eval-grounding: ${e.message}`);
      return 2;
    }
    throw e;
  }
  try {
    const s = await evaluateGrounding({
      dataset: args.dataset,
      agent,
      limit: args.limit,
      out: args.out,
      onItem: (done, total, r) => (io.progress ? io.progress(`\rgrounding ${done}/${total}: ${r.outcome.padEnd(12)}`) : undefined),
    });
    if (io.progress) io.progress('\n');
    io.err(`DONE: accuracy ${pct(s.accuracy.rate)} (${s.accuracy.successes}/${s.accuracy.n}; 95% CI ${pct(s.accuracy.low)}–${pct(s.accuracy.high)}), wrong format ${s.counts.wrongFormat}, bad items ${s.counts.badItems}; summary: ${path.join(args.out, 'summary.md')}`);
    return 0;
  } finally {
    if (!args.agent) await agent.close?.();
  }
}
