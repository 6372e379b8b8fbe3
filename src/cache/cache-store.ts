import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ActionSchema } from '../core/actions.ts';
import { StepSchema } from '../core/task.ts';
import { writeAtomic } from '../compile/write-task.ts';
import { fingerprintDistance, SAME_SCREEN_BITS } from './fingerprint.ts';

/**
 * The step cache on disk: DIR/<task-key>/<slot>.json holds the entries of one decision slot (a
 * scripted step's n-th decision, or a goal run's n-th step), one per screen it was seen on, and
 * DIR/<task-key>/<slot>/ the target patches they point at. Every file is written to a temporary
 * name and renamed, so two runs writing at once never leave a torn file: the last one wins.
 */

export const CACHE_MODES = ['read-write', 'read-only', 'write-only'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** A small crop around a target as it was when the model chose it: found again near there, it is the same element. */
export const PatchSchema = z.object({ file: z.string(), box: Box, point: z.tuple([z.number(), z.number()]) });
export type Patch = z.infer<typeof PatchSchema>;

export const CachedActionSchema = z.object({
  /** The action as performed (frame pixels). */
  action: ActionSchema,
  /** The same action as a step naming its target by what is visible, when something visible names it. */
  step: StepSchema.optional(),
  /** One patch per target of the action (a click one, a drag two). */
  patches: z.array(PatchSchema),
});
export type CachedAction = z.infer<typeof CachedActionSchema>;

export const CacheEntrySchema = z.object({
  id: z.string(),
  fingerprint: z.string(),
  /** The recorded screen's bytes (imageDigest): a live screen with the same replays the actions as they were. */
  imageDigest: z.string().optional(),
  /** The screen right after the actions ran when recorded: seeing it again shows they had their effect. */
  afterDigest: z.string().optional(),
  width: z.number(),
  height: z.number(),
  actions: z.array(CachedActionSchema),
  /** The model's answer ended the run (finish) with this answer. */
  finish: z.object({ answer: z.string().optional() }).optional(),
  /** In steps mode: whether the decision finished its step. */
  stepComplete: z.boolean(),
  /** What the model call took when the entry was written. */
  modelMs: z.number(),
  createdAt: z.string(),
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;

const SlotFileSchema = z.object({ version: z.literal(1), slot: z.string(), entries: z.array(CacheEntrySchema) });

/** Entries kept per slot (different screens the same decision was made on). */
const MAX_ENTRIES = 4;

export interface CacheHit {
  entry: CacheEntry;
  distance: number;
  /** The live screen is the recorded one byte for byte. */
  exact?: boolean;
}

export class CacheStore {
  readonly dir: string;
  readonly warnings: string[] = [];
  /** False when the folder could not be written: nothing is written, hits still are read. */
  readonly writable: boolean;

  constructor(
    dir: string,
    readonly mode: CacheMode,
  ) {
    this.dir = path.resolve(dir);
    this.writable = mode !== 'read-only' && this.probe();
  }

  /** Whether files can be created in the folder (made when missing); a warning says why not. */
  private probe(): boolean {
    const file = path.join(this.dir, `.probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(file, '');
      unlinkSync(file);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      this.warnings.push(`the cache folder ${this.dir} cannot be written (${code}): ${this.mode === 'write-only' ? 'nothing will be cached' : 'using the entries already there, writing none'}`);
      return false;
    }
  }

  private slotFile(taskKey: string, slot: string): string {
    return path.join(this.dir, taskKey, `${slot}.json`);
  }

  /** The folder of a slot's patches. */
  patchDir(taskKey: string, slot: string): string {
    return path.join(this.dir, taskKey, slot);
  }

  /** A slot's entries; a damaged or foreign file is ignored with a warning (and replaced at the next write). */
  entries(taskKey: string, slot: string): CacheEntry[] {
    const file = this.slotFile(taskKey, slot);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    try {
      const r = SlotFileSchema.safeParse(JSON.parse(text));
      if (r.success) return r.data.entries;
      this.warn(`the cache entry ${file} does not have the expected shape (${r.error.issues[0]?.message}); ignored, the next write replaces it`);
    } catch (e) {
      this.warn(`the cache entry ${file} is damaged (${(e as Error).message.split('\n')[0]}); ignored, the next write replaces it`);
    }
    return [];
  }

  private warn(w: string): void {
    if (!this.warnings.includes(w)) this.warnings.push(w);
  }

  /** The entry recorded on this very screen (the same bytes), if any. */
  lookupExact(taskKey: string, slot: string, digest: string, size: { width: number; height: number }): CacheHit | undefined {
    const entry = this.entries(taskKey, slot).find((e) => e.imageDigest === digest && e.width === size.width && e.height === size.height);
    return entry && { entry, distance: 0, exact: true };
  }

  /** The entry seen on the screen nearest this fingerprint, when it is near enough to be the same screen. */
  lookup(taskKey: string, slot: string, fingerprint: string, size: { width: number; height: number }): CacheHit | undefined {
    let best: CacheHit | undefined;
    for (const entry of this.entries(taskKey, slot)) {
      if (entry.width !== size.width || entry.height !== size.height) continue;
      const distance = fingerprintDistance(entry.fingerprint, fingerprint);
      if (distance <= SAME_SCREEN_BITS && (!best || distance < best.distance)) best = { entry, distance };
    }
    return best;
  }

  /** Adds or replaces (same screen) a slot's entry: patches first, then the slot file, each atomically. */
  write(taskKey: string, slot: string, entry: CacheEntry, patches: Map<string, Buffer>): boolean {
    if (!this.writable) return false;
    try {
      for (const [file, png] of patches) writeAtomic(path.join(this.patchDir(taskKey, slot), file), png);
      const before = this.entries(taskKey, slot);
      const kept = before.filter((e) => e.width !== entry.width || e.height !== entry.height || fingerprintDistance(e.fingerprint, entry.fingerprint) > SAME_SCREEN_BITS);
      const entries = [entry, ...kept].slice(0, MAX_ENTRIES);
      writeAtomic(this.slotFile(taskKey, slot), JSON.stringify({ version: 1, slot, entries }, null, 1) + '\n');
      this.prunePatches(taskKey, slot, before.filter((e) => !entries.includes(e)));
      return true;
    } catch (e) {
      this.warn(`could not write the cache entry ${this.slotFile(taskKey, slot)}: ${(e as Error).message.split('\n')[0]}`);
      return false;
    }
  }

  /** Drops an entry that no longer holds (its target gone, its effect not seen). */
  remove(taskKey: string, slot: string, id: string): void {
    if (!this.writable) return;
    const all = this.entries(taskKey, slot);
    const gone = all.filter((e) => e.id === id);
    if (!gone.length) return;
    try {
      writeAtomic(this.slotFile(taskKey, slot), JSON.stringify({ version: 1, slot, entries: all.filter((e) => e.id !== id) }, null, 1) + '\n');
      this.prunePatches(taskKey, slot, gone);
    } catch (e) {
      this.warn(`could not update the cache entry ${this.slotFile(taskKey, slot)}: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  private prunePatches(taskKey: string, slot: string, entries: CacheEntry[]): void {
    for (const e of entries) for (const a of e.actions) for (const p of a.patches) rmSync(path.join(this.patchDir(taskKey, slot), p.file), { force: true });
  }
}
