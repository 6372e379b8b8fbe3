import type { Action } from './actions.ts';
import type { Executor } from './executor.ts';

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

export interface GuardContext {
  executor: Executor;
}

/** Policy hook between validation and execution. A refusal is recorded and fed back to the agent. */
export interface Guard {
  check(action: Action, context: GuardContext): GuardVerdict | Promise<GuardVerdict>;
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
  };
}
