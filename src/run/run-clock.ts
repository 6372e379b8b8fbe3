/**
 * One deadline for everything a run does: opening the page, setup, the loop, the checks. Each
 * wait is bounded by what is left of it and ends at once on the run's abort signal; cleanup
 * gets a short grace of its own, so a run always ends soon after its budget, whatever hangs.
 */

/** The run's budget ran out while waiting for something outside the loop. */
export class RunTimeoutError extends Error {
  override name = 'RunTimeoutError';
}

/** The run was stopped (Ctrl-C, SIGTERM, the caller's signal) while waiting. */
export class RunAbortedError extends Error {
  override name = 'RunAbortedError';
}

export class RunClock {
  constructor(
    /** Date.now() time the run must end by. */
    readonly deadline: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Milliseconds left of the budget (0 once it is spent). */
  left(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** Waits for p until the deadline plus `graceMs`; rejects naming `what` when time runs out or the run is stopped. */
  within<T>(p: Promise<T>, what: string, graceMs = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RunTimeoutError(`the run's time budget ran out while ${what}`)), this.left() + graceMs);
      const onAbort = () => reject(new RunAbortedError(`run aborted while ${what}`));
      if (this.signal?.aborted) onAbort();
      this.signal?.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        this.signal?.removeEventListener('abort', onAbort);
      });
    });
  }
}

/** Waits for a cleanup step at most `ms`; a failure or a hang is given up on (the next step still runs). True when it settled in time. */
export async function cleanupWithin(p: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!p) return true;
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  clearTimeout(timer);
  return settled;
}
