import { ActionSchema, actionTargets, targetPoint, type Action } from '../core/actions.ts';
import type { Decision } from '../core/agent.ts';
import type { Frame } from '../core/frame.ts';
import type { PixelBox } from '../../kernels/ocr/types.ts';
import { describedStep } from '../compile/compile-actions.ts';
import { templateBox } from '../compile/describe-target.ts';
import { screenOf } from '../compile/screen.ts';
import { cropPng } from '../compile/write-task.ts';
import type { CachedAction, CacheEntry } from './cache-store.ts';
import { imageDigest } from './fingerprint.ts';

/**
 * A model decision as a cache entry: each action with its target named by what is visible (the
 * same description `handeye compile` would write) and a patch of pixels around each target.
 */

/** The decision's actions when every one is valid and none gives up; undefined when it is not worth keeping. */
export function cacheableActions(d: Decision): Action[] | undefined {
  if (d.parseError || !d.actions.length) return undefined;
  const out: Action[] = [];
  for (const a of d.actions) {
    const r = ActionSchema.safeParse(a);
    if (!r.success || r.data.action === 'fail') return undefined;
    out.push(r.data);
  }
  return out;
}

export async function buildEntry(o: { frame: Frame; fingerprint: string; actions: Action[]; stepComplete: boolean; modelMs: number; after?: Frame }): Promise<{ entry: CacheEntry; patches: Map<string, Buffer> }> {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const acting = o.actions.filter((a) => a.action !== 'finish');
  const needsScreen = acting.some((a) => actionTargets(a).length > 0);
  const screen = needsScreen ? await screenOf(o.frame) : undefined;
  const patches = new Map<string, Buffer>();
  const actions: CachedAction[] = [];
  for (const [i, a] of acting.entries()) {
    const targets = actionTargets(a);
    const step = screen && targets.length ? describedStep(a, screen) : undefined;
    const ps = [];
    for (const [j, t] of targets.entries()) {
      const box = templateBox(screen!, { point: targetPoint(t), ...(t.box ? { box: t.box as PixelBox } : {}) });
      const file = `${id}-${i}-${j}.png`;
      patches.set(file, await cropPng(screen!, box));
      ps.push({ file, box, point: targetPoint(t) });
    }
    actions.push({ action: a, ...(step ? { step } : {}), patches: ps });
  }
  const finish = o.actions.find((a) => a.action === 'finish');
  const entry: CacheEntry = {
    id,
    fingerprint: o.fingerprint,
    imageDigest: imageDigest(o.frame),
    ...(o.after ? { afterDigest: imageDigest(o.after) } : {}),
    width: o.frame.width,
    height: o.frame.height,
    actions,
    ...(finish && finish.action === 'finish' ? { finish: finish.answer !== undefined ? { answer: finish.answer } : {} } : {}),
    stepComplete: o.stepComplete,
    modelMs: Math.round(o.modelMs),
    createdAt: new Date().toISOString(),
  };
  return { entry, patches };
}
