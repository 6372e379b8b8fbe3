import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { decodeMessage, encodeMessage } from '../../../../agents/embedded/ocr/onnx-proto.ts';
import { OnnxGraph } from '../../../../agents/embedded/ocr/onnx-graph.ts';
import { foldGraph } from '../../../../agents/embedded/ocr/fold-graph.ts';
import { addGreedyHead, GREEDY_OUTPUTS } from '../../../../agents/embedded/ocr/rec-head.ts';
import { defaultModelPaths, loadOcrModels } from '../../../../agents/embedded/ocr/ocr-models.ts';
import { OcrEngine } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import type { RgbImage } from '../../../../src/core/frame.ts';
import { PageRenderer, screenshotRgb } from './render-page.ts';

const paths = defaultModelPaths();
const SESSION: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 2, graphOptimizationLevel: 'all', enableCpuMemArena: false };

/** Rows y..y+h and columns 0..w of a screenshot, normalized like the models' inputs, as NCHW. */
function pageSlice(rgb: RgbImage, y: number, h: number, w: number): Float32Array {
  const out = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) {
    for (let r = 0; r < h; r++) {
      for (let x = 0; x < w; x++) out[(c * h + r) * w + x] = (rgb.data[((y + r) * rgb.width + x) * 3 + c] / 255 - 0.5) / 0.5;
    }
  }
  return out;
}

function noise(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}

async function maxDifference(a: ort.InferenceSession, b: ort.InferenceSession, input: Float32Array, dims: number[]): Promise<number> {
  const tensor = new ort.Tensor('float32', input, dims);
  const ra = (await a.run({ [a.inputNames[0]]: tensor }))[a.outputNames[0]];
  const rb = (await b.run({ [b.inputNames[0]]: tensor }))[b.outputNames[0]];
  expect(rb.dims).toEqual(ra.dims);
  const x = ra.data as Float32Array;
  const y = rb.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

let page: RgbImage;
let renderer: PageRenderer;
beforeAll(async () => {
  renderer = await PageRenderer.start();
  const p = await renderer.open(readFileSync(new URL('../../../fixtures/ocr/widgets.html', import.meta.url), 'utf8'), { width: 1280, height: 720 }, 1);
  page = (await screenshotRgb(p)).rgb;
}, 60_000);
afterAll(async () => {
  await renderer?.close();
});

describe('the protobuf codec', () => {
  it.each(['detection', 'recognition'] as const)('re-encodes the %s model byte for byte', (which) => {
    const bytes = readFileSync(paths[which]);
    const fields = decodeMessage(bytes);
    expect(fields.length).toBeGreaterThan(2);
    expect(Buffer.from(encodeMessage(fields)).equals(bytes)).toBe(true);
  });

  it('names what is wrong with bytes that are not a message', () => {
    expect(() => decodeMessage(Uint8Array.of(0x0a, 0x05, 0x01))).toThrow(/field 1 runs past the end/);
    expect(() => decodeMessage(Uint8Array.of(0x0b))).toThrow(/wire type 3/);
    expect(() => new OnnxGraph(Uint8Array.of(0x08, 0x07))).toThrow(/no graph/);
  });
});

describe.each([
  { which: 'recognition' as const, shapes: [[1, 3, 48, 320], [2, 3, 48, 128], [1, 3, 48, 736]] },
  { which: 'detection' as const, shapes: [[1, 3, 160, 640], [1, 3, 96, 224]] },
])('the folded $which model', ({ which, shapes }) => {
  let original: ort.InferenceSession;
  let folded: ort.InferenceSession;
  let graph: OnnxGraph;
  let counts: ReturnType<typeof foldGraph>;
  let nodesBefore: number;
  beforeAll(async () => {
    const bytes = readFileSync(paths[which]);
    graph = new OnnxGraph(bytes);
    nodesBefore = graph.nodes.filter((n) => n.opType !== 'Constant').length;
    counts = foldGraph(graph);
    original = await ort.InferenceSession.create(paths[which], SESSION);
    folded = await ort.InferenceSession.create(graph.encode(), SESSION);
  }, 60_000);
  afterAll(async () => {
    await original?.release();
    await folded?.release();
  });

  it('folds every activation block and leaves no hardswish spelled out', () => {
    // PPLCNetV3: 28 (rec) and 24+ (det) conv → affine → hardswish → affine blocks.
    expect(counts.convAffine).toBeGreaterThanOrEqual(24);
    expect(counts.hardswish).toBeGreaterThanOrEqual(24);
    expect(counts.affineIntoConv).toBeGreaterThanOrEqual(20);
    expect(graph.nodes.filter((n) => n.opType === 'Clip')).toEqual([]);
    expect(graph.nodes.filter((n) => n.opType === 'Div' && graph.scalar(n.inputs[1]) === 6)).toEqual([]);
    if (which === 'detection') {
      // The DB head's two ConvTransposes absorb their bias Adds and BatchNormalization; the
      // squeeze-and-excitation blocks of the neck lose their full-size residual Add.
      expect(counts.transposeAffine).toBe(3);
      expect(counts.gateResidual).toBeGreaterThanOrEqual(8);
      expect(graph.nodes.filter((n) => n.opType === 'BatchNormalization' && graph.nodes.some((p) => p.opType === 'ConvTranspose' && p.outputs[0] === n.inputs[0]))).toEqual([]);
    }
    const nodesAfter = graph.nodes.filter((n) => n.opType !== 'Constant').length;
    expect(nodesAfter).toBeLessThan(nodesBefore - 3 * counts.hardswish);
  });

  it.each(shapes)('computes what the original computes for a %i×%i×%i×%i page slice and for noise', async (...dims) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const [batch, , h, w] = dims;
    const slice = new Float32Array(n);
    for (let k = 0; k < batch; k++) slice.set(pageSlice(page, 40 + 60 * k, h, w), k * 3 * h * w);
    // Probabilities (softmax / sigmoid outputs): equal up to float rounding.
    expect(await maxDifference(original, folded, slice, dims)).toBeLessThan(1e-4);
    expect(await maxDifference(original, folded, noise(n, 7), dims)).toBeLessThan(1e-4);
  });
});

