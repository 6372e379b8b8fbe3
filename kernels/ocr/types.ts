/** Box in image pixels: [x1, y1, x2, y2]. */
export type PixelBox = [number, number, number, number];

export interface OcrWord {
  text: string;
  box: PixelBox;
  /** Mean per-character probability, 0..1. */
  confidence: number;
  /** Index into OcrResult.lines. */
  line: number;
}

/** A run of words close enough to be one widget label ("Sign in"), split from its neighbours by wide gaps. */
export interface OcrGroup {
  text: string;
  box: PixelBox;
  confidence: number;
  line: number;
  /** Indices into OcrResult.words. */
  words: number[];
}

export interface OcrLine {
  text: string;
  box: PixelBox;
  confidence: number;
  /** Indices into OcrResult.words. */
  words: number[];
  /** Indices into OcrResult.groups. */
  groups: number[];
}

export interface OcrResult {
  width: number;
  height: number;
  lines: OcrLine[];
  words: OcrWord[];
  groups: OcrGroup[];
  timings?: { detectMs: number; recognizeMs: number; totalMs: number };
  /**
   * How this result was read: the text crops the detector found (lone-glyph crops included), how
   * many were recognized for it, how many readings were reused from the previous frame, and the
   * numeric precision the models ran at.
   */
  reading?: { detected: number; recognized: number; reused: number; precision: 'fp32' | 'int8' };
}
