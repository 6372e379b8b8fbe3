/**
 * The OCR models on worker threads holding onnxruntime sessions: the first worker holds the
 * detector and a recognizer, the others a recognizer each (OcrEngineOptions.recognizerWorkers).
 *
 * - The calling thread stays free while the models run (a dense page is seconds of inference).
 * - Recognition batches are independent, so two batches on two single-threaded sessions beat
 *   one batch at a time on one two-threaded session (a small batch spends much of a run waking
 *   and joining the second thread): the sparse bench page's recognition took 154 ms against
 *   179 in a side-by-side probe.
 * - The cost is memory: glibc keeps what a thread frees for that thread, so each worker holds
 *   its own high-water mark (about +60 MB a worker at peak on the dense bench page).
 */
import { Worker } from 'node:worker_threads';
import type ort from 'onnxruntime-node';

/** A model as bytes, or as a file that holds them. */
export type ModelSource = { bytes: Uint8Array; file?: undefined } | { file: string; bytes?: undefined };

export interface WorkerModel {
  name: string;
  source: ModelSource;
  options: ort.InferenceSession.SessionOptions;
}

export interface TensorOut {
  data: Float32Array | Int32Array;
  dims: number[];
}

/** How long a released worker may take to let go of its sessions before it is terminated. */
const STOP_GRACE_MS = 5000;

export class WorkerPoolError extends Error {
  override name = 'WorkerPoolError';
}

interface Pending {
  resolve: (out: Record<string, TensorOut>) => void;
  reject: (e: Error) => void;
}

class Slot {
  readonly pending = new Map<number, Pending>();
  dead: string | undefined;
  private nextId = 0;
  private constructor(
    readonly worker: Worker,
    readonly models: ReadonlySet<string>,
  ) {}

  static start(models: WorkerModel[]): Promise<Slot> {
    const worker = new Worker(new URL('./ort-worker.mjs', import.meta.url), {
      // A file is read by the worker itself: no copy of the model passes through this thread.
      workerData: {
        models: models.map((m) => ({ name: m.name, model: m.source.file ?? m.source.bytes, options: m.options })),
        profiling: models.some((m) => m.options.enableProfiling),
      },
      // The worker is plain JavaScript: it needs none of the parent's loaders (tsx).
      execArgv: [],
    });
    return new Promise((resolve, reject) => {
      const fail = (e: Error): void => {
        void worker.terminate();
        reject(e);
      };
      worker.once('error', fail);
      worker.once('message', (m: { ready?: boolean; failed?: string }) => {
        worker.off('error', fail);
        if (m.failed !== undefined) return fail(new WorkerPoolError(m.failed));
        const slot = new Slot(worker, new Set(models.map((x) => x.name)));
        slot.listen();
        worker.unref();
        resolve(slot);
      });
    });
  }

  private listen(): void {
    this.worker.on('message', (m: { id: number; error?: string; outputs?: Record<string, TensorOut> }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) this.worker.unref();
      if (m.error !== undefined) p.reject(new WorkerPoolError(m.error));
      else p.resolve(m.outputs!);
    });
    const stopped = (why: string): void => {
      this.dead ??= why;
      for (const p of this.pending.values()) p.reject(new WorkerPoolError(`the OCR worker stopped: ${why}`));
      this.pending.clear();
    };
    this.worker.on('error', (e) => stopped(e.message));
    this.worker.on('exit', (code) => stopped(`exit code ${code}`));
  }

  /**
   * Ends the worker: it first releases its sessions (and writes their profiles), unless it is
   * dead or takes longer than `graceMs`.
   */
  async stop(graceMs: number): Promise<void> {
    if (!this.dead) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.worker.on('message', (m: { ended?: boolean }) => m.ended && (clearTimeout(timer), resolve()));
        this.worker.once('exit', () => (clearTimeout(timer), resolve()));
        this.worker.postMessage({ end: true });
      });
    }
    await this.worker.terminate();
  }

  run(model: string, input: Float32Array, dims: readonly number[]): Promise<Record<string, TensorOut>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new WorkerPoolError(`the OCR worker stopped: ${this.dead}`));
      this.pending.set(id, { resolve, reject });
      // A pending run keeps the process alive; an idle worker does not.
      this.worker.ref();
      this.worker.postMessage({ id, model, data: input, dims }, [input.buffer as ArrayBuffer]);
    });
  }
}

export interface WorkerPool {
  /** Runs `model` on a [n, c, h, w] input, on the least busy worker that has it; `input` is handed over. */
  run(model: string, input: Float32Array, dims: readonly number[]): Promise<Record<string, TensorOut>>;
  /** Workers holding `model`. */
  count(model: string): number;
  release(): Promise<void>;
}

/**
 * Starts one worker per entry of `layout` (the models it holds). A worker that dies is replaced
 * at the next run.
 */
export async function startWorkerPool(layout: WorkerModel[][]): Promise<WorkerPool> {
  const slots = layout.map((models) => Slot.start(models));
  try {
    await Promise.all(slots);
  } catch (e) {
    await Promise.all(slots.map((s) => s.then((x) => x.worker.terminate(), () => undefined)));
    throw e;
  }
  let released = false;
  return {
    count: (model) => layout.filter((ms) => ms.some((m) => m.name === model)).length,
    async run(model, input, dims) {
      if (released) throw new WorkerPoolError('the OCR workers have been released');
      const live = await Promise.all(slots.map((s) => s.catch(() => undefined)));
      live.forEach((s, i) => {
        if (!s || s.dead) slots[i] = Slot.start(layout[i]);
      });
      const ready = (await Promise.all(slots)).filter((s) => !s.dead && s.models.has(model));
      if (!ready.length) throw new WorkerPoolError(`no OCR worker holds the ${model} model`);
      return ready.reduce((a, b) => (b.pending.size < a.pending.size ? b : a)).run(model, input, dims);
    },
    async release() {
      released = true;
      await Promise.all(slots.map((s) => s.then((x) => x.stop(STOP_GRACE_MS), () => undefined)));
    },
  };
}