it('an engine on folded models reads a page exactly as one on the original models', async () => {
  const a = new OcrEngine({ foldGraphs: false });
  const b = new OcrEngine({ foldGraphs: true });
  try {
    const [ra, rb] = [await a.recognize(page), await b.recognize(page)];
    expect(ra.words.length).toBeGreaterThan(10);
    expect(rb.words.map((w) => [w.text, w.box])).toEqual(ra.words.map((w) => [w.text, w.box]));
    rb.words.forEach((w, i) => expect(Math.abs(w.confidence - ra.words[i].confidence)).toBeLessThan(1e-3));
  } finally {
    await a.close();
    await b.close();
  }
}, 60_000);

describe('the greedy CTC head', () => {
  it('returns the argmax class and its probability per timestep, as the full output has them', async () => {
    const graph = new OnnxGraph(readFileSync(paths.recognition));
    expect(addGreedyHead(graph)).toEqual({ classes: 6625 });
    const original = await ort.InferenceSession.create(paths.recognition, SESSION);
    const headed = await ort.InferenceSession.create(graph.encode(), SESSION);
    try {
      expect(headed.outputNames).toEqual([GREEDY_OUTPUTS.classes, GREEDY_OUTPUTS.probs]);
      const dims = [2, 3, 48, 256];
      const input = new Float32Array(2 * 3 * 48 * 256);
      input.set(pageSlice(page, 40, 48, 256));
      input.set(pageSlice(page, 100, 48, 256), 3 * 48 * 256);
      const tensor = new ort.Tensor('float32', input, dims);
      const full = (await original.run({ [original.inputNames[0]]: tensor }))[original.outputNames[0]];
      const out = await headed.run({ [headed.inputNames[0]]: tensor });
      const [n, steps, classes] = full.dims as number[];
      expect(out[GREEDY_OUTPUTS.classes].dims).toEqual([n, steps]);
      expect(out[GREEDY_OUTPUTS.classes].type).toBe('int32');
      const probs = full.data as Float32Array;
      const best = out[GREEDY_OUTPUTS.classes].data as Int32Array;
      const bestProb = out[GREEDY_OUTPUTS.probs].data as Float32Array;
      let nonBlank = 0;
      for (let i = 0; i < n * steps; i++) {
        let b = 0;
        for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + b]) b = c;
        expect(best[i]).toBe(b);
        expect(bestProb[i]).toBe(probs[i * classes + b]);
        if (b) nonBlank++;
      }
      expect(nonBlank).toBeGreaterThan(5);
    } finally {
      await original.release();
      await headed.release();
    }
  }, 60_000);

  it('refuses a model whose class count does not match the dictionary, naming both files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handeye-dict-'));
    try {
      const dictionary = join(dir, 'short-dict.txt');
      writeFileSync(dictionary, 'a\nb\nc\n');
      const err = await loadOcrModels({ ...paths, dictionary }, 1).catch((e) => e);
      expect(err).toMatchObject({ code: 'model-load' });
      expect(err.message).toMatch(/emits 6625 classes but the dictionary .*short-dict\.txt gives 5/);
      expect(err.message).toContain(paths.recognition);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('names a recognition model file that is not ONNX', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handeye-model-'));
    try {
      const recognition = join(dir, 'rec.onnx');
      writeFileSync(recognition, 'not a model');
      const err = await loadOcrModels({ ...paths, recognition }, 1).catch((e) => e);
      expect(err).toMatchObject({ code: 'model-load' });
      expect(err.message).toContain(recognition);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
