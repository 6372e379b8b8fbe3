import { createHash } from 'node:crypto';
import type { Agent, Decision, DecideInput, HistoryEntry } from '../core/agent.ts';
import type { Step } from '../core/task.ts';
import type { CacheStats } from '../core/trace-schema.ts';
import { buildEntry, cacheableActions } from './cache-entry.ts';
import { effectOf, effectSeen, liveScreen, reground, type Effect } from './cache-ground.ts';
import { CacheStore, type CacheMode } from './cache-store.ts';
import { imageDigest, screenFingerprint } from './fingerprint.ts';

/**
 * A model agent with a step cache in front (`--cache DIR`). Each decision has a slot: the task,
 * the scripted step (its index and text) and the how-manieth decision for it, or in a goal run
 * the step index. A slot's entry seen on a screen like this one is re-grounded on the live frame
 * by the embedded engine and returned without a model call; the next decision checks that it did
 * something, and when it did not, the entry is dropped and the model redoes that step. A miss (or
 * an entry that cannot be grounded here) asks the model, and its decision is written once it has
 * been performed.
 */

export interface CachingAgentOptions {
  dir: string;
  mode?: CacheMode;
  /** What the cache keys this run's decisions by: the task id (and its goal). */
  task: { id: string; goal?: string };
  /** False: every hit is found again on the screen, even the recorded screen byte for byte (the bench times that path). Default true. */
  exactReplay?: boolean;
  /** Told each warning once (damaged entries, a folder that cannot be written). */
  onWarning?: (w: string) => void;
}

interface Slot {
  key: string;
  stepIndex?: number;
  step?: Step;
}

/** A decision to verify on the next frame: a replayed entry's effect, or a model decision to write once performed. */
interface Pending {
  slot: Slot;
  historyLen: number;
  replayed?: { entryId: string; effect?: Effect; savedMs: number; waited?: boolean };
  write?: (after: DecideInput['frame']) => Promise<void>;
}

interface RunState {
  pending?: Pending;
  /** History positions of the waits this agent added (to let an app react): not decisions of a step. */
  waits: Set<number>;
}

/** How long to let an app react before a replayed decision that changed nothing counts as a miss. */
const EFFECT_WAIT_MS = 700;

/** The last scripted step: no later decision would check it, so it is kept open one more look. */
function isLastStep(input: DecideInput): boolean {
  return input.step !== undefined && input.stepCount !== undefined && input.stepIndex === input.stepCount - 1;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 10);

export class CachingAgent implements Agent {
  readonly name: string;
  readonly store: CacheStore;
  private readonly taskKey: string;
  private readonly runs = new WeakMap<HistoryEntry[], RunState>();
  private readonly stats = { hits: 0, misses: 0, rejected: 0, modelCalls: 0, savedMs: 0, written: 0 };
  private told = 0;
  private readonly writes = new Set<Promise<void>>();
  readonly endpointStats?: Agent['endpointStats'];
  /** As the model agent: a decision dropped and asked again gets the same slot, and its pending check is replaced. */
  readonly stateless?: boolean;

  constructor(
    readonly inner: Agent,
    private readonly o: CachingAgentOptions,
  ) {
    this.name = inner.name;
    this.stateless = inner.stateless;
    this.store = new CacheStore(o.dir, o.mode ?? 'read-write');
    this.taskKey = `${o.task.id.replace(/[^\w.-]+/g, '_').slice(0, 60)}-${hash(o.task.goal ?? '')}`;
    if (inner.endpointStats) this.endpointStats = (since) => inner.endpointStats!(since);
    this.tell();
  }

  private tell(): void {
    for (const w of this.store.warnings.slice(this.told)) this.o.onWarning?.(w);
    this.told = this.store.warnings.length;
  }

  /**
   * The decision's slot. Which decision of a scripted step this is comes from the history (the
   * records of this same step at its end), so a decision the loop drops and asks again (the screen
   * moved while deciding) gets the same slot.
   */
  private slotOf(input: DecideInput, state: RunState): Slot {
    if (!input.step) return { key: `g${input.history.length - state.waits.size}` };
    let n = 0;
    for (let i = input.history.length - 1; i >= 0 && input.history[i].step === input.step; i--) if (!state.waits.has(i)) n++;
    return { key: `s${input.stepIndex ?? 0}-${hash(JSON.stringify(input.step))}-${n}`, stepIndex: input.stepIndex, step: input.step };
  }

  async decide(input: DecideInput): Promise<Decision> {
    let state = this.runs.get(input.history);
    if (!state) this.runs.set(input.history, (state = { waits: new Set() }));
    try {
      const redo = await this.settlePending(input, state);
      if (redo) return redo;
      const slot = this.slotOf(input, state);
      if (!input.feedback && this.store.mode !== 'write-only') {
        const hit = await this.tryHit(input, state, slot);
        if (typeof hit === 'object') return hit;
        if (hit === 'rejected') this.stats.rejected++;
        else this.stats.misses++;
      }
      return await this.askModel(input, state, slot);
    } finally {
      this.tell();
    }
  }

