import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeTemplate } from '../../agents/embedded/ground/template.ts';
import { groundStep } from '../../agents/embedded/step-grounder.ts';
import { regionDiff } from '../../agents/embedded/verify-effect.ts';
import { LUMA_B, LUMA_G, LUMA_R, type GrayImage } from '../../kernels/gray.ts';
import type { PixelBox } from '../../kernels/ocr/types.ts';
import { integrals, matchTemplate, nccAt, prepareTemplate } from '../../kernels/template-match.ts';
import { actionTargets, type Action, type ActionInput, type Target } from '../core/actions.ts';
import type { ExecutorView } from '../core/agent.ts';
import { frameRgb, type Frame, type RgbImage } from '../core/frame.ts';
import { screenOf, type Screen } from '../compile/screen.ts';
import type { CachedAction, CacheEntry, Patch } from './cache-store.ts';
import { imageDigest } from './fingerprint.ts';

/**
 * A cached decision re-grounded on the live screen by the embedded engine: each target's patch
 * (a crop of the target when the model chose it) is looked for near where it was; found well
 * enough, the action moves with it. Otherwise the step naming the target by its visible text is
 * grounded on the screen's OCR, as a compiled task's step is. A target found neither way makes
 * the entry unusable here, and the model is asked.
 */

/** Correlation a patch must reach near its old place to be the same element. */
export const PATCH_MIN_SCORE = 0.9;
/** A text match weaker than this does not count as finding the target again. */
export const GROUND_MIN_SCORE = 0.75;

export type Regrounded = { ok: true; actions: ActionInput[]; how: string[] } | { ok: false; why: string };

const patchCache = new Map<string, Promise<GrayImage>>();

function loadPatch(file: string): Promise<GrayImage> {
  let p = patchCache.get(file);
  if (!p) {
    p = readFile(file).then((png) => decodeTemplate(png));
    patchCache.set(file, p);
    p.catch(() => patchCache.delete(file));
  }
  return p;
}

/** The grey of a box of the screen (luma as kernels/gray.ts weighs it), without converting the whole frame. */
function crop(rgb: RgbImage, b: PixelBox): GrayImage {
  const [x1, y1, x2, y2] = b;
  const w = x2 - x1;
  const out = new Uint8Array(w * (y2 - y1));
  for (let y = y1; y < y2; y++) {
    for (let x = x1, o = (y - y1) * w, i = (y * rgb.width + x1) * 3; x < x2; x++, o++, i += 3) {
      out[o] = (LUMA_R * rgb.data[i] + LUMA_G * rgb.data[i + 1] + LUMA_B * rgb.data[i + 2]) >> 8;
    }
  }
  return { data: out, width: w, height: y2 - y1 };
}

/** Where a patch is now, within a window around where it was: the offset it moved by, or undefined. */
async function findPatch(gray: RgbImage, patch: Patch, dir: string, scale: number): Promise<{ dx: number; dy: number; score: number } | undefined> {
  let tpl: GrayImage;
  try {
    tpl = await loadPatch(path.join(dir, patch.file));
  } catch {
    return undefined;
  }
  // Unchanged screens are the common case: the patch where it was, checked at one position.
  const at = exactAt(gray, tpl, patch.box);
  if (at >= EXACT_SCORE) return { dx: 0, dy: 0, score: Math.round(at * 1000) / 1000 };
  const r = Math.round(48 * Math.max(1, scale));
  const win: PixelBox = [Math.max(0, Math.floor(patch.box[0]) - r), Math.max(0, Math.floor(patch.box[1]) - r), Math.min(gray.width, Math.ceil(patch.box[2]) + r), Math.min(gray.height, Math.ceil(patch.box[3]) + r)];
  if (win[2] - win[0] < tpl.width || win[3] - win[1] < tpl.height) return undefined;
  const hit = matchTemplate(crop(gray, win), tpl);
  if (!hit || hit.score < PATCH_MIN_SCORE) return undefined;
  return { dx: win[0] + hit.x - Math.floor(patch.box[0]), dy: win[1] + hit.y - Math.floor(patch.box[1]), score: hit.score };
}

/** A correlation this high at the old place needs no search around it. */
const EXACT_SCORE = 0.98;

function exactAt(gray: RgbImage, tpl: GrayImage, box: PixelBox): number {
  const x = Math.floor(box[0]);
  const y = Math.floor(box[1]);
  if (x < 0 || y < 0 || x + tpl.width > gray.width || y + tpl.height > gray.height) return 0;
  const win = crop(gray, [x, y, x + tpl.width, y + tpl.height]);
  return nccAt(win, integrals(win), prepareTemplate(tpl), 0, 0);
}

function moved(t: Target, dx: number, dy: number): Target {
  return {
    ...(t.box ? { box: [t.box[0] + dx, t.box[1] + dy, t.box[2] + dx, t.box[3] + dy] as Target['box'] } : {}),
    ...(t.point ? { point: [t.point[0] + dx, t.point[1] + dy] as Target['point'] } : {}),
    ...(t.label ? { label: t.label } : {}),
  };
}

