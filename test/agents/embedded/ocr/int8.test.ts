/**
 * int8 OCR models (quantize.ts, calibrate.ts, int8-models.ts): real calibration on the stored
 * screens, real onnxruntime sessions, the real gate. Slow (each build calibrates on three
 * screens; the gate reads the dense bench page twice), so the builds are shared.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScreens, recCrop, type Screen } from '../../../../agents/embedded/ocr/calibrate.ts';
import { autoVerdictFile, buildInt8, compareReaders, compareSpeed, noteAutoVerdict, readAutoVerdict, reduceRangeFor, type Int8Build } from '../../../../agents/embedded/ocr/int8-models.ts';
import { OcrEngine } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { defaultModelPaths } from '../../../../agents/embedded/ocr/ocr-models.ts';
import { cpuInt8Units } from '../../../../agents/embedded/ocr/cpu-features.ts';
import { foldGraph } from '../../../../agents/embedded/ocr/fold-graph.ts';
import { OnnxGraph } from '../../../../agents/embedded/ocr/onnx-graph.ts';
import { addGreedyHead, GREEDY_OUTPUTS } from '../../../../agents/embedded/ocr/rec-head.ts';
import { readableRange, type ValueRange } from '../../../../agents/embedded/ocr/quantize.ts';
import { fillDetInput } from '../../../../kernels/ocr/det-input.ts';
import { cropBackground, fillRecInput, recBucketWidth, recGeometry, REC_HEIGHT } from '../../../../kernels/ocr/rec-input.ts';

const paths = defaultModelPaths();
const THREADS = 2;
// The weights the engine builds on this CPU, so that the tests' builds are the engine's cache entries.
const reduceRange = reduceRangeFor(cpuInt8Units());
let cacheDir: string;
let savedCache: string | undefined;
let detFp32: Uint8Array;
let recFp32: Uint8Array;
let screens: Screen[];
let build: Int8Build;

beforeAll(async () => {
  savedCache = process.env.HANDEYE_CACHE_DIR;
  cacheDir = mkdtempSync(join(tmpdir(), 'handeye-int8-'));
  // The engines the build and the gate start read the cache from the environment.
  process.env.HANDEYE_CACHE_DIR = cacheDir;
  const det = new OnnxGraph(readFileSync(paths.detection));
  foldGraph(det);
  detFp32 = det.encode();
  const rec = new OnnxGraph(readFileSync(paths.recognition));
  foldGraph(rec);
  const { classes } = addGreedyHead(rec);
  recFp32 = rec.encode();
  screens = (await loadScreens()).screens;
  build = await buildInt8({ paths, det: detFp32, rec: recFp32, recMeta: { classes: classes ?? null }, threads: THREADS, cacheDir: join(cacheDir, 'models'), reduceRange });
}, 600_000);

afterAll(() => {
  if (savedCache === undefined) delete process.env.HANDEYE_CACHE_DIR;
  else process.env.HANDEYE_CACHE_DIR = savedCache;
  rmSync(cacheDir, { recursive: true, force: true });
});

const session = (bytes: Uint8Array, optimized?: string) =>
  ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: THREADS, graphOptimizationLevel: 'all', ...(optimized && { optimizedModelFilePath: optimized }) });

/** Detector probability maps of the sparse screen (one band) from two models: share of text pixels (p > 0.3) that agree. */
async function detAgreement(a: Uint8Array, b: Uint8Array): Promise<number> {
  const s = screens.find((x) => x.name === 'sparse.png')!.rgb;
  const width = Math.ceil(s.width / 32) * 32;
  const height = Math.ceil(s.height / 32) * 32;
  const input = new Float32Array(3 * width * height);
  fillDetInput(s.data, s.width, s.height, { x: 0, y: 0, width, height }, 1, input);
  const run = async (bytes: Uint8Array) => {
    const sess = await session(bytes);
    const out = Object.values(await sess.run({ x: new ort.Tensor('float32', input.slice(), [1, 3, height, width]) }))[0].data as Float32Array;
    await sess.release();
    return out;
  };
  const [pa, pb] = [await run(a), await run(b)];
  let both = 0;
  let either = 0;
  for (let i = 0; i < pa.length; i++) {
    if (pa[i] > 0.3 && pb[i] > 0.3) both++;
    if (pa[i] > 0.3 || pb[i] > 0.3) either++;
  }
  return both / either;
}

