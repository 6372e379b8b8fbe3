/**
 * The int8 variant of the OCR models and the gate that decides whether it may be used.
 *
 * Build (once per model, quantizer code and calibration screens; cached like the folded models,
 * prepared-model.ts): the fp32 folded models are calibrated on the stored screens
 * (calibrate.ts) and quantized (quantize.ts). Their source for the cache key is the fp32
 * prepared bytes, so a new fold rewrite, model or dictionary head rebuilds them too.
 *
 * Gate (once per pair of int8 models; the verdict is cached next to them): the full OCR, fp32
 * and int8, on the OCR bench's pages (screens/dense.png, sparse.png: the renders the bench
 * reads). int8 passes only if every line and word comes out with the same text and the same
 * box: then recall, precision and every downstream match are the same too. Confidences may
 * differ; a confidence that drops a line or changes a lone-glyph decision shows up as a
 * difference in text. Any difference keeps fp32, and so does an int8 that is not faster here
 * (measured on a VNNI + AMX Xeon: identical pages read ×0.7 the speed of fp32, README).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type { OcrResult } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { BENCH_SCREENS, calibrateDetector, calibrateRecognizer, loadScreens, recCrop, type Screen } from './calibrate.ts';
import type { CpuInt8Units } from './cpu-features.ts';
import { OnnxGraph } from './onnx-graph.ts';
import type { OcrModelPaths } from './ocr-models.ts';
import { prepareModel, type ModelMeta, type PreparedModel } from './prepared-model.ts';
import { quantizeGraph, type ValueRange } from './quantize.ts';

/** Modules whose code decides the int8 models (besides the fold rewrite's, always keyed). */
const INT8_CODE = ['quantize', 'calibrate', 'int8-models'];
/** Modules whose code decides a gate verdict (the OCR that reads the pages). */
const GATE_CODE = ['int8-models', 'ocr-engine', 'ocr-pipeline', 'ocr-result'];
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Whether this CPU wants 7-bit recognizer weights (buildInt8 reduceRange): those without VNNI or AMX. */
export const reduceRangeFor = (units: CpuInt8Units): boolean => !units.vnni && !units.amx;

export interface Int8Build {
  det: PreparedModel;
  rec: PreparedModel;
  /** Hash of the two int8 models' bytes and the screens: the gate verdict's key. */
  key: string;
}

/** Reads the screens' text lines with the fp32 OCR: the recognizer's calibration crops. */
async function fp32Lines(paths: OcrModelPaths, threads: number, screens: Screen[]): Promise<Array<Screen & { lines: ReturnType<typeof recCrop>[] }>> {
  // Imported here: ocr-engine.ts loads its models through ocr-models.ts, which imports this module lazily.
  const { OcrEngine } = await import('./ocr-engine.ts');
  const engine = new OcrEngine({ models: paths, threads, precision: 'fp32' });
  try {
    const out = [];
    for (const s of screens) {
      const r = await engine.recognize(s.rgb);
      out.push({ ...s, lines: r.lines.map((l) => recCrop(l.box, s.rgb)) });
    }
    return out;
  } finally {
    await engine.close();
  }
}

/**
 * The int8 models for fp32 prepared ones (`det`, `rec`: folded, the recognizer with its greedy
 * head; `recMeta`: what its rewrite learnt, carried over). `adjust` edits the calibrated ranges
 * before quantization (tests: a deliberately broken quantization); an adjusted build is not cached.
 */
