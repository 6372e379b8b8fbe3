/**
 * The OCR engine's defaults and limits: pipeline settings (with why each value) and the checks
 * an image passes before it is read.
 */
import type { RgbImage } from '../../../src/core/frame.ts';
import { DEFAULT_DET_BOX_OPTIONS } from '../../../kernels/ocr/det-boxes.ts';
import { OcrError } from './ocr-models.ts';
import type { LayoutWord } from '../../../kernels/ocr/line-layout.ts';
import type { PipelineOptions } from './ocr-pipeline.ts';

/** Beyond this many pixels an image is not a screen (8K is 33 Mpx). */
export const MAX_OCR_PIXELS = 40_000_000;
export const MAX_OCR_SIDE = 16_384;

export const DEFAULT_PIPELINE: PipelineOptions = {
  det: DEFAULT_DET_BOX_OPTIONS,
  unclipRatio: 1.5,
  contentTile: 16,
  edgeTolerance: 20,
  minGapTiles: 2,
  regionMargin: 16,
  // A whole 1080p screen in one detector call peaks at +470 MB (VmHWM), three 1920x448 bands at
  // +260 MB, with the same lines read. Their 24% more rows cost +4-8% detection time (+50-80 ms
  // on the dense bench page, ~1% of its OCR; fillDetInput's scale-1 path won back ~50 ms).
  // Overlap 64: with 32, word spacing changed on small text next to seams.
  detMaxArea: 1920 * 512,
  detBandOverlap: 64,
  recMaxScale: 2,
  // Per input column the recognizer is cheapest with ~500-1500 columns per call; beyond that its
  // activations outgrow the cache (2×1600 costs twice 1×1600 plus half again).
  recBatchColumns: 768,
  recSplitGap: 0.35,
  recCacheSize: 4000,
  glyphInkThreshold: 60,
  maxLoneGlyphs: 48,
};

export function checkImage(image: RgbImage, what: string): void {
  const { width, height, data } = image ?? ({} as RgbImage);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new OcrError('bad-image', `${what} has an invalid size ${width}x${height}`);
  }
  if (width === 0 || height === 0) throw new OcrError('empty-image', `${what} is empty (${width}x${height})`);
  if (width > MAX_OCR_SIDE || height > MAX_OCR_SIDE || width * height > MAX_OCR_PIXELS) {
    throw new OcrError(
      'image-too-large',
      `${what} is ${width}x${height}; OCR accepts at most ${MAX_OCR_SIDE} px a side and ${MAX_OCR_PIXELS / 1e6} Mpx`,
    );
  }
  if (!data || data.length !== width * height * 3) {
    throw new OcrError('bad-image', `${what} must hold ${width}x${height}x3 RGB bytes, got ${data?.length ?? 'no data'}`);
  }
}

/** A lone-glyph crop is a guess from the pixels: its reading must be this sure, and short. */
export const LONE_GLYPH_MIN_CONFIDENCE = 0.8;
export const LONE_GLYPH_MAX_CHARS = 3;
/** A detector line read as one glyph less surely than this is looked at again as a lone glyph. */
export const ONE_GLYPH_RECHECK_BELOW = 0.95;
export const MAX_ONE_GLYPH_RECHECKS = 16;
/** Below this, a lone glyph's reading gets a second look from a wider crop. */
export const LONE_GLYPH_SURE = 0.9;

export const meanProb = (chars: ReadonlyArray<{ prob: number }>): number => (chars.length ? chars.reduce((s, c) => s + c.prob, 0) / chars.length : 0);

export function isOneGlyph(words: LayoutWord[] | undefined): boolean {
  return words?.length === 1 && Array.from(words[0].text).length === 1;
}
