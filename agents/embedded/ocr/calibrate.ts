/**
 * Activation ranges for int8 quantization (quantize.ts), measured on screens: the fp32 (folded)
 * models run with every activation to quantize exposed as an extra output, on the inputs the
 * OCR pipeline would feed them, and each activation's min and max is kept.
 *
 * The screens are PNGs stored with the code (screens/: the OCR bench pages and the widgets
 * fixture, rendered by Chromium with test/bench/ocr-screens.ts), so calibration is the same
 * offline, on any machine, and its result can be cached by their hash.
 *
 * Min/max rather than a percentile: the gate (int8-models.ts) demands the same text as fp32 on
 * every bench page, and clipping the rare largest activations (the strongest stroke and edge
 * responses, which decide glyphs) is what shifts a reading; screens have no sensor noise whose
 * outliers would waste the range. The cost is coarser steps for the bulk of each tensor.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { RgbImage } from '../../../src/core/frame.ts';
import { fillDetInput } from '../../../kernels/ocr/det-input.ts';
import { cropBackground, fillRecInput, recBucketWidth, recGeometry, REC_HEIGHT, type CropBox } from '../../../kernels/ocr/rec-input.ts';
import { OnnxGraph } from './onnx-graph.ts';
import { activationsToCalibrate, exposeActivations, type ValueRange } from './quantize.ts';

/** The stored screens: bench pages first (the gate reads those: int8-models.ts). */
export const SCREEN_FILES = ['dense.png', 'sparse.png', 'widgets.png'] as const;
/** The OCR bench's pages among them (test/bench/ocr.ts PAGES). */
export const BENCH_SCREENS = ['dense.png', 'sparse.png'] as const;

export interface Screen {
  name: string;
  rgb: RgbImage;
}

/** Reads the stored screens and a hash of their bytes (part of the int8 models' cache key). */
export async function loadScreens(dir = new URL('./screens/', import.meta.url)): Promise<{ screens: Screen[]; hash: string }> {
  const h = createHash('sha256');
  const screens: Screen[] = [];
  for (const name of SCREEN_FILES) {
    const png = await readFile(new URL(name, dir));
    h.update(name).update(png);
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    screens.push({ name, rgb: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height } });
  }
  return { screens, hash: h.digest('hex').slice(0, 16) };
}

/** Widens `ranges` by the extra outputs of one calibration run. */
function observe(ranges: Map<string, ValueRange>, out: ort.InferenceSession.OnnxValueMapType, values: string[]): void {
  for (const v of values) {
    const d = out[v].data as Float32Array;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < d.length; i++) {
      const a = d[i];
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
    const r = ranges.get(v);
    if (r) {
      r.min = Math.min(r.min, lo);
      r.max = Math.max(r.max, hi);
    } else ranges.set(v, { min: lo, max: hi });
  }
}

async function instrumented(bytes: Uint8Array, threads: number): Promise<{ session: ort.InferenceSession; values: string[] }> {
  const g = new OnnxGraph(bytes);
  const values = activationsToCalibrate(g);
  exposeActivations(g, values);
  const session = await ort.InferenceSession.create(g.encode(), { executionProviders: ['cpu'], intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  return { session, values };
}

/** Detector bands as the pipeline feeds them: scale 1, at most 1920×512, 32-px multiples. */
const DET_BAND = 512;
const DET_OVERLAP = 64;

/** Ranges of the detector's activations over the screens (`det`: the fp32 folded model's bytes). */
export async function calibrateDetector(det: Uint8Array, screens: Screen[], threads: number): Promise<Map<string, ValueRange>> {
  const { session, values } = await instrumented(det, threads);
  const ranges = new Map<string, ValueRange>();
  try {
    for (const { rgb } of screens) {
      const width = Math.ceil(rgb.width / 32) * 32;
      for (let y = 0; y < rgb.height; y += DET_BAND - DET_OVERLAP) {
        const height = Math.min(DET_BAND, Math.ceil((rgb.height - y) / 32) * 32);
        const input = new Float32Array(3 * width * height);
        fillDetInput(rgb.data, rgb.width, rgb.height, { x: 0, y, width, height }, 1, input);
        observe(ranges, await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, height, width]) }), values);
        if (y + height >= rgb.height) break;
      }
    }
  } finally {
    await session.release();
  }
  return ranges;
}

/**
 * Ranges of the recognizer's activations over the text lines of the screens (`lines`: their
 * boxes, as the fp32 OCR found them), cropped, scaled and batched as the pipeline does.
 */
export async function calibrateRecognizer(
  rec: Uint8Array,
  screens: Array<Screen & { lines: CropBox[] }>,
  threads: number,
): Promise<Map<string, ValueRange>> {
  const { session, values } = await instrumented(rec, threads);
  const ranges = new Map<string, ValueRange>();
  const hist = new Uint32Array(768);
  try {
    for (const { rgb, lines } of screens) {
      // Same-width buckets, eight crops a call.
      const byWidth = new Map<number, CropBox[]>();
      for (const box of lines) {
        const bw = recBucketWidth(recGeometry(box, 2).contentWidth);
        byWidth.set(bw, [...(byWidth.get(bw) ?? []), box]);
      }
      for (const [bw, boxes] of byWidth) {
        for (let i = 0; i < boxes.length; i += 8) {
          const batch = boxes.slice(i, i + 8);
          const slab = 3 * REC_HEIGHT * bw;
          const input = new Float32Array(slab * batch.length);
          batch.forEach((box, k) => {
            const pad = cropBackground(rgb.data, rgb.width, rgb.height, box, hist);
            fillRecInput(rgb.data, rgb.width, rgb.height, box, recGeometry(box, 2), pad, bw, input, k * slab);
          });
          observe(ranges, await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, bw]) }), values);
        }
      }
    }
  } finally {
    await session.release();
  }
  return ranges;
}

/**
 * A line box of an OCR result padded as the detector pads its boxes (the unclip of 1.5 adds
 * about 0.4 of the text height around): what the recognizer is given.
 */
export function recCrop(box: readonly [number, number, number, number], image: RgbImage): CropBox {
  const pad = 0.4 * (box[3] - box[1]);
  return {
    x1: Math.max(0, box[0] - pad),
    y1: Math.max(0, box[1] - pad),
    x2: Math.min(image.width, box[2] + pad),
    y2: Math.min(image.height, box[3] + pad),
  };
}