export async function buildInt8(opts: {
  paths: OcrModelPaths;
  det: Uint8Array;
  rec: Uint8Array;
  recMeta: ModelMeta;
  threads: number;
  cacheDir: string | undefined;
  /**
   * 7-bit recognizer weights, for CPUs without VNNI (quantize.ts QuantizeOptions). Measured on
   * the dense screen (AVX2): recognizer lines read differently from fp32 went from 32 to 14 of
   * 173, but the detector's mask disagreed on 17% of text pixels instead of 7%; so the
   * detector keeps 8 bits.
   */
  reduceRange?: boolean;
  adjust?: (ranges: Map<string, ValueRange>) => void;
}): Promise<Int8Build> {
  const { screens, hash } = await loadScreens();
  const recRecipe = `int8${opts.reduceRange ? 'w7' : ''}-${hash}`;
  const cacheDir = opts.adjust ? undefined : opts.cacheDir;
  const quantized = async (source: Uint8Array, ranges: Map<string, ValueRange>, meta: ModelMeta, reduceRange = false) => {
    opts.adjust?.(ranges);
    const g = new OnnxGraph(source);
    const counts = quantizeGraph(g, ranges, { reduceRange });
    return { bytes: g.encode(), meta: { ...meta, int8Convs: counts.convs, int8Activations: counts.activations } };
  };
  const det = await prepareModel({
    path: opts.paths.detection,
    source: opts.det,
    recipe: `int8-${hash}`,
    code: INT8_CODE,
    cacheDir,
    build: async (source) => quantized(source, await calibrateDetector(source, screens, opts.threads), {}),
  });
  const rec = await prepareModel({
    path: opts.paths.recognition,
    source: opts.rec,
    recipe: recRecipe,
    code: INT8_CODE,
    cacheDir,
    build: async (source) =>
      quantized(source, await calibrateRecognizer(source, await fp32Lines(opts.paths, opts.threads, screens), opts.threads), opts.recMeta, opts.reduceRange),
  });
  const key = createHash('sha256').update(det.bytes).update(rec.bytes).update(hash).digest('hex').slice(0, 24);
  return { det, rec, key };
}

/** Something that reads a screen: an OcrEngine. */
export interface ScreenReader {
  recognize(image: RgbImage): Promise<OcrResult>;
}

export interface GateVerdict {
  pass: boolean;
  /** Why it failed (the first difference), or what was compared. */
  why: string;
}

const describe = (r: OcrResult): string[] => [
  ...r.lines.map((l) => `line ${JSON.stringify(l.text)} @${l.box.join(',')}`),
  ...r.words.map((w) => `word ${JSON.stringify(w.text)} @${w.box.join(',')}`),
];

/** Compares two readers on the bench screens: same lines and words, same text, same boxes. */
export async function compareReaders(reference: ScreenReader, candidate: ScreenReader, screens: Screen[]): Promise<GateVerdict> {
  let words = 0;
  for (const s of screens) {
    const a = describe(await reference.recognize(s.rgb));
    const b = describe(await candidate.recognize(s.rgb));
    const at = a.findIndex((x, i) => x !== b[i]);
    if (at >= 0 || a.length !== b.length) {
      const i = at >= 0 ? at : Math.min(a.length, b.length);
      return { pass: false, why: `${s.name}: fp32 reads ${a[i] ?? '(nothing more)'}, int8 ${b[i] ?? '(nothing more)'}` };
    }
    words += a.length;
  }
  return { pass: true, why: `same lines and words (${words}) as fp32 on ${screens.map((s) => s.name).join(', ')}` };
}

/** int8 must read this much faster than fp32 to be used: a reading that only matches is no gain. */
const MIN_SPEEDUP = 1.05;

/** After an identical reading: whether the candidate reads the screens faster (best of two alternating reads each). */
export async function compareSpeed(reference: ScreenReader, candidate: ScreenReader, screens: Screen[]): Promise<GateVerdict> {
  const best = { reference: 0, candidate: 0 };
  for (const s of screens) {
    const ms = { reference: Infinity, candidate: Infinity };
    for (let i = 0; i < 2; i++) {
      for (const [k, r] of [['reference', reference], ['candidate', candidate]] as const) {
        const t = performance.now();
        await r.recognize(s.rgb);
        ms[k] = Math.min(ms[k], performance.now() - t);
      }
    }
    best.reference += ms.reference;
    best.candidate += ms.candidate;
  }
  const ratio = best.reference / best.candidate;
  const times = `fp32 ${Math.round(best.reference)} ms, int8 ${Math.round(best.candidate)} ms (×${ratio.toFixed(2)})`;
  return ratio >= MIN_SPEEDUP ? { pass: true, why: `faster than fp32 on this CPU: ${times}` } : { pass: false, why: `int8 reads as fp32 does but is not faster on this CPU: ${times}` };
}

