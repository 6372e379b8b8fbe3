/**
 * Reading a screen lazily: the detector's lines are all known, and recognition runs only on the
 * lines asked for. A step that needs one label reads the few lines that could hold it (see
 * ground/settled-locate.ts) and the rest only when those do not settle its match.
 *
 * What was read stays read: a partial reading is a `prev` for recognizeIncremental and
 * recognizeLazy like a complete one (lines whose pixels did not change are reused), and
 * complete() reads only what is still unread.
 */
import type { RgbImage } from '../../../src/core/frame.ts';
import type { OcrResult } from '../../../kernels/ocr/types.ts';
import { groupExtents, type LayoutOptions, type LayoutWord } from '../../../kernels/ocr/line-layout.ts';
import { assemble } from './ocr-result.ts';
import type { DetectedLine } from './ocr-pipeline.ts';

/** What the engine lends a lazy reading (ocr-engine.ts builds it; its calls are serialized there). */
export interface LazyPort {
  image: RgbImage;
  /** Detector lines in reading order (the lone-glyph pass comes with complete()). */
  lines: readonly DetectedLine[];
  /** Luminance of `image` (a copy owned by this reading). */
  gray: Uint8Array;
  layout: LayoutOptions;
  detectMs: number;
  /** The models' numeric precision, for `reading` (as the complete result states it). */
  precision: NonNullable<OcrResult['reading']>['precision'];
  /** Lines reused from the previous frame and lines recognized, so far. */
  counts: { reused: number; reread: number };
  /** Crop key → words, for every line read so far. */
  reads: Map<string, LayoutWord[]>;
  read(lines: DetectedLine[]): Promise<void>;
  complete(): Promise<OcrResult>;
  /** Makes a result usable as `prev` of incremental OCR (with this reading's live state). */
  register(result: OcrResult): void;
}

/** Where a line's widget groups can be (groupExtents), in image pixels, and its text size. */
export interface LineExtents {
  em: number;
  runs: Array<[number, number]>;
}

export class LazyReading {
  private partialCache: { size: number; result: OcrResult } | undefined;
  private completed: Promise<OcrResult> | undefined;
  private readMs = 0;
  private readonly extents = new Map<string, LineExtents>();
  private readonly scratch = { cols: new Uint8Array(0), hist: new Uint32Array(256) };

  constructor(private readonly port: LazyPort) {}

  get image(): RgbImage {
    return this.port.image;
  }

  /** The detector's lines, in reading order. */
  get lines(): readonly DetectedLine[] {
    return this.port.lines;
  }

  isRead(line: DetectedLine): boolean {
    return this.port.reads.has(line.key);
  }

  unread(): DetectedLine[] {
    return this.port.lines.filter((l) => !this.port.reads.has(l.key));
  }

  /** Where the line's groups can be, from its pixels only (nothing is recognized). */
  extentsOf(line: DetectedLine): LineExtents {
    let e = this.extents.get(line.key);
    if (!e) {
      const { image, gray, layout } = this.port;
      e = groupExtents(gray, image.width, image.height, { ...line.crop, coreY1: line.coreY1, coreY2: line.coreY2 }, layout, this.scratch);
      this.extents.set(line.key, e);
    }
    return e;
  }

  /** Reads these lines (those already read, or unchanged since the previous frame, cost nothing). */
  async read(lines: DetectedLine[]): Promise<void> {
    const todo = lines.filter((l) => !this.port.reads.has(l.key));
    if (!todo.length || this.completed) return;
    const t = performance.now();
    await this.port.read(todo);
    this.readMs += performance.now() - t;
  }

  /**
   * The lines read so far as an OcrResult (no lone glyphs: those come from the complete reading).
   * `reading` counts the lines recognized and reused so far out of the detected ones.
   */
  partial(): OcrResult {
    const size = this.port.reads.size;
    if (this.partialCache?.size === size) return this.partialCache.result;
    const { image, lines, reads, counts, detectMs } = this.port;
    const result = assemble(image.width, image.height, lines.filter((l) => reads.has(l.key)), reads);
    result.timings = { detectMs, recognizeMs: this.readMs, totalMs: detectMs + this.readMs };
    result.reading = { detected: lines.length, recognized: counts.reread, reused: counts.reused, precision: this.port.precision };
    this.port.register(result);
    this.partialCache = { size, result };
    return result;
  }

  /** Whether every line has been read (complete() was asked for). */
  get isComplete(): boolean {
    return this.completed !== undefined;
  }

  /**
   * The whole screen's reading: equal to recognize(image) (or recognizeIncremental from the same
   * previous frame), with only the lines not read yet recognized now.
   */
  complete(): Promise<OcrResult> {
    if (!this.completed) {
      const t = performance.now();
      this.completed = this.port.complete().then((result) => {
        this.readMs += performance.now() - t;
        // The time spent reading, not the time between the first look and this one.
        result.timings = { detectMs: this.port.detectMs, recognizeMs: this.readMs, totalMs: this.port.detectMs + this.readMs };
        return result;
      });
    }
    return this.completed;
  }
}
