/**
 * CTC greedy decoding: argmax per timestep, collapse repeats, drop blanks (class 0).
 * Keeps each character's timestep span so it can be mapped back to x coordinates.
 */

export interface CtcChar {
  /** Class index (1..dictionary length; the last class is the space). */
  cls: number;
  /** First and last timestep (inclusive) where this character was the argmax (fractional for a line read in pieces). */
  t0: number;
  t1: number;
  /** Highest probability over its timesteps. */
  prob: number;
}

/**
 * Collapses timesteps [0, steps) of one sequence whose per-timestep argmax class and its
 * probability are `best` and `bestProb`, from `offset`: repeats merge, blanks (0) drop.
 */
export function ctcCollapse(best: Int32Array, bestProb: Float32Array, offset: number, steps: number): CtcChar[] {
  const out: CtcChar[] = [];
  let prev = 0;
  let last: CtcChar | undefined;
  for (let t = 0; t < steps; t++) {
    const cls = best[offset + t];
    const p = bestProb[offset + t];
    if (cls !== 0) {
      if (cls === prev && last) {
        last.t1 = t;
        if (p > last.prob) last.prob = p;
      } else {
        last = { cls, t0: t, t1: t, prob: p };
        out.push(last);
      }
    }
    prev = cls;
  }
  return out;
}

/**
 * Decodes timesteps [0, steps) of one sequence in `probs`, which holds rows of `classes`
 * probabilities starting at `offset` (one row per timestep): the argmax of each row (the
 * first on ties), then ctcCollapse. The pipeline has the recognizer's graph take the argmax
 * (rec-head.ts); this is the reference it is tested against.
 */
export function ctcGreedyDecode(probs: Float32Array, offset: number, steps: number, classes: number): CtcChar[] {
  const best = new Int32Array(steps);
  const bestProb = new Float32Array(steps);
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let b = 0;
    for (let c = 1; c < classes; c++) if (probs[row + c] > probs[row + b]) b = c;
    best[t] = b;
    bestProb[t] = probs[row + b];
  }
  return ctcCollapse(best, bestProb, 0, steps);
}

/**
 * Class index → character for PaddleOCR dictionaries: 0 is the blank, 1..n are the
 * dictionary lines, n+1 is the space.
 */
export function ctcAlphabet(dictionaryText: string): string[] {
  const lines = dictionaryText.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return ['', ...lines, ' '];
}
