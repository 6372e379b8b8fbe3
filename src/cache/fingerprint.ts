import { createHash } from 'node:crypto';
import { frameRgb, type Frame } from '../core/frame.ts';

/**
 * A coarse fingerprint of a screen from a 17×12 grey thumbnail: a difference hash (is each cell
 * brighter than its right neighbour, 192 bits) and an average hash (is each cell brighter than
 * the whole, 204 bits), as hex. A caret, a hover shade or a clock moves a few bits; another page,
 * an open dialog (the page dimmed around it) or a reordered list moves many. Computed from the
 * frame's decoded pixels (decoded once per frame, and shared with the grounding that follows).
 */

const W = 17;
const H = 12;
export const FINGERPRINT_BITS = (W - 1) * H + W * H + 4;

/** Bits that may differ for two screens to count as "the same screen" (about 10%). */
export const SAME_SCREEN_BITS = 40;

export async function screenFingerprint(frame: Pick<Frame, 'image'>): Promise<string> {
  const { data, width, height } = await frameRgb(frame as Frame);
  const cells = new Float64Array(W * H);
  const counts = new Uint32Array(W * H);
  // Every other pixel of every other row is plenty for 204 cell means.
  for (let y = 0; y < height; y += 2) {
    const cy = Math.min(H - 1, Math.floor((y * H) / height));
    for (let x = 0; x < width; x += 2) {
      const i = (y * width + x) * 3;
      const c = cy * W + Math.min(W - 1, Math.floor((x * W) / width));
      cells[c] += 77 * data[i] + 150 * data[i + 1] + 29 * data[i + 2];
      counts[c]++;
    }
  }
  let mean = 0;
  for (let c = 0; c < cells.length; c++) mean += cells[c] /= Math.max(1, counts[c]);
  mean /= cells.length;
  const bits: number[] = [];
  for (let y = 0; y < H; y++) for (let x = 0; x < W - 1; x++) bits.push(cells[y * W + x] > cells[y * W + x + 1] ? 1 : 0);
  for (let c = 0; c < cells.length; c++) bits.push(cells[c] > mean ? 1 : 0);
  while (bits.length % 4) bits.push(0);
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) hex += ((bits[i] << 3) | (bits[i + 1] << 2) | (bits[i + 2] << 1) | bits[i + 3]).toString(16);
  return hex;
}

/** How many bits two fingerprints differ in (the maximum when they are not comparable). */
export function fingerprintDistance(a: string, b: string): number {
  if (a.length !== b.length) return FINGERPRINT_BITS;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

const digests = new WeakMap<object, string>();

/**
 * The frame's encoded bytes, hashed: two captures with the same digest are the same pixels, so a
 * decision recorded on one replays on the other as it was, with nothing decoded or searched.
 */
export function imageDigest(frame: Pick<Frame, 'image'>): string {
  let d = digests.get(frame);
  if (!d) digests.set(frame, (d = createHash('sha256').update(frame.image).digest('hex').slice(0, 24)));
  return d;
}