/** Share of the sparse screen's lines two recognizers read as the same text (greedy CTC). */
async function recAgreement(a: Uint8Array, b: Uint8Array): Promise<number> {
  const s = screens.find((x) => x.name === 'sparse.png')!.rgb;
  const engine = new OcrEngine({ precision: 'fp32', threads: THREADS });
  const boxes = (await engine.recognize(s)).lines.map((l) => recCrop(l.box, s));
  await engine.close();
  const [sa, sb] = [await session(a), await session(b)];
  const text = (c: Int32Array) => c.filter((v, i) => v !== 0 && v !== c[i - 1]).join(',');
  let same = 0;
  const hist = new Uint32Array(768);
  for (const box of boxes) {
    const geom = recGeometry(box, 2);
    const bw = recBucketWidth(geom.contentWidth);
    const input = new Float32Array(3 * REC_HEIGHT * bw);
    fillRecInput(s.data, s.width, s.height, box, geom, cropBackground(s.data, s.width, s.height, box, hist), bw, input, 0);
    const ra = await sa.run({ x: new ort.Tensor('float32', input.slice(), [1, 3, REC_HEIGHT, bw]) });
    const rb = await sb.run({ x: new ort.Tensor('float32', input.slice(), [1, 3, REC_HEIGHT, bw]) });
    if (text(ra[GREEDY_OUTPUTS.classes].data as Int32Array) === text(rb[GREEDY_OUTPUTS.classes].data as Int32Array)) same++;
  }
  await Promise.all([sa.release(), sb.release()]);
  expect(boxes.length).toBeGreaterThan(5);
  return same / boxes.length;
}