/** The action with each target moved by its own offset (targets in actionTargets order). */
function shiftAction(a: Action, offsets: { dx: number; dy: number }[]): ActionInput {
  const o = structuredClone(a) as Record<string, unknown>;
  const keys = a.action === 'drag' || a.action === 'swipe' ? ['from', 'to'] : ['target'];
  keys.forEach((k, i) => {
    if (o[k]) o[k] = moved(o[k] as Target, offsets[i].dx, offsets[i].dy);
  });
  return o as ActionInput;
}

export interface LiveScreen {
  frame: Frame;
  executor?: ExecutorView;
  /** The OCR'd screen, read only when a patch is not found. */
  screen: () => Promise<Screen>;
}

export function liveScreen(frame: Frame, executor?: ExecutorView): LiveScreen {
  let s: Promise<Screen> | undefined;
  return { frame, executor, screen: () => (s ??= screenOf(frame)) };
}

async function regroundOne(c: CachedAction, live: LiveScreen, gray: RgbImage, dir: string): Promise<{ actions: ActionInput[]; how: string } | { why: string }> {
  const targets = actionTargets(c.action);
  if (!targets.length) return { actions: [c.action], how: c.action.action };
  const offsets = [];
  for (const p of c.patches) {
    const f = await findPatch(gray, p, dir, live.frame.scale);
    if (!f) break;
    offsets.push(f);
  }
  if (offsets.length === targets.length && c.patches.length === targets.length) {
    return { actions: [shiftAction(c.action, offsets)], how: `${c.action.action}: patch found (${offsets.map((o) => o.score.toFixed(2)).join(', ')})` };
  }
  if (!c.step) return { why: `the ${c.action.action} target is not where it was, and nothing visible names it` };
  const s = await live.screen();
  const g = await groundStep(c.step, { frame: live.frame, ocr: s.ocr, rgb: s.rgb, executor: live.executor, progress: {} });
  const failed = g.actions.find((a) => a.action === 'fail');
  if (failed) return { why: (failed as { reason: string }).reason };
  if (!g.complete) return { why: `the step ${JSON.stringify(c.step)} needs more than one look` };
  if (g.located && g.located.score < GROUND_MIN_SCORE) return { why: `found "${g.located.text}" with score ${g.located.score} < ${GROUND_MIN_SCORE}` };
  return { actions: g.actions, how: `${JSON.stringify(c.step)}: found "${g.located?.text ?? ''}" (${g.located?.score ?? '-'})` };
}

/** The entry's actions as recorded (on the very screen they were recorded on). */
function replayed(entry: CacheEntry): ActionInput[] {
  const actions: ActionInput[] = entry.actions.map((c) => c.action);
  if (entry.finish) actions.push({ action: 'finish', ...(entry.finish.answer !== undefined ? { answer: entry.finish.answer } : {}) });
  return actions;
}

/** The entry's actions re-grounded on the live screen, or why it cannot be used here. */
export async function reground(entry: CacheEntry, live: LiveScreen, dir: string, exact = false): Promise<Regrounded> {
  if (exact) return { ok: true, actions: replayed(entry), how: ['the recorded screen, byte for byte: replayed as recorded'] };
  const gray = await frameRgb(live.frame);
  const actions: ActionInput[] = [];
  const how: string[] = [];
  for (const c of entry.actions) {
    const r = await regroundOne(c, live, gray, dir);
    if ('why' in r) return { ok: false, why: r.why };
    actions.push(...r.actions);
    how.push(r.how);
  }
  if (entry.finish) actions.push({ action: 'finish', ...(entry.finish.answer !== undefined ? { answer: entry.finish.answer } : {}) });
  return { ok: true, actions, how };
}

/** What a replayed decision should have changed: the screen, anywhere (a click, keys), or the field typed into. */
export interface Effect {
  before: Frame;
  /** The screen recorded right after the same actions (imageDigest), when known. */
  afterDigest?: string;
  /** The field boxes typed into; empty: anything on screen. */
  fields: PixelBox[];
}

export function effectOf(actions: ActionInput[], before: Frame, afterDigest?: string): Effect | undefined {
  const fields: PixelBox[] = [];
  let any = false;
  for (const a of actions) {
    if (a.action === 'type' && a.target?.box) fields.push(a.target.box as PixelBox);
    else if (a.action === 'click' || a.action === 'drag' || a.action === 'type' || a.action === 'key') any = true;
  }
  return any || fields.length ? { before, fields, ...(afterDigest ? { afterDigest } : {}) } : undefined;
}

/** Whether the replayed decision did anything: the screen changed (its bytes), and each field typed into changed. */
export async function effectSeen(e: Effect, frame: Frame): Promise<{ ok: boolean; detail: string }> {
  if (frame.width !== e.before.width || frame.height !== e.before.height) return { ok: true, detail: 'the screen size changed' };
  if (frame.image.equals(e.before.image)) return { ok: false, detail: 'nothing on screen changed after the cached actions' };
  if (e.afterDigest && imageDigest(frame) === e.afterDigest) return { ok: true, detail: 'the screen is the one recorded after these actions' };
  if (!e.fields.length) return { ok: true, detail: 'the screen changed' };
  const [before, after] = [await frameRgb(e.before), await frameRgb(frame)];
  for (const r of e.fields) {
    const d = regionDiff(before, after, r);
    if (d.changed === 0 && d.mean < 0.05) return { ok: false, detail: `the field at [${r.map(Math.round).join(', ')}] did not change after typing into it` };
  }
  return { ok: true, detail: 'the screen changed where expected' };
}
