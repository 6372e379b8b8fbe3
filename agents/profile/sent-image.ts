import { availableParallelism } from 'node:os';
import sharp, { type Sharp } from 'sharp';
import { drawMarks, type Mark } from '../../kernels/set-of-marks.ts';
import { ImageGeometryError, smartResize, type SmartResizeOptions } from '../../kernels/smart-resize.ts';
import type { ChatImage } from '../../src/core/model-client.ts';
import type { Frame } from '../../src/core/frame.ts';
import type { MarkedElement, ModelProfile } from './profile.ts';

/** The size the server will use for a frame, scaled first for history images (then snapped again so the server does not resample). */
export function sentSize(width: number, height: number, resize: SmartResizeOptions, scale = 1): { width: number; height: number } {
  const first = smartResize(width, height, resize);
  const size = scale === 1 ? first : smartResize(Math.max(1, Math.round(first.width * scale)), Math.max(1, Math.round(first.height * scale)), resize);
  // Near the aspect-ratio limit, snapping can push the resized image over it: the server would
  // then reject or resample what we send, and coordinates would decode against the wrong size.
  let again;
  try {
    again = smartResize(size.width, size.height, resize);
  } catch (e) {
    throw new ImageGeometryError(`${width}x${height} resizes to ${size.width}x${size.height}, which the server would resample or reject: ${(e as Error).message}`);
  }
  if (again.width !== size.width || again.height !== size.height) {
    throw new ImageGeometryError(`${width}x${height} resizes to ${size.width}x${size.height}, which the server would resample again to ${again.width}x${again.height}`);
  }
  return size;
}

/**
 * Snapping usually stretches or squeezes a screenshot by under 1% (1920x1080 -> 1932x1092,
 * 3840x2160 -> 3836x2156). A filtered resize at a ratio that close to 1 costs several times
 * the rest of the step (libvips convolves every pixel, or upsamples through its affine path);
 * nearest-neighbour only repeats or drops one pixel row/column in ~100 and keeps text crisp.
 * Real rescales (3840x2160 -> 2912x1624) keep lanczos3.
 */
export function resizeKernel(frame: { width: number; height: number }, size: { width: number; height: number }): 'nearest' | 'lanczos3' {
  const rx = size.width / frame.width;
  const ry = size.height / frame.height;
  return rx >= 0.9 && rx <= 1.1 && ry >= 0.9 && ry <= 1.1 ? 'nearest' : 'lanczos3';
}

// On glibc sharp runs libvips on one thread (to limit heap fragmentation). The step waits on
// this resize+encode, and with two threads it costs ~27 ms instead of ~48 at 1920x1080.
// A caller who has chosen a concurrency keeps it.
if (sharp.concurrency() === 1) sharp.concurrency(Math.min(4, availableParallelism()));

/**
 * Huffman-table optimisation halves JPEG encode speed for ~8% fewer bytes: on a local server
 * the bytes cost nothing and the image tokens are the same, so it is off.
 */
function encode(pipeline: Sharp, profile: ModelProfile): Sharp {
  return profile.image.format === 'png'
    ? pipeline.png({ compressionLevel: 1 })
    : pipeline.jpeg({ quality: profile.image.quality, mozjpeg: false, optimiseCoding: false });
}

/**
 * Resizes a frame to exactly the size the family's server will use, so the server does not
 * resample again and coordinates decode against the true size. Elements, when given, are
 * drawn as numbered marks (their boxes are in frame pixels).
 */
export async function prepareSentImage(frame: Frame, profile: ModelProfile, opts: { scale?: number; elements?: MarkedElement[] } = {}): Promise<ChatImage> {
  const size = sentSize(frame.width, frame.height, profile.resize, opts.scale ?? 1);
  const resized = sharp(frame.image).resize(size.width, size.height, { fit: 'fill', kernel: resizeKernel(frame, size) }).removeAlpha();
  const mime = profile.image.format === 'png' ? 'image/png' : 'image/jpeg';
  if (!opts.elements?.length) {
    const data = await encode(resized, profile).toBuffer();
    return { data, mime, width: size.width, height: size.height };
  }
  const raw = await resized.raw().toBuffer({ resolveWithObject: true });
  const rgb = { data: new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength), width: raw.info.width, height: raw.info.height };
  const sx = size.width / frame.width;
  const sy = size.height / frame.height;
  const marks: Mark[] = opts.elements.map((e) => ({ label: e.id, box: [e.box[0] * sx, e.box[1] * sy, e.box[2] * sx, e.box[3] * sy] }));
  drawMarks(rgb, marks, { fontScale: size.width >= 1600 ? 3 : 2, thickness: 2 });
  const data = await encode(sharp(raw.data, { raw: { width: size.width, height: size.height, channels: 3 } }), profile).toBuffer();
  return { data, mime, width: size.width, height: size.height };
}
