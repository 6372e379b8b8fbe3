/**
 * Bilinear resampling of packed RGB into planar, normalized floats: the inner loop the detector's
 * and the recognizer's input share. The caller says where each output column and row samples the
 * source (its own formula, so its values are exactly what it computed before); the horizontal
 * taps are computed once per call and reused on every row.
 */

/** For each output column: byte offsets (x·3) of the two source columns it blends, and the right one's weight. */
export interface ColumnTaps {
  count: number;
  left: Int32Array;
  right: Int32Array;
  frac: Float64Array;
}

/** Taps for `count` columns; `sourceX(x)` is the source position of output column x, clamped here to [0, width-1]. */
export function columnTaps(count: number, width: number, sourceX: (x: number) => number): ColumnTaps {
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  const frac = new Float64Array(count);
  for (let x = 0; x < count; x++) {
    const sx = Math.min(width - 1, Math.max(0, sourceX(x)));
    const x0 = Math.floor(sx);
    left[x] = x0 * 3;
    right[x] = Math.min(width - 1, x0 + 1) * 3;
    frac[x] = sx - x0;
  }
  return { count, left, right, frac };
}

/**
 * One output row: source rows y0 and y1 (already clamped) blended with weight fy, sampled at
 * `taps`, channel c scaled by mul[c] and offset by add[c], written to out[o + c·plane + x].
 */
export function blendRow(
  rgb: Uint8Array,
  width: number,
  y0: number,
  y1: number,
  fy: number,
  taps: ColumnTaps,
  mul: readonly number[],
  add: readonly number[],
  out: Float32Array,
  o: number,
  plane: number,
): void {
  const [m0, m1, m2] = mul;
  const [a0, a1, a2] = add;
  const row0 = y0 * width * 3;
  const row1 = y1 * width * 3;
  const { left, right, frac } = taps;
  for (let x = 0; x < taps.count; x++, o++) {
    const fx = frac[x];
    const p00 = row0 + left[x];
    const p01 = row0 + right[x];
    const p10 = row1 + left[x];
    const p11 = row1 + right[x];
    const w00 = (1 - fx) * (1 - fy);
    const w01 = fx * (1 - fy);
    const w10 = (1 - fx) * fy;
    const w11 = fx * fy;
    out[o] = (rgb[p00] * w00 + rgb[p01] * w01 + rgb[p10] * w10 + rgb[p11] * w11) * m0 + a0;
    out[o + plane] = (rgb[p00 + 1] * w00 + rgb[p01 + 1] * w01 + rgb[p10 + 1] * w10 + rgb[p11 + 1] * w11) * m1 + a1;
    out[o + 2 * plane] = (rgb[p00 + 2] * w00 + rgb[p01 + 2] * w01 + rgb[p10 + 2] * w10 + rgb[p11 + 2] * w11) * m2 + a2;
  }
}