describe('int8 OCR models', () => {
  it('are valid models whose convolutions onnxruntime runs as QLinearConv', async () => {
    for (const [name, m, minConvs] of [['det', build.det, 60], ['rec', build.rec, 40]] as const) {
      expect(m.meta.int8Convs).toBeGreaterThanOrEqual(minConvs);
      const optimized = join(cacheDir, `${name}-optimized.onnx`);
      await (await session(m.bytes, optimized)).release();
      const ops = new OnnxGraph(readFileSync(optimized)).nodes.map((n) => n.opType);
      // Every quantized conv became a QLinearConv: none runs as DQ → fp32 Conv.
      expect(ops.filter((o) => o === 'QLinearConv').length).toBe(m.meta.int8Convs);
    }
  }, 120_000);

  it('read a real screen close to fp32 (tolerances from measurement), unlike a broken quantization', async () => {
    // Measured on the sparse bench page: detector masks agree on ~0.97 of text pixels, the
    // recognizer reads ~0.9 of lines alike (2026-12-06, AVX2). Tolerances leave room for other CPUs.
    expect(await detAgreement(detFp32, build.det.bytes)).toBeGreaterThan(0.9);
    expect(await recAgreement(recFp32, build.rec.bytes)).toBeGreaterThan(0.7);
    // Absurd ranges (every activation clipped to 1% of its span): far off, so the checks above can fail.
    const broken = await buildInt8({ paths, det: detFp32, rec: recFp32, recMeta: {}, threads: THREADS, cacheDir: undefined, adjust: shrink, reduceRange });
    expect(await detAgreement(detFp32, broken.det.bytes)).toBeLessThan(0.5);
    expect(await recAgreement(recFp32, broken.rec.bytes)).toBeLessThan(0.3);
  }, 600_000);

  it('are built once and then read back from the cache', async () => {
    const again = await buildInt8({ paths, det: detFp32, rec: recFp32, recMeta: {}, threads: THREADS, cacheDir: join(cacheDir, 'models'), reduceRange });
    expect(again.det.cached && again.rec.cached).toBe(true);
    expect(again.key).toBe(build.key);
  }, 120_000);

  it('run when asked for (int8-unverified), reported as int8; a damaged cache entry is rebuilt', async () => {
    // Damage the cached recognizer: the engine must refuse it, rebuild it and run.
    const recFile = build.rec.file!;
    writeFileSync(recFile, readFileSync(recFile).subarray(0, 100_000));
    const engine = new OcrEngine({ precision: 'int8-unverified', threads: THREADS });
    try {
      expect(await engine.precision()).toMatchObject({ precision: 'int8' });
      const r = await engine.recognize(screens.find((s) => s.name === 'sparse.png')!.rgb);
      expect(r.reading?.precision).toBe('int8');
      expect(r.words.length).toBeGreaterThan(10);
    } finally {
      await engine.close();
    }
    expect(Buffer.from(readFileSync(recFile)).equals(Buffer.from(build.rec.bytes))).toBe(true);
  }, 600_000);

  it('the gate passes identical readings and names the first difference otherwise', async () => {
    const sparse = screens.filter((s) => s.name === 'sparse.png');
    const a = new OcrEngine({ precision: 'fp32', threads: THREADS });
    const b = new OcrEngine({ precision: 'fp32', threads: THREADS, pipeline: { recCacheSize: 0 } });
    try {
      expect(await compareReaders(a, b, sparse)).toMatchObject({ pass: true });
      // A reader that loses one word.
      const lossy = { recognize: async (img: Screen['rgb']) => ({ ...(await b.recognize(img)), words: (await b.recognize(img)).words.slice(1) }) };
      const v = await compareReaders(a, lossy, sparse);
      expect(v.pass).toBe(false);
      expect(v.why).toMatch(/^sparse\.png: fp32 reads word/);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 300_000);

  it('the gate refuses an int8 that reads alike but is not faster, and says both times', async () => {
    const sparse = screens.filter((s) => s.name === 'sparse.png');
    const engine = new OcrEngine({ precision: 'fp32', threads: THREADS });
    try {
      const result = await engine.recognize(sparse[0].rgb);
      const after = (ms: number) => ({ recognize: () => new Promise<typeof result>((done) => setTimeout(() => done(result), ms)) });
      const slow = await compareSpeed(after(5), after(60), sparse);
      expect(slow.pass).toBe(false);
      expect(slow.why).toMatch(/^int8 reads as fp32 does but is not faster on this CPU: fp32 \d+ ms, int8 \d+ ms \(×0\.\d+\)$/);
      expect(await compareSpeed(after(60), after(5), sparse)).toMatchObject({ pass: true, why: expect.stringMatching(/^faster than fp32 on this CPU/) });
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('a quantization that reads differently from fp32 is refused: the engine keeps fp32 and says why', async () => {
    // The cache holds a broken quantization (as a bug in the quantizer would leave): the gate must catch it.
    const broken = await buildInt8({ paths, det: detFp32, rec: recFp32, recMeta: build.rec.meta, threads: THREADS, cacheDir: undefined, adjust: shrink, reduceRange });
    writeFileSync(build.det.file!, broken.det.bytes);
    writeFileSync(build.rec.file!, broken.rec.bytes);
    const engine = new OcrEngine({ precision: 'int8', threads: THREADS });
    try {
      const p = await engine.precision();
      expect(p.precision).toBe('fp32');
      expect(p.why).toMatch(/int8 differs from fp32, so fp32: dense\.png: fp32 reads/);
      const r = await engine.recognize(screens.find((s) => s.name === 'sparse.png')!.rgb);
      expect(r.reading?.precision).toBe('fp32');
    } finally {
      await engine.close();
    }
    // The verdict is kept with the models: the next load does not read the pages again.
    expect(readdirSync(join(cacheDir, 'models')).filter((f) => f.startsWith('int8-gate.'))).toHaveLength(1);
    // And noted for `auto`, which follows it on a VNNI/AMX CPU without building anything.
    const noted = await autoVerdictFile(join(cacheDir, 'models'), detFp32, recFp32, reduceRange);
    const v = await readAutoVerdict(noted);
    expect(v?.pass).toBe(false);
    expect(v?.why).toMatch(/dense\.png: fp32 reads/);
  }, 900_000);

  it('notes verdicts for auto by the fp32 models and the code, and reads back only what was noted', async () => {
    const dir = join(cacheDir, 'auto-notes');
    const a = await autoVerdictFile(dir, detFp32, recFp32, true);
    const b = await autoVerdictFile(dir, detFp32, recFp32, false);
    expect(a).not.toBe(b);
    expect(await readAutoVerdict(a)).toBeUndefined();
    await noteAutoVerdict(a, { pass: true, why: 'same text and boxes on 2 pages' });
    expect(await readAutoVerdict(a)).toEqual({ pass: true, why: 'same text and boxes on 2 pages' });
    expect(await readAutoVerdict(b)).toBeUndefined();
    writeFileSync(a!, '{"pass": "yes"');
    expect(await readAutoVerdict(a)).toBeUndefined();
    expect(await autoVerdictFile(undefined, detFp32, recFp32, true)).toBeUndefined();
  });

  it('clips a range only where its readers cannot tell the values apart', () => {
    const g = new OnnxGraph(readFileSync(paths.recognition));
    foldGraph(g);
    const consumers = g.consumers();
    const byReaders = (ops: string) => g.nodes.find((n) => n.opType === 'Conv' && (consumers.get(n.outputs[0]) ?? []).map((c) => c.opType).sort().join('+') === ops)!.outputs[0];
    const wide: ValueRange = { min: -40, max: 30 };
    // hardswish: below -3 everything reads 0; above, it is the identity.
    const range = (ops: string) => {
      const r = readableRange(g, consumers, byReaders(ops), wide);
      // The folded graph's HardSigmoid has alpha 1/6 as a float32: -3 to 1e-7.
      return [Math.round(r.min * 1e5) / 1e5, Math.round(r.max * 1e5) / 1e5];
    };
    expect(range('HardSigmoid+Mul')).toEqual([-3, 30]);
    expect(range('Relu')).toEqual([0, 30]);
    expect(range('HardSigmoid')).toEqual([-3, 3]);
    // Read by a conv: every value matters.
    expect(readableRange(g, consumers, byReaders('Conv'), wide)).toEqual(wide);
  });
});

function shrink(ranges: Map<string, ValueRange>): void {
  for (const r of ranges.values()) {
    r.min *= 0.01;
    r.max *= 0.01;
  }
}
