import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ocrFrame } from '../../agents/embedded/ocr/ocr-engine.ts';
import type { OcrResult } from '../../kernels/ocr/types.ts';
import { frameRgb, type Frame, type RgbImage } from '../core/frame.ts';
import type { StepRecord } from '../core/trace-schema.ts';

/**
 * One screen as the embedded grounder sees it: the frame, its pixels and its OCR. Built from a
 * live frame (the cache, healing) or from a frame saved in a trace (compile).
 */
export interface Screen {
  frame: Frame;
  rgb: RgbImage;
  ocr: OcrResult;
}

export async function screenOf(frame: Frame, ocr?: OcrResult): Promise<Screen> {
  const rgb = await frameRgb(frame);
  return { frame, rgb, ocr: ocr ?? (await ocrFrame(frame)) };
}

/** screenOf(frame), reading again only what changed since an earlier screen of the same run (the same OCR as a full read). */
export async function screenAfter(frame: Frame, earlier: Screen): Promise<Screen> {
  const rgb = await frameRgb(frame);
  return { frame, rgb, ocr: await ocrFrame(frame, { image: earlier.rgb, result: earlier.ocr }) };
}

export class MissingFrameError extends Error {
  override name = 'MissingFrameError';
}

/** The frame a step record saw, read back from the trace directory. */
export async function recordedFrame(traceDir: string, record: Pick<StepRecord, 'index' | 'frame'>): Promise<Frame> {
  const ref = record.frame;
  if (ref.file.startsWith('(')) {
    throw new MissingFrameError(`step ${record.index + 1}'s frame was never written (${ref.file.slice(1, -1)}); that step cannot be compiled`);
  }
  const file = path.join(traceDir, ref.file);
  let image: Buffer;
  try {
    image = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MissingFrameError(
      code === 'ENOENT'
        ? `step ${record.index + 1}'s frame ${ref.file} is missing from ${traceDir}; compile needs the frames the run saw (copy the whole trace folder)`
        : `step ${record.index + 1}'s frame ${file} cannot be read: ${(e as Error).message}`,
    );
  }
  return { image, format: /\.png$/i.test(file) ? 'png' : 'jpeg', width: ref.width, height: ref.height, scale: ref.scale, origin: ref.origin, capturedAt: 0 };
}
