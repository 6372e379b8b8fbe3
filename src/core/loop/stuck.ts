import type { Thumbnail } from '../executor.ts';
import { identicalScreen } from '../settle.ts';

/** The actions of one step, as the stuck detector compares them. */
export interface StuckCandidate {
  /** The performed actions, serialized: equal signatures are the same actions. */
  signature: string;
  /** Only waits were performed: an unchanged screen is what a wait is for, not a sign of being stuck. */
  waiting: boolean;
  /** The actions in words, for the end detail. */
  what: string;
}

/**
 * Stuck detection: the same actions again, and the screen after them identical to the one after
 * the previous step. `after` repeats in a row end the run; 0 turns it off.
 */
export class StuckDetector {
  private lastSignature = '';
  private repeats = 0;
  private screen: Thumbnail | undefined;

  constructor(private readonly after: number) {}

  /** Judges one step once its screen settled (`settled` is that screen); true when the run is stuck. */
  judge(step: StuckCandidate, settled: Thumbnail | undefined): boolean {
    const unchanged = this.screen !== undefined && settled !== undefined && identicalScreen(this.screen, settled);
    // Waiting on an unchanged screen is what a wait is for: its bound is the time budget, not stuck detection.
    this.repeats = unchanged && !step.waiting && step.signature === this.lastSignature ? this.repeats + 1 : 0;
    this.lastSignature = step.signature;
    this.screen = settled;
    return this.after > 0 && this.repeats >= this.after - 1;
  }

  /** The run's end detail once judge() said stuck. */
  detail(what: string): string {
    return `the same action (${what}) left the screen unchanged ${this.repeats + 1} times`;
  }
}
