import type { Action } from './actions.ts';
import type { Executor } from './executor.ts';
import type { Frame } from './frame.ts';

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

export interface GuardContext {
  executor: Executor;
  /** The frame the action's targets are in (for region checks). */
  frame?: Frame;
}

/** Policy hook between validation and execution. A refusal is recorded and fed back to the agent. */
export interface Guard {
  check(action: Action, context: GuardContext): GuardVerdict | Promise<GuardVerdict>;
  /** Things the policy stopped while actions ran (blocked navigations), one line each; emptied by the call. */
  drainEvents?(): string[];
}

export const allowAll: Guard = { check: () => ({ ok: true }) };

/** Chains guards: the first refusal wins. */
export function combineGuards(...guards: Guard[]): Guard {
  return {
    async check(action, context) {
      for (const g of guards) {
        const v = await g.check(action, context);
        if (!v.ok) return v;
      }
      return { ok: true };
    },
    drainEvents: () => guards.flatMap((g) => g.drainEvents?.() ?? []),
  };
}
