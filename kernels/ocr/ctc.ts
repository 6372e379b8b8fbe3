/**
 * CTC greedy decoding: argmax per timestep, collapse repeats, drop blanks (class 0).
 * Keeps each character's timestep span so it can be mapped back to x coordinates.
 */

export interface CtcChar {
  /** Class index (1..dictionary length; the last class is the space). */
  cls: number;
  /** First and last timestep (inclusive) where this character was the argmax. */
  t0: number;
  t1: number;
  /** Highest probability over its timesteps. */
  prob: number;
}

/**
 * Decodes timesteps [0, steps) of one sequence in `probs`, which holds rows of `classes`
 * probabilities starting at `offset` (one row per timestep).
 */
export function ctcGreedyDecode(probs: Float32Array, offset: number, steps: number, classes: number): CtcChar[] {
  const out: CtcChar[] = [];
  let prev = 0;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probs[row];
    for (let c = 1; c < classes; c++) {
      const p = probs[row + c];
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0) {
      const last = out.length ? out[out.length - 1] : undefined;
      if (best === prev && last) {
        last.t1 = t;
        if (bestP > last.prob) last.prob = bestP;
      } else {
        out.push({ cls: best, t0: t, t1: t, prob: bestP });
      }
    }
    prev = best;
  }
  return out;
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
