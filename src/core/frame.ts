import sharp from 'sharp';
import type { Action, Point, Target } from './actions.ts';
import { actionTargets, targetPoint } from './actions.ts';

export type ImageFormat = 'jpeg' | 'png';

/**
 * One captured screen image and its geometry.
 * `width`/`height`: pixel size of `image`. `scale`: image pixels per executor unit
 * (CSS px in the browser, device points on a desktop). `origin`: top-left of the captured
 * area in executor units.
 */
export interface Frame {
  image: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
  scale: number;
  origin: { x: number; y: number };
  capturedAt: number;
}

/** Decoded RGB pixels of a frame, 3 bytes per pixel, row-major. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

const decoded = new WeakMap<Frame, Promise<RgbImage>>();

/** Raw RGB of a frame, decoded once per frame however many consumers ask. */
export function frameRgb(frame: Frame): Promise<RgbImage> {
  let p = decoded.get(frame);
  if (!p) {
    p = sharp(frame.image)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => ({
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
      }));
    decoded.set(frame, p);
  }
  return p;
}

/** Maps a frame pixel to executor units: unit = origin + px / scale. */
export function frameToUnits(frame: Pick<Frame, 'scale' | 'origin'>, [x, y]: Point): Point {
  return [frame.origin.x + x / frame.scale, frame.origin.y + y / frame.scale];
}

/** Inverse of frameToUnits. */
export function unitsToFrame(frame: Pick<Frame, 'scale' | 'origin'>, [ux, uy]: Point): Point {
  return [(ux - frame.origin.x) * frame.scale, (uy - frame.origin.y) * frame.scale];
}

/** Sub-pixel slack allowed at the frame edges before a target counts as outside. */
export const EDGE_TOLERANCE_PX = 0.5;

export class OutOfFrameError extends Error {
  override name = 'OutOfFrameError';
}

function checkPoint(frame: Pick<Frame, 'width' | 'height'>, [x, y]: Point, what: string): void {
  const t = EDGE_TOLERANCE_PX;
  if (x < -t || y < -t || x > frame.width + t || y > frame.height + t) {
    throw new OutOfFrameError(
      `${what} (${x.toFixed(1)}, ${y.toFixed(1)}) lies outside the ${frame.width}x${frame.height} frame`,
    );
  }
}

/**
 * Checks that every target of an action lies within the frame (boxes by their corners).
 * Out-of-frame targets are errors, not clamps.
 */
export function assertInFrame(frame: Pick<Frame, 'width' | 'height'>, action: Action): void {
  for (const t of actionTargets(action)) {
    if (t.box) {
      const [x1, y1, x2, y2] = t.box;
      checkPoint(frame, [x1, y1], `${action.action} box corner`);
      checkPoint(frame, [x2, y2], `${action.action} box corner`);
    }
    if (t.point) checkPoint(frame, t.point, `${action.action} point`);
  }
}

/** The acting point of a target, clamped only by sub-pixel rounding into the frame. */
export function actingPoint(frame: Pick<Frame, 'width' | 'height'>, t: Target): Point {
  const [x, y] = targetPoint(t);
  return [Math.min(Math.max(x, 0), frame.width - 1e-3), Math.min(Math.max(y, 0), frame.height - 1e-3)];
}
