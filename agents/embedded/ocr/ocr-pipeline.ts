/**
 * The two model stages over reusable buffers: text detection per content region, and
 * batched recognition of line crops. Results are pure functions of the pixels each region
 * or crop covers, which is what incremental OCR relies on.
 */
import type { RgbImage } from '../../../src/core/frame.ts';
import { detBands, detRegions, rowEdgeCost, fillDetInput, type DetRegion } from '../../../kernels/ocr/det-input.ts';
import { textTiles, xyCut } from '../../../kernels/ocr/det-tiles.ts';
import { detectBoxes, joinLineFragments, unclipDistance, type DetBoxOptions } from '../../../kernels/ocr/det-boxes.ts';
import {
  fillRecInput,
  planRecBatches,
  cropBackground,
  recBucketWidth,
  recGeometry,
  recSplits,
  REC_HEIGHT,
  REC_STRIDE,
  type CropBox,
} from '../../../kernels/ocr/rec-input.ts';
import { ctcCollapse, type CtcChar } from '../../../kernels/ocr/ctc.ts';
import { loneGlyphBoxes, loneGlyphScratch, type GlyphBox } from '../../../kernels/ocr/lone-glyphs.ts';
import { OcrError, type ModelRunner, type OcrModels } from './ocr-models.ts';
import { GREEDY_OUTPUTS } from './rec-head.ts';
import type { TensorOut } from './ort-pool.ts';

export interface PipelineOptions {
  det: DetBoxOptions;
  unclipRatio: number;
  /** Tile side (image px) of the content analysis that chooses detector regions. */
  contentTile: number;
  /** Luminance step that counts as an edge when looking for text-like tiles. */
  edgeTolerance: number;
  /** Blank tiles needed between two content blocks to detect them separately. */
  minGapTiles: number;
  /**
   * Context kept around each content block, in detector input px (image px × detection scale):
   * the detector splits words whose region ends a few of its own pixels from the text.
   */
  regionMargin: number;
  /** Regions larger than this (detector px) are detected in overlapping horizontal bands (detBands). */
  detMaxArea: number;
  /** Half the rows two neighbouring bands share (detector px); each sees half of this beyond its seam. */
  detBandOverlap: number;
  /** Largest magnification of a crop into the 48-row recognizer input. */
  recMaxScale: number;
  /** Input columns per recognizer batch; wider crops are read in pieces (recSplits). */
  recBatchColumns: number;
  /** Narrowest blank gap a wide crop may be cut at, in crop heights (a word space is ~0.15-0.2). */
  recSplitGap: number;
  /** Decoded crops remembered by pixel hash (0 disables the cache). */
  recCacheSize: number;
  /** Lone-glyph pass: ink contrast, and the most crops it may add per image. */
  glyphInkThreshold: number;
  maxLoneGlyphs: number;
}

/** A detected text line: kernel and crop, in image pixels. */
export interface DetectedLine {
  crop: CropBox;
  coreY1: number;
  coreY2: number;
  score: number;
  /** Identity of the crop, equal for equal boxes. */
  key: string;
  /** Found by the lone-glyph pass, not by the detector (its ink box): kept only when read with high confidence. */
  glyph?: GlyphBox;
}

/**
 * Vertical padding of a lone glyph's crop, in glyph heights, tried in order: the recognizer,
 * trained on lines, reads a single glyph unreliably and which margin suits it varies (a DPR-2
 * "2" reads as "Ｎ" at 0.35 and surely at 0.75), so an unsure first reading gets a second look.
 */
export const GLYPH_PADS = [0.35, 0.75];

/** A square crop around a glyph's ink box, padded by `pad` glyph heights (at least 2 px). */
export function glyphCrop(b: GlyphBox, pad: number, image: RgbImage): CropBox {
  const padY = Math.max(2, pad * (b.y2 - b.y1));
  const padX = Math.max(padY, (b.y2 - b.y1 + 2 * padY - (b.x2 - b.x1)) / 2);
  return {
    x1: Math.max(0, b.x1 - padX),
    y1: Math.max(0, b.y1 - padY),
    x2: Math.min(image.width, b.x2 + padX),
    y2: Math.min(image.height, b.y2 + padY),
  };
}