  /** The previous decision, now that it ran: a replayed one is checked (and redone by the model if it did nothing); a model one is written. */
  private async settlePending(input: DecideInput, state: RunState): Promise<Decision | undefined> {
    const p = state.pending;
    state.pending = undefined;
    if (!p) return undefined;
    const performed = input.history.length > p.historyLen && input.history[input.history.length - 1]?.outcome.startsWith('done');
    if (p.write) {
      // Written in the background (describing the targets reads the screen): the next model call does not wait for it.
      if (performed) this.inBackground(p.write(input.frame));
      return undefined;
    }
    if (!p.replayed?.effect || !performed) return undefined;
    const seen = await effectSeen(p.replayed.effect, input.frame);
    const sameStep = p.slot.step !== undefined && p.slot.stepIndex === input.stepIndex;
    if (seen.ok) {
      // The last scripted step was kept open for this check: it is done now.
      return sameStep && isLastStep(input) ? { actions: [], stepComplete: true, reasoning: `cache: ${seen.detail}`, notes: { cache: { verified: true, detail: seen.detail } } } : undefined;
    }
    if (!p.replayed.waited) {
      // An app may take a moment to react (a dialog closing): look once more before calling it a miss.
      state.pending = { ...p, historyLen: input.history.length, replayed: { ...p.replayed, waited: true } };
      state.waits.add(input.history.length);
      return { actions: [{ action: 'wait', ms: EFFECT_WAIT_MS }], stepComplete: false, reasoning: `cache: ${seen.detail}; looking again`, notes: { cache: { waiting: p.slot.key, detail: seen.detail } } };
    }
    this.store.remove(this.taskKey, p.slot.key, p.replayed.entryId);
    this.stats.hits--;
    this.stats.rejected++;
    this.stats.savedMs -= p.replayed.savedMs;
    const redo = p.slot.step ? { ...input, step: p.slot.step, stepIndex: p.slot.stepIndex } : input;
    const d = await this.askModel(redo, state, p.slot);
    // A later step has not started: the loop asks for it again after the redone one.
    return { ...d, stepComplete: p.slot.step && !sameStep ? false : d.stepComplete, notes: { ...d.notes, cache: { redone: p.slot.key, why: seen.detail } } };
  }

  /** A cached decision for this slot grounded on this frame; 'none' when there is no entry for a screen like it, 'rejected' when it cannot be grounded here. */
  private async tryHit(input: DecideInput, state: RunState, slot: Slot): Promise<Decision | 'none' | 'rejected'> {
    const t0 = performance.now();
    // The same screen byte for byte (an unchanged app): nothing to decode or search.
    const exact = this.o.exactReplay !== false ? this.store.lookupExact(this.taskKey, slot.key, imageDigest(input.frame), input.frame) : undefined;
    const found = exact ?? this.store.lookup(this.taskKey, slot.key, await screenFingerprint(input.frame), input.frame);
    if (!found) return 'none';
    const r = await reground(found.entry, liveScreen(input.frame, input.executor), this.store.patchDir(this.taskKey, slot.key), found.exact);
    if (!r.ok) return 'rejected';
    const ms = performance.now() - t0;
    const savedMs = Math.max(0, found.entry.modelMs - ms);
    this.stats.hits++;
    this.stats.savedMs += savedMs;
    const effect = effectOf(r.actions, input.frame, found.exact ? found.entry.afterDigest : undefined);
    state.pending = { slot, historyLen: input.history.length, replayed: { entryId: found.entry.id, effect, savedMs } };
    // The last scripted step stays open one more look, so its effect is checked too.
    const stepComplete = isLastStep(input) && effect ? false : found.entry.stepComplete;
    return {
      actions: r.actions,
      reasoning: `cache hit (${slot.key}, ${found.distance} bits from the recorded screen): ${r.how.join('; ')}`,
      timings: { modelMs: ms },
      stepComplete,
      notes: { cache: { hit: slot.key, distance: found.distance, ...(found.exact ? { exact: true } : {}), how: r.how, savedMs: Math.round(found.entry.modelMs) } },
    };
  }

  private async askModel(input: DecideInput, state: RunState, slot: Slot): Promise<Decision> {
    this.stats.modelCalls++;
    const t0 = performance.now();
    const d = await this.inner.decide(input);
    const modelMs = d.timings?.modelMs ?? performance.now() - t0;
    const actions = this.store.writable && this.store.mode !== 'read-only' ? cacheableActions(d) : undefined;
    if (actions) {
      const frame = input.frame;
      const fingerprintP = screenFingerprint(frame);
      const write = async (after?: DecideInput['frame']) => {
        const { entry, patches } = await buildEntry({ frame, fingerprint: await fingerprintP, actions, stepComplete: d.stepComplete !== false, modelMs, after });
        if (this.store.write(this.taskKey, slot.key, entry, patches)) this.stats.written++;
      };
      // A finish, or the last scripted step, ends the run: no next decision comes to say it ran, so it is written now.
      if (actions.some((a) => a.action === 'finish') || (isLastStep(input) && d.stepComplete !== false)) {
        await this.settled();
        await write();
      }
      else state.pending = { slot, historyLen: input.history.length, write };
    }
    return { ...d, notes: { ...d.notes, cache: { miss: slot.key } } };
  }

  cacheStats(): CacheStats {
    const s = this.stats;
    return {
      dir: this.store.dir,
      mode: this.store.mode,
      hits: s.hits,
      misses: s.misses,
      rejected: s.rejected,
      modelCalls: s.modelCalls,
      savedCalls: s.hits,
      savedMs: Math.round(s.savedMs),
      written: s.written,
      ...(this.store.warnings.length ? { warnings: [...this.store.warnings] } : {}),
    };
  }

  private inBackground(p: Promise<void>): void {
    const tracked = p.catch((e: Error) => void this.store.warnings.push(`could not write a cache entry: ${e.message.split('\n')[0]}`)).finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  /** Waits for the entries being written in the background. */
  async settled(): Promise<void> {
    while (this.writes.size) await Promise.all([...this.writes]);
  }

  async close(): Promise<void> {
    await this.settled();
    await this.inner.close?.();
  }
}
