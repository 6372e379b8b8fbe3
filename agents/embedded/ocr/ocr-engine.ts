/**
 * OCR for screens: PP-OCRv4 detection + recognition on onnxruntime-node (CPU), with our own
 * axis-aligned pre/post-processing, word and widget-group splitting, and incremental
 * re-reading of only what changed between two frames.
 */
import { frameRgb, type Frame, type RgbImage } from '../../../src/core/frame.ts';
import type { OcrResult } from '../../../kernels/ocr/types.ts';
import { lumaInto } from '../../../kernels/gray.ts';
import { DEFAULT_LAYOUT_OPTIONS, layoutLine, type LayoutOptions, type LayoutWord } from '../../../kernels/ocr/line-layout.ts';
import { changedRegions, rectsIntersect, type Rect } from '../../../kernels/regions.ts';
import type { OcrPrecisionSetting } from './cpu-features.ts';
import { acquireOcrModels, defaultModelPaths, defaultThreads, OcrError, type OcrModelPaths } from './ocr-models.ts';
import { assemble, readingOrder } from './ocr-result.ts';
import { GLYPH_PADS, glyphCrop, OcrPipeline, regionKey, type ContentTiles, type DetectedLine, type PipelineOptions, type RegionDetection } from './ocr-pipeline.ts';
import { LazyReading, type LazyPort } from './query-read.ts';
import { redetectChanged } from './redetect.ts';
import {
  checkImage,
  DEFAULT_PIPELINE,
  isOneGlyph,
  LONE_GLYPH_MAX_CHARS,
  LONE_GLYPH_MIN_CONFIDENCE,
  LONE_GLYPH_SURE,
  MAX_ONE_GLYPH_RECHECKS,
  meanProb,
  ONE_GLYPH_RECHECK_BELOW,
} from './ocr-defaults.ts';

export { OcrError } from './ocr-models.ts';
export { LazyReading } from './query-read.ts';
export { MAX_OCR_PIXELS, MAX_OCR_SIDE } from './ocr-defaults.ts';

export interface OcrEngineOptions {
  models?: Partial<OcrModelPaths>;
  threads?: number;
  /**
   * Rewrite the models' graphs at load to fold Paddle2ONNX's elementwise chains into the
   * convolutions (exact up to float rounding; recognition ~35% faster). Default true.
   */
  foldGraphs?: boolean;
  /**
   * Run the models on this many worker threads (the first also runs the detector; recognition
   * batches spread over all, the cores shared out between them), so that the calling thread
   * stays free during OCR. 0 (the default) runs them on the calling thread. On the 2-core
   * bench machine 2 workers read ~10% faster and peak ~100 MB higher (glibc keeps each
   * thread's freed memory for that thread).
   */
  recognizerWorkers?: number;
  /**
   * The models' precision (cpu-features.ts): auto (int8 on CPUs with VNNI/AMX when it reads the
   * bench pages exactly as fp32), fp32, int8 (gated on any CPU), int8-unverified. Default:
   * $HANDEYE_OCR_PRECISION, else auto. precision() and each result's reading say what ran.
   */
  precision?: OcrPrecisionSetting;
  /**
   * Write onnxruntime profiles of the two models' sessions into this directory (one JSON file
   * per session, chrome://tracing format; completed by close()): where inference time goes,
   * node by node. test/bench/ocr-floor.ts reads them.
   */
  profileDir?: string;
  /** Longest side the detector sees (images are downscaled beyond it). */
  detMaxSide?: number;
  /** Lines whose mean character probability is below this are dropped (PaddleOCR: 0.5). */
  minLineConfidence?: number;
  pipeline?: Partial<PipelineOptions>;
  layout?: Partial<LayoutOptions>;
}

export interface RecognizeOptions {
  /** Detector input scale; by default 1, less for images larger than detMaxSide. */
  detScale?: number;
}

