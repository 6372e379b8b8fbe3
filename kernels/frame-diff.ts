/**
 * Mean absolute difference of two same-sized 8-bit images, 0..255.
 * Used to decide whether the screen has settled.
 */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return 255;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d < 0 ? -d : d;
  }
  return a.length ? sum / a.length : 0;
}

/** Fraction of pixels whose absolute difference exceeds `threshold` (0..1). */
export function changedFraction(a: Uint8Array, b: Uint8Array, threshold = 16): number {
  if (a.length !== b.length) return 1;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    if (d > threshold || d < -threshold) n++;
  }
  return a.length ? n / a.length : 0;
}
