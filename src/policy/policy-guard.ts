import { actionTargets, describeAction, targetPoint, type Action } from '../core/actions.ts';
import { chordOf } from '../core/keys.ts';
import { frameToUnits, type Frame } from '../core/frame.ts';
import type { Guard, GuardContext, GuardVerdict } from '../core/guard.ts';
import { hasSecret, type SecretStore } from '../core/secrets.ts';
import { originAllowed, originOf, urlAllowed } from '../core/origins.ts';
import type { EffectivePolicy, Region } from '../core/policy-schema.ts';

/** What a person is asked to approve. */
export interface ConfirmRequest {
  action: Action;
  /** One readable line: `navigate https://example.com/pay`. */
  description: string;
}

/** Returns true to let the action happen. Absent: every action that needs confirmation is refused. */
export type ConfirmFn = (request: ConfirmRequest) => boolean | Promise<boolean>;

export interface PolicyGuardOptions {
  policy: EffectivePolicy;
  /** Origin of the task's start page: what "self" means. */
  selfOrigin?: string;
  secrets?: SecretStore;
  confirm?: ConfirmFn;
}

/** A key chord as a set of comparable names. */
function chordKeys(chord: string | string[]): string[] {
  return chordOf(chord).map((k) => k.toLowerCase());
}

function regionName(r: Region): string {
  return r.label ? `the forbidden region ${JSON.stringify(r.label)}` : `the forbidden region [${r.box.join(', ')}]`;
}

/**
 * The policy as a guard: navigation origins, forbidden key chords, forbidden regions, the
 * typing cap, secrets' origins and undeclared secrets, then confirmation. Also keeps the
 * navigations the browser blocked while an action ran, for the loop to record.
 */
export class PolicyGuard implements Guard {
  private readonly forbidden: { chord: string[]; shown: string }[];
  private blocked: string[] = [];

  constructor(readonly options: PolicyGuardOptions) {
    this.forbidden = options.policy.forbiddenKeys.map((c) => {
      const chord = chordKeys(c);
      return { chord, shown: chord.join('+') };
    });
  }

  /** May the browser go to this URL (main frame or a new tab)? */
  navigationAllowed(url: string): boolean {
    return urlAllowed(url, this.options.policy.originLists, this.options.selfOrigin);
  }

  secretOriginAllowed(origin: string | undefined): boolean {
    return originAllowed(origin, this.options.policy.secretOriginLists, this.options.selfOrigin);
  }

  /** Called by the browser hook when it stopped a navigation. */
  noteBlocked(url: string): void {
    this.blocked.push(url);
  }

  /** Navigations blocked since the last call. */
  drainEvents(): string[] {
    const out = this.blocked.map((u) => `navigation to ${u} was blocked: its origin is not allowed by the policy`);
    this.blocked = [];
    return out;
  }

  async check(action: Action, context: GuardContext): Promise<GuardVerdict> {
    const why = this.refusal(action, context);
    if (why) return { ok: false, reason: why };
    if (this.options.policy.confirm.includes(action.action)) {
      const description = describeAction(action);
      const confirm = this.options.confirm;
      if (!confirm) return { ok: false, reason: `${description} needs a person's confirmation and this run cannot ask (non-interactive; approve with --yes or a confirm callback)` };
      let ok = false;
      try {
        ok = (await confirm({ action, description })) === true;
      } catch (e) {
        return { ok: false, reason: `${description} was not confirmed: ${(e as Error).message.split('\n')[0]}` };
      }
      if (!ok) return { ok: false, reason: `${description} was declined by the person confirming actions` };
    }
    return { ok: true };
  }

  private pageUrl(context: GuardContext): string | undefined {
    try {
      return context.executor.currentUrl?.();
    } catch {
      return undefined;
    }
  }

  private refusal(action: Action, context: GuardContext): string | undefined {
    const p = this.options.policy;
    switch (action.action) {
      case 'navigate': {
        let url = action.url;
        try {
          url = new URL(action.url, this.pageUrl(context)).href;
        } catch {
          /* not resolvable: judged as written */
        }
        if (hasSecret(action.url)) return 'secrets can only be typed, never put into a URL';
        if (!this.navigationAllowed(url)) return `navigation to ${url} is not allowed: its origin is not in the policy's allowed origins`;
        break;
      }
      case 'key': {
        let keys: string[];
        try {
          keys = chordKeys(action.keys);
        } catch {
          return undefined; // not a key: the executor reports it
        }
        const hit = this.forbidden.find((f) => f.chord.every((k) => keys.includes(k)));
        if (hit) return `the key chord ${action.keys.join('+')} is forbidden by the policy (${hit.shown})`;
        break;
      }
      case 'type': {
        if (p.maxTypeChars !== undefined && [...action.text].length > p.maxTypeChars) {
          return `typing ${[...action.text].length} characters in one step is over the policy's limit of ${p.maxTypeChars}`;
        }
        if (this.options.secrets && hasSecret(action.text)) {
          const url = this.pageUrl(context);
          const origin = url ? originOf(url) : undefined;
          const why = this.options.secrets.refusal(action.text, context.executor.kind === 'browser' ? origin : undefined);
          if (why) return why;
        }
        break;
      }
    }
    return this.regionRefusal(action, context.frame);
  }

  private regionRefusal(action: Action, frame: Frame | undefined): string | undefined {
    const regions = this.options.policy.forbiddenRegions;
    if (!regions.length || !frame) return undefined;
    const points = actionTargets(action).map(targetPoint);
    if (action.action === 'scroll' && !action.target) points.push([frame.width / 2, frame.height / 2]);
    for (const pt of points) {
      const [ux, uy] = frameToUnits(frame, pt);
      const r = regions.find(({ box: [x1, y1, x2, y2] }) => ux >= x1 && ux <= x2 && uy >= y1 && uy <= y2);
      if (r) return `${action.action} at (${Math.round(ux)},${Math.round(uy)}) lands in ${regionName(r)}`;
    }
    return undefined;
  }
}