/** What a result remembers for incremental OCR (kept outside the plain-data result). */
interface DetState {
  scale: number;
  regions: Map<string, RegionDetection>;
  /** Crop key → words read from that crop (empty when the line was dropped). */
  reads: Map<string, LayoutWord[]>;
}

type Incremental = OcrResult & { reusedLines: number; reread: number };
/** The previous frame's state and where the pixels changed since, for incremental OCR. */
type Before = { state: DetState; changed: Rect[] } | undefined;

/** A frame's detection: the lines found and what recognition and the lone-glyph pass need of it. */
interface Detection extends Omit<DetState, 'reads'> {
  gray: Uint8Array;
  lines: DetectedLine[];
  /** The content tiles when still valid (same call); recomputed from `gray` otherwise. t0..t1: detection time. */
  tiles: ContentTiles | undefined;
  t0: number;
  t1: number;
}

export class OcrEngine {
  private static instance: OcrEngine | undefined;
  /** One engine per process (engines with the same models share their two ONNX sessions anyway). */
  static shared(): OcrEngine {
    return (OcrEngine.instance ??= new OcrEngine());
  }

  private pipeline: Promise<OcrPipeline> | undefined;
  /** Lets go of the models (shared with the other engines that use the same files). */
  private releaseModels: (() => Promise<void>) | undefined;
  private readonly states = new WeakMap<OcrResult, DetState>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly layoutScratch = { cols: new Uint8Array(0), hist: new Uint32Array(256) };
  private readonly layout: LayoutOptions;

  constructor(private readonly options: OcrEngineOptions = {}) {
    this.layout = { ...DEFAULT_LAYOUT_OPTIONS, ...options.layout };
  }

  /** The precision the loaded models run at and why (int8 or fp32: cpu-features.ts, int8-models.ts). */
  private modelPrecision: { precision: 'fp32' | 'int8'; why: string } = { precision: 'fp32', why: 'models not loaded yet' };

  /** The precision the models run at, and why (loads them). */
  async precision(): Promise<{ precision: 'fp32' | 'int8'; why: string }> {
    await this.getPipeline();
    return { ...this.modelPrecision };
  }

  /** Loads the models now instead of on the first recognize(). */
  warmUp(): Promise<void> {
    return this.getPipeline().then(() => undefined);
  }

  recognize(image: RgbImage, opts: RecognizeOptions = {}): Promise<OcrResult> {
    return this.serialized(() => this.run(image, opts, undefined)).then((r) => r.result);
  }

