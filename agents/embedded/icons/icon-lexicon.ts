/**
 * The icon lexicon, built once (lexicon-build.ts) and cached on disk beside the rewritten OCR
 * models (prepared-model.ts's directory and conventions): the entry is keyed by the icon sets'
 * versions, the build recipe and the source of the code that computes descriptors, so a
 * changed set or descriptor never reads a stale entry. Writes are atomic (temp file, rename);
 * a cache that cannot be written costs the next process a rebuild; a damaged entry (bad
 * magic, truncated, checksum mismatch) raises a HANDEYE_ICON_LEXICON_DAMAGED warning and is
 * rebuilt.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { centre, DESC_LEN, meanRow } from '../../../kernels/icon-descriptor.ts';
import { modelCacheDir } from '../ocr/prepared-model.ts';
import { sourceVersions, type IconSource } from './icon-sources.ts';
import { BUILD_RECIPE, buildLexicon } from './lexicon-build.ts';
import { decodeLexicon, encodeLexicon, LexiconFormatError, type LexiconData, type LexiconIcon } from './lexicon-format.ts';
import { buildVocabulary, type IconVocabulary } from './icon-words.ts';

export const DAMAGED_WARNING = 'HANDEYE_ICON_LEXICON_DAMAGED';
const STEM = 'icon-lexicon';

export interface IconLexicon {
  icons: LexiconIcon[];
  /** rows × DESC_LEN descriptors, centred on `mean` (kernels/icon-descriptor.ts centre); row r draws icons[owner[r]]. */
  table: Float32Array;
  mean: Float32Array;
  /** Rows of icon i: start[i] ≤ r < start[i + 1] (rows are grouped by icon). */
  start: Int32Array;
  /** The first rendering of each icon (icons × DESC_LEN), for a first, coarse pass. */
  proto: Float32Array;
  owner: Uint16Array;
  rows: number;
  vocabulary: IconVocabulary;
  /** Where it came from: the cache file, or built in this process (ms). */
  source: { cached: boolean; file?: string; buildMs: number; bytes?: number };
}

export interface LoadLexiconOptions {
  /** Cache directory; default: the OCR models' (HANDEYE_CACHE_DIR…), undefined with the cache off. */
  cacheDir?: string | null;
  /** Told when a cached entry was damaged and is being rebuilt (also emitted as a process warning). */
  onWarning?: (message: string) => void;
  /** Build from these icons instead of the installed sets (tests: a small lexicon builds in a second). */
  icons?: IconSource[];
}

// The cache key covers the code that decides descriptor values, as it runs (.ts or built .js).
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const CODE = [new URL(`../../../kernels/icon-descriptor${EXT}`, import.meta.url), new URL(`lexicon-build${EXT}`, import.meta.url), new URL(`icon-sources${EXT}`, import.meta.url)];

export async function lexiconKey(icons?: IconSource[]): Promise<string> {
  const h = createHash('sha256').update(JSON.stringify(sourceVersions())).update(BUILD_RECIPE);
  if (icons) h.update(JSON.stringify(icons));
  for (const u of CODE) h.update(await readFile(u).catch(() => Buffer.from(u.pathname)));
  return h.digest('hex').slice(0, 20);
}

function assemble(data: LexiconData, source: IconLexicon['source']): IconLexicon {
  const rows = data.owner.length;
  const table = new Float32Array(data.table);
  const mean = new Float32Array(DESC_LEN);
  meanRow(table, rows, mean);
  for (let r = 0; r < rows; r++) centre(table, mean, r * DESC_LEN);
  const start = new Int32Array(data.icons.length + 1);
  const proto = new Float32Array(data.icons.length * DESC_LEN);
  for (let r = rows - 1; r >= 0; r--) {
    if (r > 0 && data.owner[r] < data.owner[r - 1]) throw new LexiconFormatError(`rows are not grouped by icon at row ${r}`);
    start[data.owner[r]] = r;
  }
  start[data.icons.length] = rows;
  for (let i = 0; i < data.icons.length; i++) proto.set(table.subarray(start[i] * DESC_LEN, (start[i] + 1) * DESC_LEN), i * DESC_LEN);
  return { icons: data.icons, table, mean, start, proto, owner: data.owner, rows, vocabulary: buildVocabulary(data.icons), source };
}

/** The lexicon: from the cache when there and sound, else built (and cached). */
export async function loadIconLexicon(opts: LoadLexiconOptions = {}): Promise<IconLexicon> {
  const dir = opts.cacheDir === null ? undefined : (opts.cacheDir ?? modelCacheDir());
  const key = await lexiconKey(opts.icons);
  const file = dir && join(dir, `${STEM}.${key}.bin`);
  if (file) {
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes) {
      try {
        return assemble(decodeLexicon(bytes, key), { cached: true, file, buildMs: 0, bytes: bytes.length });
      } catch (e) {
        if (!(e instanceof LexiconFormatError)) throw e;
        const message = `icon lexicon cache ${file} is damaged (${e.message}); rebuilding it`;
        opts.onWarning?.(message);
        process.emitWarning(message, { code: DAMAGED_WARNING });
        await rm(file, { force: true });
      }
    }
  }
  const t0 = performance.now();
  const built = await buildLexicon({ icons: opts.icons });
  const data: LexiconData = { ...built, key, buildMs: performance.now() - t0 };
  let bytes: number | undefined;
  if (dir && file) bytes = await store(dir, file, key, data);
  return assemble(data, { cached: false, file: bytes ? file : undefined, buildMs: data.buildMs, bytes });
}

/** Writes the entry atomically and removes entries of other keys; returns its size, or undefined when the disk refused. */
async function store(dir: string, file: string, key: string, data: LexiconData): Promise<number | undefined> {
  try {
    await mkdir(dir, { recursive: true });
    const bytes = encodeLexicon(data);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    for (const f of await readdir(dir)) {
      if (f.startsWith(`${STEM}.`) && !f.startsWith(`${STEM}.${key}.`) && f.endsWith('.bin')) await rm(join(dir, f), { force: true });
    }
    return bytes.length;
  } catch {
    // A read-only or full disk only costs the next process the build again.
    return undefined;
  }
}

let shared: Promise<IconLexicon> | undefined;

/** The process-wide lexicon (loaded once; a failed load is retried next time). */
export function sharedIconLexicon(): Promise<IconLexicon> {
  shared ??= loadIconLexicon().catch((e) => {
    shared = undefined;
    throw e;
  });
  return shared;
}
