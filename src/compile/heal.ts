import type { Action } from '../core/actions.ts';
import type { Agent, Decision, DecideInput, HistoryEntry } from '../core/agent.ts';
import type { Frame } from '../core/frame.ts';
import { describeStep, type Step } from '../core/task.ts';
import { cacheableActions } from '../cache/cache-entry.ts';
import { compileDecision, type CompiledStep } from './compile-actions.ts';
import { screenOf } from './screen.ts';

/**
 * Self-healing for scripted (compiled) tasks (`--heal`): every step is grounded by the embedded
 * engine first; a step whose target it cannot find is asked of the model, for that one step. What
 * the model did is then described by what is visible, as `handeye compile` does, and becomes the
 * step's new text (written back by heal-write.ts).
 */

/** A step the model did in the embedded engine's place. */
export interface Heal {
  stepIndex: number;
  old: Step;
  /** Why the embedded engine could not do it. */
  reason: string;
  /** The model's decisions for the step, each with the frame it was made on. */
  decisions: { frame: Frame; actions: Action[] }[];
}

/** Steps whose text names a target on screen: the ones a changed screen can break. */
function hasTarget(step: Step): boolean {
  return 'click' in step || 'hover' in step || 'drag' in step || 'select' in step || ('type' in step && typeof step.type === 'object' && !!step.type.into) || ('scroll' in step && typeof step.scroll === 'object' && !!(step.scroll.at || step.scroll.until));
}

const failOf = (d: Decision) => (d.actions as { action?: string; reason?: string }[]).find((a) => a?.action === 'fail');

export class HealingAgent implements Agent {
  readonly name: string;
  readonly heals: Heal[] = [];
  private readonly healing = new WeakMap<HistoryEntry[], number>();
  private lastByModel = new WeakMap<HistoryEntry[], boolean>();

  constructor(
    readonly primary: Agent,
    readonly model: Agent,
  ) {
    this.name = `${primary.name}+heal:${model.name}`;
  }

  async decide(input: DecideInput): Promise<Decision> {
    const h = input.history;
    if (!input.step) return this.primary.decide(input);
    if (input.feedback) return this.lastByModel.get(h) ? this.askModel(input) : this.primary.decide(input);
    if (this.healing.get(h) === input.stepIndex) return this.askModel(input);
    this.healing.delete(h);
    this.lastByModel.set(h, false);
    const d = await this.primary.decide(input);
    const failed = failOf(d);
    if (!failed || !hasTarget(input.step)) return d;
    const heal: Heal = { stepIndex: input.stepIndex ?? 0, old: input.step, reason: failed.reason ?? 'not found', decisions: [] };
    this.heals.push(heal);
    this.healing.set(h, heal.stepIndex);
    const md = await this.askModel(input);
    return { ...md, notes: { ...md.notes, heal: { step: describeStep(input.step), reason: heal.reason } } };
  }

  private async askModel(input: DecideInput): Promise<Decision> {
    this.lastByModel.set(input.history, true);
    const d = await this.model.decide(input);
    const heal = this.heals.findLast((x) => x.stepIndex === input.stepIndex);
    const actions = cacheableActions(d);
    if (heal && actions) heal.decisions.push({ frame: input.frame, actions: actions.filter((a) => a.action !== 'finish') });
    return d;
  }

  /**
   * Each healed step as new steps naming their targets by what is visible on the frames the model
   * acted on (template crops named by `assetFile` where nothing visible names a target).
   */
  async healedSteps(assetFile: (n: number) => string): Promise<Array<{ heal: Heal; steps: CompiledStep[] }>> {
    const out: Array<{ heal: Heal; steps: CompiledStep[] }> = [];
    let n = 0;
    for (const heal of this.heals) {
      const steps: CompiledStep[] = [];
      for (const d of heal.decisions) {
        if (!d.actions.length) continue;
        const screen = await screenOf(d.frame);
        steps.push(...compileDecision(d.actions, screen, { assetFile: () => assetFile(++n) }, { record: heal.stepIndex, action: 0 }));
      }
      if (steps.length) out.push({ heal, steps });
    }
    return out;
  }

  close(): Promise<void> {
    return Promise.all([this.primary.close?.(), this.model.close?.()]).then(() => undefined);
  }
}
