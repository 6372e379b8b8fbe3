import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from '../../../src/core/frame.ts';
import { OcrEngine } from '../ocr/ocr-engine.ts';
import { grayOf } from './controls.ts';
import { locate, type LocateCandidate } from './locate.ts';
import { bestTemplateMatch, decodeTemplate, TemplateError } from './template.ts';

/** `handeye ground <image> <instruction>`: find a described target on a screenshot file. */

export interface GroundHit {
  point: [number, number];
  box: [number, number, number, number];
  text: string;
  score: number;
}

export type GroundOutcome =
  | { ok: true; result: GroundHit }
  | {
      ok: false;
      message: string;
      candidates: LocateCandidate[];
      /** The input itself was unusable (unreadable image, empty instruction), not merely unmatched. */
      usage?: boolean;
    };

const TEMPLATE_MIN_SCORE = 0.8;
/** Longest side the detector sees (the engine's own default limit). */
const DET_MAX_SIDE = 2560;

/** Reads a screenshot into RGB, with a specific error for each way a file can be unusable. */
export async function readScreenshot(imagePath: string): Promise<RgbImage> {
  let size: number;
  try {
    const s = await stat(imagePath);
    if (!s.isFile()) throw new Error(`${imagePath} is not a file`);
    size = s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `image ${imagePath} does not exist` : `image ${imagePath} cannot be read: ${(e as Error).message}`);
  }
  if (size === 0) throw new Error(`image ${imagePath} is empty (0 bytes)`);
  try {
    const { data, info } = await sharp(await readFile(imagePath)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.width === 0 || info.height === 0) throw new Error('zero-size image');
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (e) {
    throw new Error(`image ${imagePath} is not a readable PNG/JPEG/WebP image: ${(e as Error).message}`);
  }
}

/** The template file an instruction names ("icon:./gear.png", "./gear.png", "click icon:gear.png"), if any. */
export function templatePathOf(instruction: string): string | undefined {
  const m = instruction.trim().match(/(?:^|\s)(?:(?:icon|image|template):)?("?)([^\s"]+\.(?:png|jpe?g|webp))\1\s*$/i);
  return m ? m[2] : undefined;
}

export interface GroundImageOptions {
  /**
   * Device pixel ratio of the screenshot (image pixels per CSS pixel), default 1. The text
   * detector runs at 1/scale, where text has about its CSS size: a DPR-2 screenshot is
   * detected at a quarter of the pixels, and recognition still reads the full-resolution crops.
   */
  scale?: number;
}

/** Largest device pixel ratio accepted (phones reach 3–4). */
const MAX_SCALE = 8;

export async function groundImage(imagePath: string, instruction: string, options: GroundImageOptions = {}): Promise<GroundOutcome> {
  const scale = options.scale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0 && scale <= MAX_SCALE)) {
    return { ok: false, usage: true, candidates: [], message: `scale (device pixel ratio) must be a number in (0, ${MAX_SCALE}], got ${options.scale}` };
  }
  if (!instruction.trim()) {
    return { ok: false, usage: true, candidates: [], message: 'empty instruction: say what to find, e.g. \'the "Sign in" button\' or icon:./gear.png' };
  }
  let image: RgbImage;
  try {
    image = await readScreenshot(imagePath);
  } catch (e) {
    return { ok: false, usage: true, candidates: [], message: (e as Error).message };
  }
  const templatePath = templatePathOf(instruction);
  if (templatePath) return groundTemplate(image, path.resolve(templatePath));

  // Never upsample for the detector (a scale below 1 is a zoomed-out screenshot: read it as it is).
  const detScale = Math.min(1, 1 / scale, DET_MAX_SIDE / Math.max(image.width, image.height));
  const ocr = await OcrEngine.shared().recognize(image, { detScale });
  const r = locate(ocr, instruction, { image });
  if (!r.match) return { ok: false, candidates: r.candidates, message: r.message ?? `nothing matches "${instruction}"` };
  const { point, box, text, score } = r.match;
  return { ok: true, result: { point: point.map(round1) as [number, number], box: box.map(round1) as GroundHit['box'], text, score } };
}

async function groundTemplate(image: RgbImage, templatePath: string): Promise<GroundOutcome> {
  let png: Buffer;
  try {
    png = await readFile(templatePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, usage: true, candidates: [], message: code === 'ENOENT' ? `template image ${templatePath} does not exist` : `template image ${templatePath} cannot be read: ${(e as Error).message}` };
  }
  try {
    const tpl = await decodeTemplate(png);
    const best = bestTemplateMatch(grayOf(image), tpl, { minScore: TEMPLATE_MIN_SCORE });
    const name = path.basename(templatePath);
    if (!best || best.score < TEMPLATE_MIN_SCORE) {
      const candidates = best ? [{ text: `${name} at ${best.scale}x`, box: best.box, score: best.score }] : [];
      return { ok: false, candidates, message: `${name} is not on screen (best correlation ${best ? best.score.toFixed(2) : 'n/a'} < ${TEMPLATE_MIN_SCORE})` };
    }
    return { ok: true, result: { point: best.point.map(round1) as [number, number], box: best.box, text: name, score: best.score } };
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, usage: true, candidates: [], message: e.message };
    throw e;
  }
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
