import type { CoordinateSpace } from '../profile.ts';
import { ReplyParseError } from '../profile.ts';

/** The sizes a reply's coordinates are decoded against. */
export interface SentGeometry {
  frameWidth: number;
  frameHeight: number;
  /** Size of the image the model was actually sent (after the smart resize). */
  sentWidth: number;
  sentHeight: number;
}

/**
 * Maps model-native coordinates to frame pixels. Values outside the family's range are an
 * error for the model to repair, never a clamp.
 */
export class CoordinateMapper {
  constructor(
    readonly space: CoordinateSpace,
    readonly geometry: SentGeometry,
  ) {}

  /** Largest value a coordinate may take on each axis, in the model's units. */
  range(): [number, number] {
    if (this.space === 'thousandths') return [1000, 1000];
    if (this.space === 'relative-999') return [999, 999];
    return [this.geometry.sentWidth, this.geometry.sentHeight];
  }

  private axis(v: number, axis: 0 | 1, what: string): number {
    const max = this.range()[axis];
    if (!Number.isFinite(v) || v < 0 || v > max) {
      const unit = this.space === 'sent-pixels' ? `pixels of the ${this.geometry.sentWidth}x${this.geometry.sentHeight} image` : this.space === 'thousandths' ? 'thousandths of the image' : 'a 0-999 grid over the image';
      throw new ReplyParseError(`${what} ${axis === 0 ? 'x' : 'y'} = ${v} is outside 0..${max} (${unit})`);
    }
    const frame = axis === 0 ? this.geometry.frameWidth : this.geometry.frameHeight;
    const sent = axis === 0 ? this.geometry.sentWidth : this.geometry.sentHeight;
    if (this.space === 'sent-pixels') return (v * frame) / sent;
    return (v / max) * frame;
  }

  point(p: readonly number[], what = 'point'): [number, number] {
    return [this.axis(p[0], 0, what), this.axis(p[1], 1, what)];
  }

  /** A box, corners reordered when the model wrote them the other way round. */
  box(b: readonly number[], what = 'box'): [number, number, number, number] {
    const [x1, y1] = this.point([b[0], b[1]], what);
    const [x2, y2] = this.point([b[2], b[3]], what);
    return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
  }

  /** A point or a box from a flat list of 2 or 4 numbers. */
  target(nums: readonly number[], what = 'target'): { point?: [number, number]; box?: [number, number, number, number] } {
    if (nums.length === 2) return { point: this.point(nums, what) };
    if (nums.length === 4) return { box: this.box(nums, what) };
    throw new ReplyParseError(`${what} needs 2 numbers (x,y) or 4 (x1,y1,x2,y2), got ${nums.length}`);
  }
}

/** Every number in a coordinate string, whatever the brackets or tags around them: '[[1,2]]', '(1,2)', '<point>1 2</point>'. */
export function numbersIn(s: string): number[] {
  // Strip known tags first so that digits inside tag names (bbox_2d) are not read as values.
  const cleaned = s.replace(/<\|?\/?[a-z_]*\|?>/gi, ' ');
  return (cleaned.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
}
