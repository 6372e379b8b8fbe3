import type { Agent, Decision, DecideInput } from '../../src/core/agent.ts';
import { readTrace } from '../../src/core/trace.ts';
import type { Action } from '../../src/core/actions.ts';

/**
 * Replays the actions performed in an earlier trace, one recorded step per decision.
 * The loop re-validates them against the new frames, so a replay on a changed screen
 * fails loudly instead of clicking blind.
 */
export class ReplayAgent implements Agent {
  readonly name = 'replay';
  private readonly queue: Action[][];
  private next = 0;

  constructor(readonly traceDir: string) {
    const trace = readTrace(traceDir);
    this.queue = trace.steps.filter((s) => s.outcome === 'done' || s.outcome === 'finish' || s.outcome === 'fail').map((s) => s.actions);
    if (this.queue.length === 0) throw new Error(`the trace at ${traceDir} has no completed steps to replay`);
  }

  get remaining(): number {
    return this.queue.length - this.next;
  }

  async decide(input: DecideInput): Promise<Decision> {
    if (input.feedback) {
      return { actions: [{ action: 'fail', reason: `replayed action was rejected: ${input.feedback}` }], raw: 'replay' };
    }
    const actions = this.queue[this.next++];
    if (!actions) return { actions: [{ action: 'fail', reason: 'the recorded trace has no more steps' }], raw: 'replay' };
    return { actions, reasoning: `replaying recorded step ${this.next} of ${this.queue.length}` };
  }
}