async function gateCodeHash(): Promise<string> {
  const h = createHash('sha256').update(ort.env.versions?.common ?? '');
  for (const f of GATE_CODE) h.update(await readFile(new URL(f + EXT, import.meta.url)).catch(() => new Uint8Array()));
  return h.digest('hex').slice(0, 16);
}

/**
 * Where the last verdict on int8 models made by this code from these fp32 models is noted, so
 * that `auto` can follow it without building anything (undefined without a cache).
 */
export async function autoVerdictFile(cacheDir: string | undefined, det: Uint8Array, rec: Uint8Array, reduceRange: boolean): Promise<string | undefined> {
  if (!cacheDir) return undefined;
  const h = createHash('sha256').update(det).update(rec).update(reduceRange ? 'reduce-range' : 'full-range').update(await gateCodeHash());
  for (const f of INT8_CODE) h.update(await readFile(new URL(f + EXT, import.meta.url)).catch(() => new Uint8Array()));
  return join(cacheDir, `int8-auto.${h.digest('hex').slice(0, 24)}.json`);
}

/** The noted verdict for `auto`, if the gate has run here (see autoVerdictFile). */
export async function readAutoVerdict(file: string | undefined): Promise<GateVerdict | undefined> {
  if (!file) return undefined;
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as GateVerdict;
    return typeof v.pass === 'boolean' && typeof v.why === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Notes a verdict for `auto` (temp file + rename; an unwritable cache is left alone). */
export async function noteAutoVerdict(file: string | undefined, verdict: GateVerdict): Promise<void> {
  if (!file) return;
  try {
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(verdict));
    await rename(tmp, file);
  } catch {
    // Unwritable cache: auto keeps fp32 until a verdict can be noted.
  }
}

/** Where the verdict for a build is kept (undefined without a cache). */
export async function verdictFile(cacheDir: string | undefined, build: Int8Build): Promise<string | undefined> {
  return cacheDir && join(cacheDir, `int8-gate.${build.key}.${await gateCodeHash()}.json`);
}

/**
 * The gate's verdict on `build`: from the cache, else measured by reading the bench screens
 * with fp32 and with the int8 models (both OcrEngines, `threads` each) and stored.
 */
export async function int8Verdict(paths: OcrModelPaths, threads: number, build: Int8Build, cacheDir: string | undefined): Promise<GateVerdict> {
  const file = await verdictFile(cacheDir, build);
  if (file) {
    try {
      const v = JSON.parse(await readFile(file, 'utf8')) as GateVerdict;
      if (typeof v.pass === 'boolean' && typeof v.why === 'string') return v;
    } catch {
      // Not measured yet (or unreadable): measure.
    }
  }
  const { OcrEngine } = await import('./ocr-engine.ts');
  const { screens } = await loadScreens();
  const bench = screens.filter((s) => (BENCH_SCREENS as readonly string[]).includes(s.name));
  const fp32 = new OcrEngine({ models: paths, threads, precision: 'fp32' });
  const int8 = new OcrEngine({ models: paths, threads, precision: 'int8-unverified' });
  let verdict: GateVerdict;
  try {
    verdict = await compareReaders(fp32, int8, bench);
    if (verdict.pass) {
      const speed = await compareSpeed(fp32, int8, bench);
      verdict = { pass: speed.pass, why: `${verdict.why}; ${speed.why}` };
    }
  } finally {
    await Promise.all([fp32.close(), int8.close()]);
  }
  if (file && cacheDir) {
    try {
      await mkdir(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(verdict));
      await rename(tmp, file);
    } catch {
      // Unwritable cache: the next process measures again.
    }
  }
  return verdict;
}