export type ContentTiles = ReturnType<typeof textTiles>;

export interface RegionDetection {
  region: DetRegion;
  /** Image-pixel footprint the region's input was sampled from. */
  footprint: [number, number, number, number];
  lines: DetectedLine[];
}

/** Growable typed buffers, reused across calls. */
class Scratch {
  mask = new Uint8Array(0);
  stack = new Int32Array(0);
  gray = new Uint8Array(0);
  tiles = new Uint8Array(0);
  hist = new Uint32Array(768);
  maskOf(n: number): Uint8Array {
    if (this.mask.length < n) this.mask = new Uint8Array(n);
    return this.mask;
  }
  stackOf(n: number): Int32Array {
    if (this.stack.length < n) this.stack = new Int32Array(n);
    return this.stack;
  }
  grayOf(n: number): Uint8Array {
    if (this.gray.length < n) this.gray = new Uint8Array(n);
    return this.gray.subarray(0, n);
  }
  tilesOf(n: number): Uint8Array {
    if (this.tiles.length < n) this.tiles = new Uint8Array(n);
    return this.tiles;
  }
}

/**
 * Identity of a crop's recognizer input: its size, sub-pixel placement and a 64-bit hash
 * (two 32-bit FNV-1a variants) of the pixels it samples.
 */