  /**
   * OCR of `next` re-reading only lines that intersect regions changed since `prev`
   * (plus text newly detected there); equal to recognize(next). `reusedLines` counts detected
   * lines whose reading was reused (some may read as nothing), `reread` those recognized anew.
   */
  recognizeIncremental(prev: { image: RgbImage; result: OcrResult }, next: RgbImage, opts: RecognizeOptions = {}): Promise<Incremental> {
    return this.serialized(async () => {
      checkImage(prev.image, 'previous image');
      checkImage(next, 'image');
      if (prev.image.width !== next.width || prev.image.height !== next.height) {
        throw new OcrError(
          'bad-image',
          `incremental OCR needs images of one size: previous ${prev.image.width}x${prev.image.height}, next ${next.width}x${next.height}`,
        );
      }
      const state = this.states.get(prev.result);
      const changed = changedRegions(prev.image.data, next.data, next.width, next.height, 3);
      const { result, reused, reread } = await this.run(next, opts, state ? { state, changed } : undefined);
      // The caller keeps this object, not `result`: register it too, so that it can be the
      // `prev` of the next incremental call (chained frames reuse what did not change).
      const out: Incremental = { ...result, reusedLines: reused, reread };
      this.states.set(out, this.states.get(result)!);
      return out;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const p = this.pipeline;
    this.pipeline = undefined;
    if (OcrEngine.instance === this) OcrEngine.instance = undefined;
    if (p) {
      await p.catch(() => undefined);
      await this.queue.catch(() => undefined);
      await this.releaseModels?.();
      this.releaseModels = undefined;
    }
  }

  private getPipeline(): Promise<OcrPipeline> {
    if (this.closed) return Promise.reject(new OcrError('closed', 'this OcrEngine has been closed'));
    if (!this.pipeline) {
      const paths = { ...defaultModelPaths(), ...this.options.models };
      const { models, release } = acquireOcrModels(paths, this.options.threads ?? defaultThreads(), {
        fold: this.options.foldGraphs,
        recWorkers: this.options.recognizerWorkers,
        profileDir: this.options.profileDir,
        precision: this.options.precision,
      });
      this.releaseModels = release;
      this.pipeline = models.then((m) => {
        this.modelPrecision = m.precision;
        return new OcrPipeline(m, { ...DEFAULT_PIPELINE, ...this.options.pipeline });
      });
      // A failed load is not cached: the next call retries (and fails with the same message).
      this.pipeline.catch(() => {
        this.pipeline = undefined;
        void release();
      });
    }
    return this.pipeline;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async run(image: RgbImage, opts: RecognizeOptions, prev: Before): Promise<{ result: OcrResult; reused: number; reread: number }> {
    checkImage(image, 'image');
    const pipeline = await this.getPipeline();
    const d = await this.detect(pipeline, image, opts, prev);
    // Recognition, only for crops that are new or whose pixels changed; then the lone glyphs
    // (found in what the read words leave uncovered) the same way.
    const [reads, counts] = [new Map<string, LayoutWord[]>(), { reused: 0, reread: 0 }];
    await this.readNew(pipeline, image, d.gray, d.lines, reads, prev, counts);
    const result = await this.finish(pipeline, image, d, reads, prev, counts);
    return { result, reused: counts.reused, reread: counts.reread };
  }

  /**
   * Detection of `image` and nothing read yet: a LazyReading (query-read.ts) that reads the lines
   * asked for, shows what it has read as an OcrResult, and completes to what recognize() or
   * recognizeIncremental(prev, image) returns. Lines of `prev` whose pixels did not change are
   * reused (never read again), whether `prev` was a complete or a partial reading.
   */
  recognizeLazy(image: RgbImage, opts: RecognizeOptions = {}, prev?: { image: RgbImage; result: OcrResult }): Promise<LazyReading> {
    return this.serialized(async () => {
      checkImage(image, 'image');
      let before: Before;
      if (prev) {
        checkImage(prev.image, 'previous image');
        const state = this.states.get(prev.result);
        if (state && prev.image.width === image.width && prev.image.height === image.height) {
          // The same image object is the same pixels: nothing changed.
          const changed = prev.image === image ? [] : changedRegions(prev.image.data, image.data, image.width, image.height, 3);
          before = { state, changed };
        }
      }
      const pipeline = await this.getPipeline();
      const found = await this.detect(pipeline, image, opts, before);
      // Its own copy: the pipeline's buffer is the next call's.
      const d: Detection = { ...found, gray: found.gray.slice(), tiles: undefined };
      const [reads, counts] = [new Map<string, LayoutWord[]>(), { reused: 0, reread: 0 }];
      const state: DetState = { scale: d.scale, regions: d.regions, reads };
      const port: LazyPort = {
        ...{ image, lines: d.lines, gray: d.gray, layout: this.layout, detectMs: d.t1 - d.t0 },
        // Keep in step with finish()'s `reading`.
        precision: this.modelPrecision.precision,
        ...{ counts, reads },
        read: (lines) => this.serialized(async () => this.readNew(await this.getPipeline(), image, d.gray, lines, reads, before, counts)),
        complete: () => this.serialized(async () => {
          const p = await this.getPipeline();
          await this.readNew(p, image, d.gray, d.lines, reads, before, counts);
          return this.finish(p, image, d, reads, before, counts);
        }),
        register: (result) => this.states.set(result, state),
      };
      return new LazyReading(port);
    });
  }

  /** Detection per content region; a region identical in place and pixels is reused, one that changed a little is detected again around the change (redetect.ts). */
  private async detect(pipeline: OcrPipeline, image: RgbImage, opts: RecognizeOptions, prev: Before): Promise<Detection> {
    const t0 = performance.now();
    const { width, height } = image;
    const gray = lumaInto(image.data, width * height, pipeline.scratch.grayOf(width * height));
    const scale = opts.detScale ?? Math.min(1, (this.options.detMaxSide ?? 2560) / Math.max(width, height));
    if (!(scale > 0 && scale <= 4)) throw new OcrError('bad-image', `detScale must be in (0, 4], got ${scale}`);
    const regions = new Map<string, RegionDetection>();
    const prevRegions = prev && prev.state.scale === scale ? prev.state.regions : undefined;
    const tiles = pipeline.contentTiles(gray, image);
    for (const region of pipeline.planRegions(gray, tiles, image, scale)) {
      const key = regionKey(region);
      const old = prevRegions?.get(key);
      const stale = old && prev!.changed.some((c) => rectsIntersect(c, old.footprint));
      regions.set(key, !old ? await pipeline.detectRegion(image, region, scale) : stale ? await redetectChanged(pipeline, image, gray, old, prev!.changed, scale) : old);
    }
    const lines = [...regions.values()].flatMap((r) => r.lines).sort(readingOrder);
    return { gray, scale, regions, lines, tiles, t0, t1: performance.now() };
  }

  /** After every detector line is read: the lone-glyph pass, then the result (registered for incremental OCR). */
  private async finish(
    pipeline: OcrPipeline,
    image: RgbImage,
    d: Detection,
    reads: Map<string, LayoutWord[]>,
    prev: Before,
    counts: { reused: number; reread: number },
  ): Promise<OcrResult> {
    const { width, height } = image;
    const { gray, scale, regions, t0, t1 } = d;
    const tiles = d.tiles ?? pipeline.contentTiles(gray, image);
    const lines = [...d.lines];
    // A detector line around one glyph is read like a line, and the recognizer, trained on lines,
    // misreads some lone glyphs from such a crop (a DPR-2 "2" as "N" at 0.86). The lone-glyph pass
    // looks again at the unsure ones from the glyph's own ink box, with a budget of its own so
    // that real lone glyphs are not crowded out, and a sure reading there replaces the line's.
    const oneGlyph = new Set(
      lines
        .filter((l) => !l.glyph && isOneGlyph(reads.get(l.key)) && reads.get(l.key)![0].confidence < ONE_GLYPH_RECHECK_BELOW)
        .slice(0, MAX_ONE_GLYPH_RECHECKS)
        .map((l) => l.key),
    );
    const wordBoxes = [...reads.entries()].flatMap(([key, ws]) => (oneGlyph.has(key) ? [] : ws.map((w) => w.box)));
    const glyphs = pipeline.loneGlyphLines(gray, image, tiles, wordBoxes, 1 / scale, oneGlyph.size);
    await this.readNew(pipeline, image, gray, glyphs, reads, prev, counts);
    // `reads` stays what each crop reads (incremental OCR reuses it), so the replaced lines are
    // left out when assembling instead.
    const replaced = new Set<string>();
    for (const g of glyphs) {
      const glyphWord = reads.get(g.key)?.[0];
      if (!glyphWord) continue;
      for (const key of oneGlyph) if (rectsIntersect(reads.get(key)![0].box, glyphWord.box)) replaced.add(key);
    }
    lines.push(...glyphs);
    lines.sort(readingOrder);
    const t2 = performance.now();
    const result = assemble(width, height, lines.filter((l) => !replaced.has(l.key)), reads);
    result.timings = { detectMs: t1 - t0, recognizeMs: t2 - t1, totalMs: performance.now() - t0 };
    result.reading = { detected: lines.length, recognized: counts.reread, reused: counts.reused, precision: this.modelPrecision.precision };
    this.states.set(result, { scale, regions, reads });
    return result;
  }

  /** Reads the lines not already in `reads`, reusing the previous frame's reading where its pixels did not change. */
  private async readNew(
    pipeline: OcrPipeline,
    image: RgbImage,
    gray: Uint8Array,
    lines: DetectedLine[],
    reads: Map<string, LayoutWord[]>,
    prev: Before,
    counts: { reused: number; reread: number },
  ): Promise<void> {
    const { width, height } = image;
    const toRead: DetectedLine[] = [];
    const queued = new Set<string>();
    for (const line of lines) {
      if (reads.has(line.key) || queued.has(line.key)) continue;
      queued.add(line.key);
      const old = prev?.state.reads.get(line.key);
      const cropRect: Rect = [Math.floor(line.crop.x1) - 1, Math.floor(line.crop.y1) - 1, Math.ceil(line.crop.x2) + 1, Math.ceil(line.crop.y2) + 1];
      if (old && !prev!.changed.some((c) => rectsIntersect(c, cropRect))) {
        reads.set(line.key, old);
        counts.reused++;
      } else toRead.push(line);
    }
    counts.reread += toRead.length;
    // A lone glyph is read from its tightest crop first, and from wider ones while unsure.
    const crops = toRead.map((l) => (l.glyph ? glyphCrop(l.glyph, GLYPH_PADS[0], image) : l.crop));
    const decoded = await pipeline.readLines(image, crops);
    for (const pad of GLYPH_PADS.slice(1)) {
      const unsure = toRead.flatMap((l, i) => (l.glyph && meanProb(decoded[i].chars) < LONE_GLYPH_SURE ? [i] : []));
      if (!unsure.length) break;
      const wider = unsure.map((i) => glyphCrop(toRead[i].glyph!, pad, image));
      const again = await pipeline.readLines(image, wider);
      unsure.forEach((i, k) => {
        if (meanProb(again[k].chars) > meanProb(decoded[i].chars)) {
          decoded[i] = again[k];
          crops[i] = wider[k];
        }
      });
    }
    const minConf = this.options.minLineConfidence ?? 0.5;
    toRead.forEach((line, i) => {
      const { chars, x0, xPerStep } = decoded[i];
      const crop = crops[i];
      const cols = Math.ceil(crop.x2) - Math.floor(crop.x1) + 1;
      if (this.layoutScratch.cols.length < cols) this.layoutScratch.cols = new Uint8Array(cols * 2);
      let words = layoutLine(
        gray,
        width,
        height,
        { ...crop, coreY1: line.coreY1, coreY2: line.coreY2, x0, xPerStep },
        chars,
        pipeline.alphabet,
        this.layout,
        this.layoutScratch,
      );
      const conf = meanProb(chars);
      if (conf < minConf) words = [];
      if (line.glyph) {
        // One word, boxed by the glyph's own ink (a wide crop also takes in its button's border).
        const text = words.map((w) => w.text).join('');
        const { x1, y1, x2, y2 } = line.glyph;
        const sure = conf >= LONE_GLYPH_MIN_CONFIDENCE && Array.from(text).length <= LONE_GLYPH_MAX_CHARS;
        words = sure && text ? [{ text, box: [x1, y1, x2, y2], confidence: conf, groupStart: true }] : [];
      }
      reads.set(line.key, words);
    });
  }
}

/**
 * OCR of a captured frame with the shared engine. The detector runs at 1/scale (at most 1)
 * so text reaches it at about its CSS size; recognition reads the full-resolution pixels.
 * With `prev` (an earlier frame of the same size and its reading), only what changed is read again.
 */
export async function ocrFrame(frame: Frame, prev?: { image: RgbImage; result: OcrResult }): Promise<OcrResult> {
  const rgb = await frameRgb(frame);
  const detScale = Math.min(1, 1 / Math.max(frame.scale || 1, 1e-3), 2560 / Math.max(rgb.width, rgb.height));
  const chained = prev && prev.image.width === rgb.width && prev.image.height === rgb.height;
  return chained ? OcrEngine.shared().recognizeIncremental(prev, rgb, { detScale }) : OcrEngine.shared().recognize(rgb, { detScale });
}
