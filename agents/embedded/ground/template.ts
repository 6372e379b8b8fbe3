import sharp from 'sharp';
import type { PixelBox } from '../../../kernels/ocr/types.ts';
import { rgbToGray, type GrayImage } from '../../../kernels/gray.ts';
import { matchTemplate, resizeGray } from '../../../kernels/template-match.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { grayOf } from './controls.ts';

/** Finds a small image (an icon saved as PNG) on a screenshot by normalized cross-correlation. */

export interface TemplateMatch {
  box: PixelBox;
  point: [number, number];
  score: number;
  /** Template pixels per screenshot pixel it was found at (1 = same size). */
  scale: number;
}

export interface LocateTemplateOptions {
  /** Lowest NCC accepted (default 0.8). */
  minScore?: number;
  /**
   * Sizes to try, as multiples of the template's own size; the first reaching minScore wins.
   * The defaults cover an icon cut at DPR 1 searched on DPR 2 or 3 screens and back.
   */
  scales?: number[];
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const DEFAULT_SCALES = [1, 2, 1.5, 3, 0.5, 0.75, 1.25];

/** Decodes a PNG (or any sharp-readable image) to grayscale, flattening transparency onto white. */
export async function decodeTemplate(png: Buffer): Promise<GrayImage> {
  try {
    const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return rgbToGray(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, info.channels);
  } catch (e) {
    throw new TemplateError(`template image is not a readable image: ${(e as Error).message}`);
  }
}

/** Best match of the template on the screenshot at any of the tried scales, or null below minScore. */
export async function locateTemplate(image: RgbImage, templatePng: Buffer, options: LocateTemplateOptions = {}): Promise<TemplateMatch | null> {
  const tpl = await decodeTemplate(templatePng);
  return locateTemplateGray(grayOf(image), tpl, options);
}

export function locateTemplateGray(img: GrayImage, tpl: GrayImage, options: LocateTemplateOptions = {}): TemplateMatch | null {
  const best = bestTemplateMatch(img, tpl, options);
  return best && best.score >= (options.minScore ?? 0.8) ? best : null;
}

/** The best match over the scales (stopping at the first that reaches minScore), whatever its score. */
export function bestTemplateMatch(img: GrayImage, tpl: GrayImage, options: LocateTemplateOptions = {}): TemplateMatch | null {
  const minScore = options.minScore ?? 0.8;
  if (!hasContrast(tpl)) throw new TemplateError(`template (${tpl.width}x${tpl.height}) is a single flat colour: nothing to match`);
  let best: TemplateMatch | null = null;
  for (const scale of options.scales ?? DEFAULT_SCALES) {
    const w = Math.round(tpl.width * scale);
    const h = Math.round(tpl.height * scale);
    if (w < 4 || h < 4 || w > img.width || h > img.height) continue;
    const t = scale === 1 ? tpl : resizeGray(tpl, w, h);
    const hit = matchTemplate(img, t);
    if (!hit) continue;
    if (!best || hit.score > best.score) {
      best = { box: [hit.x, hit.y, hit.x + w, hit.y + h], point: [hit.x + w / 2, hit.y + h / 2], score: Math.round(hit.score * 1000) / 1000, scale };
    }
    if (hit.score >= minScore) break;
  }
  return best;
}

function hasContrast(g: GrayImage): boolean {
  const first = g.data[0];
  for (let i = 1; i < g.data.length; i++) if (g.data[i] !== first) return true;
  return false;
}