function cropKey(image: RgbImage, c: CropBox, contentWidth: number): string {
  const x1 = Math.max(0, Math.floor(c.x1) - 1);
  const x2 = Math.min(image.width, Math.ceil(c.x2) + 1);
  const y1 = Math.max(0, Math.floor(c.y1) - 1);
  const y2 = Math.min(image.height, Math.ceil(c.y2) + 1);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const d = image.data;
  for (let y = y1; y < y2; y++) {
    for (let i = (y * image.width + x1) * 3, end = (y * image.width + x2) * 3; i < end; i++) {
      h1 = Math.imul(h1 ^ d[i], 0x01000193);
      h2 = Math.imul(h2 ^ d[i], 0x5bd1e995) ^ (h2 >>> 15);
    }
  }
  const frac = (v: number): string => (v - Math.floor(v)).toFixed(4);
  return `${x2 - x1}x${y2 - y1}:${frac(c.x1)},${frac(c.y1)},${(c.x2 - c.x1).toFixed(4)},${(c.y2 - c.y1).toFixed(4)}:${contentWidth}:${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

export const regionKey = (r: DetRegion): string => `${r.x},${r.y},${r.width},${r.height},${r.keepY1 ?? ''},${r.keepY2 ?? ''}`;

export class OcrPipeline {
  readonly scratch = new Scratch();
  /** Crop key → decoded characters, least recently used first. */
  private readonly readCache = new Map<string, CtcChar[]>();
  private readonly glyphScratch = loneGlyphScratch();
  constructor(
    readonly models: OcrModels,
    readonly options: PipelineOptions,
  ) {}

  /** The content-tile grid of an image (TEXT_TILE / MARK_TILE flags); valid until the next call. */
  contentTiles(gray: Uint8Array, image: RgbImage): ContentTiles {
    const o = this.options;
    return textTiles(
      gray,
      image.width,
      image.height,
      o.contentTile,
      o.edgeTolerance,
      this.scratch.tilesOf(Math.ceil(image.width / o.contentTile) * Math.ceil(image.height / o.contentTile)),
    );
  }

  /** Detector regions of an image at a detection scale (text blocks only; large ones in bands). */
  planRegions(gray: Uint8Array, tiles: ContentTiles, image: RgbImage, scale: number): DetRegion[] {
    const o = this.options;
    const leaves = xyCut(tiles.grid, tiles.gw, tiles.gh, o.minGapTiles);
    const regions = detRegions(leaves, o.contentTile, image.width, image.height, scale, o.regionMargin / scale);
    return detBands(regions, o.detMaxArea, o.detBandOverlap, (row, region) =>
      rowEdgeCost(gray, image.width, image.height, scale, o.edgeTolerance, row, region),
    );
  }

  /**
   * Lone-glyph crops ("+", "×", pager digits) in content tiles that the read words leave
   * uncovered (less than half of a tile's area under word boxes). `pxPerCss` sizes the glyph
   * bounds (1 / detection scale). Each crop is padded like a detector box would be.
   */
  loneGlyphLines(
    gray: Uint8Array,
    image: RgbImage,
    tiles: ContentTiles,
    words: ReadonlyArray<readonly [number, number, number, number]>,
    pxPerCss: number,
    /** Boxes allowed beyond maxLoneGlyphs (for detector lines looked at again). */
    extraBoxes = 0,
  ): DetectedLine[] {
    const o = this.options;
    const { grid, gw, gh } = tiles;
    const t = o.contentTile;
    const covered = new Float32Array(gw * gh);
    for (const [x1, y1, x2, y2] of words) {
      for (let ty = Math.max(0, Math.floor(y1 / t)); ty < Math.min(gh, Math.ceil(y2 / t)); ty++) {
        for (let tx = Math.max(0, Math.floor(x1 / t)); tx < Math.min(gw, Math.ceil(x2 / t)); tx++) {
          const w = Math.min(x2 + 2, (tx + 1) * t) - Math.max(x1 - 2, tx * t);
          const h = Math.min(y2 + 2, (ty + 1) * t) - Math.max(y1 - 2, ty * t);
          if (w > 0 && h > 0) covered[ty * gw + tx] += w * h;
        }
      }
    }
    const candidates = new Uint8Array(gw * gh);
    for (let i = 0; i < gw * gh; i++) candidates[i] = grid[i] && covered[i] < 0.5 * t * t ? 1 : 0;
    const boxes = loneGlyphBoxes(gray, image.width, image.height, candidates, gw, gh, words, {
      tile: t,
      inkThreshold: o.glyphInkThreshold,
      minHeight: 5 * pxPerCss,
      maxHeight: 40 * pxPerCss,
      maxBoxes: o.maxLoneGlyphs + extraBoxes,
    }, this.glyphScratch);
    return boxes.map((b) => {
      // The widest crop it may be read from: what its reading depends on.
      const crop = glyphCrop(b, GLYPH_PADS[GLYPH_PADS.length - 1], image);
      return { crop, coreY1: b.y1, coreY2: b.y2, score: 0, key: `glyph:${crop.x1},${crop.y1},${crop.x2},${crop.y2}`, glyph: b };
    });
  }

  /** Image-pixel area a region's detector input reads (bilinear taps included). */
  footprint(region: DetRegion, scale: number, image: RgbImage): [number, number, number, number] {
    return [
      Math.max(0, Math.floor(region.x / scale) - 1),
      Math.max(0, Math.floor(region.y / scale) - 1),
      Math.min(image.width, Math.ceil((region.x + region.width) / scale) + 1),
      Math.min(image.height, Math.ceil((region.y + region.height) / scale) + 1),
    ];
  }

  async detectRegion(image: RgbImage, region: DetRegion, scale: number): Promise<RegionDetection> {
    const { width: rw, height: rh } = region;
    // Its own buffer: it is handed to a worker thread.
    const input = new Float32Array(3 * rw * rh);
    fillDetInput(image.data, image.width, image.height, region, scale, input);
    const out = await this.run(this.models.det, input, [1, 3, rh, rw]);
    // The detector's one output: a probability map of the input's size.
    const prob = Object.values(out)[0].data as Float32Array;
    let boxes = joinLineFragments(detectBoxes(prob, rw, rh, this.options.det, this.scratch.maskOf(rw * rh), this.scratch.stackOf(rw * rh)));
    // A band of a taller region reports the lines centred in its share of the overlaps only.
    const { keepY1 = -Infinity, keepY2 = Infinity } = region;
    boxes = boxes.filter((b) => {
      const cy = region.y + (b.y1 + b.y2) / 2;
      return cy >= keepY1 && cy < keepY2;
    });
    const lines: DetectedLine[] = [];
    for (const b of boxes) {
      const d = unclipDistance(b.x2 - b.x1, b.y2 - b.y1, this.options.unclipRatio);
      const toImg = (v: number, origin: number): number => (v + origin) / scale;
      const crop: CropBox = {
        x1: Math.max(0, toImg(b.x1 - d, region.x)),
        y1: Math.max(0, toImg(b.y1 - d, region.y)),
        x2: Math.min(image.width, toImg(b.x2 + d, region.x)),
        y2: Math.min(image.height, toImg(b.y2 + d, region.y)),
      };
      if (crop.x2 - crop.x1 < 2 || crop.y2 - crop.y1 < 2) continue;
      lines.push({
        crop,
        coreY1: toImg(b.y1, region.y),
        coreY2: toImg(b.y2, region.y),
        score: b.score,
        key: `${crop.x1},${crop.y1},${crop.x2},${crop.y2}`,
      });
    }
    return { region, footprint: this.footprint(region, scale, image), lines };
  }

  /**
   * Recognizes line crops; returns decoded characters and the timestep→x mapping per crop.
   * A crop wider than a batch is read in pieces cut at blank gaps (recSplits) wider than a word
   * space (long lines of a dense page). Pieces keep runs short (bounded memory
   * per run; they spread over the recognizer's workers) and the layout breaks words there anyway.
   */
  async readLines(image: RgbImage, crops: CropBox[]): Promise<Array<{ chars: CtcChar[]; x0: number; xPerStep: number }>> {
    const o = this.options;
    const pieces: CropBox[] = [];
    const spans: Array<[number, number]> = [];
    for (const crop of crops) {
      const { scale } = recGeometry(crop, o.recMaxScale);
      const h = crop.y2 - crop.y1;
      let cuts: number[] = [];
      if ((crop.x2 - crop.x1) * scale > o.recBatchColumns) {
        const cols = this.scratch.maskOf(Math.ceil(crop.x2) - Math.floor(crop.x1) + 1);
        const bg = cropBackground(image.data, image.width, image.height, crop, this.scratch.hist);
        cuts = recSplits(image.data, image.width, image.height, crop, bg, o.recBatchColumns / scale, o.recSplitGap * h, o.glyphInkThreshold, cols);
      }
      spans.push([pieces.length, cuts.length + 1]);
      const xs = [crop.x1, ...cuts, crop.x2];
      for (let k = 0; k + 1 < xs.length; k++) pieces.push({ ...crop, x1: xs[k], x2: xs[k + 1] });
    }
    const read = await this.readCrops(image, pieces);
    return crops.map((crop, i) => {
      const [first, count] = spans[i];
      if (count === 1) return read[first];
      // One timeline for the whole crop: a piece's timestep t is at x = x0 + (t + 0.5) * xPerStep.
      const xPerStep = read[first].xPerStep;
      const space = this.models.alphabet.length - 1;
      const chars: CtcChar[] = [];
      read.slice(first, first + count).forEach((piece, p) => {
        const k = piece.xPerStep / xPerStep;
        const shift = (piece.x0 - crop.x1) / xPerStep + 0.5 * k - 0.5;
        // Each cut is a gap wider than a word space: it reads as one, as it would uncut.
        const before = chars[chars.length - 1];
        if (p > 0 && before && before.cls !== space && piece.chars.length && piece.chars[0].cls !== space) {
          const t = (piece.x0 - crop.x1) / xPerStep - 0.5;
          chars.push({ cls: space, t0: t, t1: t, prob: (before.prob + piece.chars[0].prob) / 2 });
        }
        for (const c of piece.chars) chars.push({ ...c, t0: c.t0 * k + shift, t1: c.t1 * k + shift });
      });
      return { chars, x0: crop.x1, xPerStep };
    });
  }

  private async readCrops(image: RgbImage, crops: CropBox[]): Promise<Array<{ chars: CtcChar[]; x0: number; xPerStep: number }>> {
    const o = this.options;
    const geoms = crops.map((c) => recGeometry(c, o.recMaxScale));
    const results: Array<{ chars: CtcChar[]; x0: number; xPerStep: number }> = new Array(crops.length);
    // Identical crops (repeated labels, unchanged lines of a previous frame) are read once.
    const keys = crops.map((c, i) => cropKey(image, c, geoms[i].contentWidth));
    const pending = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const hit = this.readCache.get(key);
      if (hit) {
        this.readCache.delete(key);
        this.readCache.set(key, hit);
        results[i] = { chars: hit, x0: crops[i].x1, xPerStep: ((crops[i].x2 - crops[i].x1) / geoms[i].contentWidth) * REC_STRIDE };
      } else {
        const same = pending.get(key);
        if (same) same.push(i);
        else pending.set(key, [i]);
      }
    });
    const todo = [...pending.values()].map((ids) => ids[0]);
    const buckets = todo.map((i) => recBucketWidth(geoms[i].contentWidth));
    // Widest batches first, as many at once as the recognizer runs: the last ones to finish
    // are then short ones, and only that many inputs are held at a time.
    const batches = planRecBatches(buckets, o.recBatchColumns).reverse();
    const readBatch = async (batchLocal: number[]): Promise<void> => {
      const batch = batchLocal.map((j) => todo[j]);
      const bw = buckets[batchLocal[0]];
      const slab = 3 * REC_HEIGHT * bw;
      // Its own buffer: it is handed to a worker thread.
      const input = new Float32Array(slab * batch.length);
      batch.forEach((ci, k) => {
        const pad = cropBackground(image.data, image.width, image.height, crops[ci], this.scratch.hist);
        fillRecInput(image.data, image.width, image.height, crops[ci], geoms[ci], pad, bw, input, k * slab);
      });
      const out = await this.run(this.models.rec, input, [batch.length, 3, REC_HEIGHT, bw]);
      const best = out[GREEDY_OUTPUTS.classes].data as Int32Array;
      const probs = out[GREEDY_OUTPUTS.probs].data as Float32Array;
      const steps = out[GREEDY_OUTPUTS.classes].dims[1];
      for (let i = 0; i < best.length; i++) {
        if (best[i] >= this.models.alphabet.length) {
          throw new OcrError(
            'model-load',
            `the recognition model emits class ${best[i]} but the dictionary gives ${this.models.alphabet.length} classes (blank + lines + space)`,
          );
        }
      }
      batch.forEach((ci, k) => {
        const crop = crops[ci];
        const xPerStep = ((crop.x2 - crop.x1) / geoms[ci].contentWidth) * REC_STRIDE;
        const usedSteps = Math.min(steps, Math.ceil(geoms[ci].contentWidth / REC_STRIDE));
        const chars = ctcCollapse(best, probs, k * steps, usedSteps);
        for (const same of pending.get(keys[ci])!) results[same] = { chars, x0: crops[same].x1, xPerStep };
        if (o.recCacheSize > 0) this.readCache.set(keys[ci], chars);
        if (this.readCache.size > o.recCacheSize) this.readCache.delete(this.readCache.keys().next().value!);
      });
    };
    let next = 0;
    let failed = false;
    const lanes = Array.from({ length: Math.min(batches.length, this.models.rec.parallelism) }, async () => {
      try {
        while (!failed && next < batches.length) await readBatch(batches[next++]);
      } catch (e) {
        failed = true;
        throw e;
      }
    });
    await Promise.all(lanes);
    return results;
  }

  get alphabet(): string[] {
    return this.models.alphabet;
  }

  private async run(model: ModelRunner, input: Float32Array, dims: number[]): Promise<Record<string, TensorOut>> {
    try {
      return await model.run(input, dims);
    } catch (e) {
      throw new OcrError('inference', `OCR inference failed for input ${JSON.stringify(dims)}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
}
