import type { Executor, NavigationRules } from '../core/executor.ts';
import { combineGuards, type Guard } from '../core/guard.ts';
import { SecretStore, secretNamesIn } from '../core/secrets.ts';
import type { Task } from '../core/task.ts';
import { PolicyGuard, type ConfirmFn } from './policy-guard.ts';
import { originOf } from '../core/origins.ts';
import { mergePolicies, type EffectivePolicy, type Policy } from '../core/policy-schema.ts';

export interface RunPolicyOptions {
  task: Task;
  /** The global policy (`--policy FILE`); the task's own `policy:` is merged into it. */
  policy?: Policy;
  confirm?: ConfirmFn;
  /** A caller's own guard, consulted after the policy. */
  guard?: Guard;
  /** Where secret values come from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * The secret names that may be typed, instead of those the task names: a service declares them
   * up front, and nothing a client sends (a URL, a task) can add one.
   */
  secretNames?: Iterable<string>;
}

/**
 * Everything one run needs to enforce its policy: the guard the loop consults, the secrets the
 * executor fills, and the browser hook that blocks navigations to origins not allowed.
 */
export class RunPolicy {
  readonly effective: EffectivePolicy;
  readonly policyGuard: PolicyGuard;
  readonly guard: Guard;
  readonly secrets: SecretStore;
  private detachers: (() => Promise<void>)[] = [];
  private attached = false;
  private isBrowser = false;
  private readonly guardOptions: { selfOrigin?: string };

  constructor(o: RunPolicyOptions) {
    this.effective = mergePolicies(o.policy, o.task.policy);
    const options = { policy: this.effective, confirm: o.confirm, selfOrigin: undefined as string | undefined, secrets: undefined as SecretStore | undefined };
    this.policyGuard = new PolicyGuard(options);
    this.guardOptions = options;
    this.secrets = new SecretStore({
      names: o.secretNames ? [...o.secretNames] : secretNamesIn(o.task),
      env: o.env,
      // A desktop has no origins: there the policy's other rules are what guards secrets.
      originAllowed: (origin) => (origin === undefined && !this.isBrowser ? true : this.policyGuard.secretOriginAllowed(origin)),
    });
    options.secrets = this.secrets;
    this.guard = o.guard ? combineGuards(this.policyGuard, o.guard) : this.policyGuard;
  }

  /** Hooks the executor up: secrets for typing, the navigation block. Call before the first page load. */
  async attach(executor: Executor, startUrl?: string): Promise<void> {
    if (this.attached) return;
    this.attached = true;
    this.isBrowser = executor.kind === 'browser';
    if (startUrl) this.guardOptions.selfOrigin = originOf(startUrl);
    if (!executor.applyPolicy) return;
    const guard = this.policyGuard;
    const navigation: NavigationRules | undefined = this.isBrowser
      ? {
          allowed: (url) => guard.navigationAllowed(url),
          onBlocked: (url) => guard.noteBlocked(url),
          patterns: { lists: this.effective.originLists, self: this.guardOptions.selfOrigin },
        }
      : undefined;
    this.detachers.push(await executor.applyPolicy({ secrets: this.secrets, navigation }));
  }

  /** Undoes attach (an executor the caller owns outlives the run). */
  async detach(): Promise<void> {
    for (const d of this.detachers.reverse()) await d().catch(() => {});
    this.detachers = [];
  }

  /** The policy as the trace header records it. */
  describe(): Record<string, unknown> {
    const p = this.effective;
    return {
      allowedOrigins: p.originLists,
      secretOrigins: p.secretOriginLists,
      forbiddenKeys: p.forbiddenKeys,
      forbiddenRegions: p.forbiddenRegions,
      confirm: p.confirm,
      ...(p.maxTypeChars !== undefined ? { maxTypeChars: p.maxTypeChars } : {}),
      secrets: [...this.secrets.names],
    };
  }
}
