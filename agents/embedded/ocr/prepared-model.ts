/**
 * Rewritten model graphs (fold-graph.ts, rec-head.ts), cached on disk. The rewrite costs
 * ~250 ms of each process's first OCR; reading its result back costs a few. An entry is keyed
 * by a hash of the source model's bytes, the recipe, and the source of the rewriting code, so
 * a changed model or a changed rewrite never reads a stale entry. Writes are atomic (rename);
 * a cache that cannot be written is skipped; a corrupt entry is rebuilt (see discard).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

export type ModelMeta = Record<string, number | null>;

export interface PreparedModel {
  bytes: Uint8Array;
  meta: ModelMeta;
  /** Where the entry is (or would be) kept; undefined with no cache. */
  entry?: string;
  /** Whether the bytes came from the cache. */
  cached: boolean;
  /** A file holding exactly these bytes (the cache entry), when there is one. */
  file?: string;
}

/** The files whose code decides what a rewrite produces. */
// The cache key covers the rewrite code as it runs: the TypeScript sources, or their build.
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const REWRITE_SOURCES = ['fold-graph', 'rec-head', 'onnx-graph', 'onnx-proto'].map((f) => f + EXT);
const rewriteHashes = new Map<string, Promise<string | undefined>>();

/** A hash of the rewrite code's sources, with `extra` (more module names of this directory, e.g. the quantizer's). */
function rewriteCodeHash(extra: readonly string[] = []): Promise<string | undefined> {
  const files = [...REWRITE_SOURCES, ...extra.map((f) => f + EXT)];
  const key = files.join(',');
  let hash = rewriteHashes.get(key);
  if (!hash) {
    hash = Promise.all(files.map((f) => readFile(new URL(f, import.meta.url))))
      .then((texts) => {
        const h = createHash('sha256');
        for (const t of texts) h.update(t);
        return h.digest('hex').slice(0, 16);
      })
      .catch(() => undefined);
    rewriteHashes.set(key, hash);
  }
  return hash;
}

/**
 * The cache directory: $HANDEYE_CACHE_DIR, else $XDG_CACHE_HOME/handeye, else ~/.cache/handeye
 * (models/ within it). HANDEYE_CACHE_DIR=off disables the cache.
 */
export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env.HANDEYE_CACHE_DIR;
  if (own === 'off') return undefined;
  const root = own || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'handeye');
  return join(root, 'models');
}

/**
 * The rewritten model for `source` (the bytes of the file at `path`) under `recipe`: from the
 * cache when there, else built with `build` and stored for the next process.
 */
export async function prepareModel(opts: {
  path: string;
  source: Uint8Array;
  recipe: string;
  /** May be async: the int8 rewrite runs the models to calibrate them (int8-models.ts). */
  build: (source: Uint8Array) => Promise<{ bytes: Uint8Array; meta: ModelMeta }> | { bytes: Uint8Array; meta: ModelMeta };
  cacheDir?: string;
  /** More modules (names in this directory, no extension) whose code decides the result. */
  code?: readonly string[];
}): Promise<PreparedModel> {
  const dir = opts.cacheDir;
  const code = dir ? await rewriteCodeHash(opts.code) : undefined;
  if (!dir || !code) return { ...(await opts.build(opts.source)), cached: false };
  const stem = `${basename(opts.path).replace(/\.onnx$/i, '')}.${opts.recipe.replace(/[^a-z0-9]+/gi, '-')}`;
  const key = createHash('sha256').update(opts.source).update(`\0${opts.recipe}\0${code}`).digest('hex').slice(0, 24);
  const entry = join(dir, `${stem}.${key}`);
  try {
    const [bytes, meta] = await Promise.all([readFile(`${entry}.onnx`), readFile(`${entry}.json`, 'utf8')]);
    return { bytes, meta: JSON.parse(meta) as ModelMeta, entry, cached: true, file: `${entry}.onnx` };
  } catch {
    // Not cached yet (or half there): build it.
  }
  const built = await opts.build(opts.source);
  let file: string | undefined;
  try {
    await mkdir(dir, { recursive: true });
    const tmp = `${entry}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    // The metadata first: an .onnx file is only ever there with its .json.
    await writeFile(`${tmp}.json`, JSON.stringify(built.meta));
    await rename(`${tmp}.json`, `${entry}.json`);
    await writeFile(`${tmp}.onnx`, built.bytes);
    await rename(`${tmp}.onnx`, `${entry}.onnx`);
    file = `${entry}.onnx`;
    // Entries of the same model and recipe from other versions of the model or the code.
    for (const f of await readdir(dir)) {
      if (f.startsWith(`${stem}.`) && !f.startsWith(`${stem}.${key}.`) && /\.(onnx|json)$/.test(f)) await rm(join(dir, f), { force: true });
    }
  } catch {
    // A read-only or full disk only costs the next process the rewrite again.
  }
  return { ...built, entry, cached: false, file };
}

/** Deletes an entry that turned out unusable (ORT refused it), so the next load rebuilds it. */
export async function discard(model: PreparedModel): Promise<void> {
  if (!model.entry) return;
  await Promise.all([rm(`${model.entry}.onnx`, { force: true }), rm(`${model.entry}.json`, { force: true })]);
}
