import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { grayOf } from '../../agents/embedded/ground/controls.ts';
import { templatePathOf } from '../../agents/embedded/ground/ground-image.ts';
import { bestTemplateMatch, decodeTemplate } from '../../agents/embedded/ground/template.ts';
import { locateTarget } from '../../agents/embedded/grounding-kit.ts';
import { ocrFrame } from '../../agents/embedded/ocr/ocr-engine.ts';
import type { GrayImage } from '../../kernels/gray.ts';
import type { ActionInput, Target } from '../core/actions.ts';
import type { Agent, Decision, DecideInput } from '../core/agent.ts';
import { frameRgb, type Frame } from '../core/frame.ts';
import type { Step, Task } from '../core/task.ts';

/**
 * Steps whose target is an image (`click: icon:./task.assets/step-01.png`, what `handeye
 * compile` writes where no visible text names a target): found by template matching on the
 * frame, whatever engine runs the other steps. Relative image paths resolve against the task file.
 */

/** Lowest normalized correlation accepted as "the icon is there". */
export const TEMPLATE_MIN_SCORE = 0.8;

/** The target strings of a step (click/hover target, drag ends, type into, scroll at). */
function targetsOf(step: Step): string[] {
  if ('click' in step) return [typeof step.click === 'string' ? step.click : step.click.target];
  if ('hover' in step) return [step.hover];
  if ('drag' in step) return [step.drag.from, step.drag.to];
  if ('type' in step) return typeof step.type === 'object' && step.type.into ? [step.type.into] : [];
  if ('scroll' in step) return typeof step.scroll === 'object' && step.scroll.at ? [step.scroll.at] : [];
  return [];
}

export function isImageStep(step: Step): boolean {
  return targetsOf(step).some((t) => templatePathOf(t) !== undefined);
}

export function hasImageSteps(task: Pick<Task, 'steps'>): boolean {
  return !!task.steps?.some(isImageStep);
}

/** The task with its image targets' relative paths made absolute (against the task file's folder). */
export function resolveImageTargets<T extends Pick<Task, 'steps'>>(task: T, taskFile: string | undefined): T {
  if (!task.steps || !taskFile) return task;
  const dir = path.dirname(path.resolve(taskFile));
  const fix = (t: string) => {
    const p = templatePathOf(t);
    return p && !path.isAbsolute(p) ? `icon:${path.resolve(dir, p)}` : t;
  };
  const steps = task.steps.map((s): Step => {
    if ('click' in s) return { click: typeof s.click === 'string' ? fix(s.click) : { ...s.click, target: fix(s.click.target) } };
    if ('hover' in s) return { hover: fix(s.hover) };
    if ('drag' in s) return { drag: { from: fix(s.drag.from), to: fix(s.drag.to) } };
    if ('type' in s && typeof s.type === 'object' && s.type.into) return { type: { ...s.type, into: fix(s.type.into) } };
    if ('scroll' in s && typeof s.scroll === 'object' && s.scroll.at) return { scroll: { ...s.scroll, at: fix(s.scroll.at) } };
    return s;
  });
  return { ...task, steps };
}

type Found = { ok: true; target: Target; score: number } | { ok: false; reason: string };

/** Wraps an agent: image-target steps are grounded here by template matching, every other decision goes to it. */
export class ImageStepAgent implements Agent {
  readonly name: string;
  private readonly templates = new Map<string, Promise<GrayImage>>();

  readonly endpointStats?: Agent['endpointStats'];
  readonly cacheStats?: Agent['cacheStats'];

  constructor(readonly inner: Agent) {
    this.name = inner.name;
    if (inner.endpointStats) this.endpointStats = (since) => inner.endpointStats!(since);
    if (inner.cacheStats) this.cacheStats = () => inner.cacheStats!();
  }

  get stateless(): boolean | undefined {
    return this.inner.stateless;
  }

  async decide(input: DecideInput): Promise<Decision> {
    if (!input.step || !isImageStep(input.step) || input.feedback) return this.inner.decide(input);
    const t0 = performance.now();
    const notes: Record<string, unknown> = {};
    const find = (text: string) => this.find(input.frame, text, notes);
    const step = input.step;
    const done = (actions: ActionInput[], score?: number): Decision => ({
      actions,
      reasoning: `image step: ${JSON.stringify(notes)}`,
      timings: { modelMs: performance.now() - t0 },
      notes: { imageStep: notes },
      ...(score !== undefined ? { located: { text: 'template', score } } : {}),
    });
    const failed = (r: Extract<Found, { ok: false }>) => done([{ action: 'fail', reason: r.reason }]);
    if ('drag' in step) {
      const [a, b] = [await find(step.drag.from), await find(step.drag.to)];
      if (!a.ok) return failed(a);
      if (!b.ok) return failed(b);
      return done([{ action: 'drag', from: a.target, to: b.target }], a.score);
    }
    const text = targetsOf(step)[0];
    const f = await find(text);
    if (!f.ok) return failed(f);
    if ('click' in step) {
      const spec: { button?: 'left' | 'right' | 'middle'; count?: 1 | 2 } = typeof step.click === 'string' ? {} : step.click;
      return done([{ action: 'click', target: f.target, button: spec.button ?? 'left', count: spec.count ?? 1 }], f.score);
    }
    if ('hover' in step) return done([{ action: 'hover', target: f.target }], f.score);
    if ('type' in step && typeof step.type === 'object') return done([{ action: 'type', text: step.type.text, target: f.target, clear: step.type.clear ?? true, submit: step.type.submit ?? false }], f.score);
    if ('scroll' in step && typeof step.scroll === 'object') return done([{ action: 'scroll', direction: step.scroll.direction, amount: step.scroll.amount ?? 3, target: f.target }], f.score);
    return this.inner.decide(input);
  }

  /** An image target by template matching, a text one (the other end of a drag) by OCR. */
  private async find(frame: Frame, text: string, notes: Record<string, unknown>): Promise<Found> {
    const file = templatePathOf(text);
    if (!file) {
      const r = locateTarget(await ocrFrame(frame), text, await frameRgb(frame));
      notes[text] = r.match ? { text: r.match.text, score: r.match.score } : { missing: r.message };
      if (!r.match) return { ok: false, reason: `cannot find ${text}: ${r.message ?? 'no match'}` };
      return { ok: true, target: { box: r.match.box, point: r.match.point, label: r.match.text }, score: r.match.score };
    }
    let tpl: GrayImage;
    try {
      tpl = await this.template(file);
    } catch (e) {
      return { ok: false, reason: `the image target ${file} cannot be used: ${(e as Error).message}` };
    }
    const best = bestTemplateMatch(grayOf(await frameRgb(frame)), tpl, { minScore: TEMPLATE_MIN_SCORE });
    notes[path.basename(file)] = best ? { box: best.box, score: best.score, scale: best.scale } : { missing: true };
    if (!best || best.score < TEMPLATE_MIN_SCORE) {
      return { ok: false, reason: `the image ${path.basename(file)} is not on screen (best correlation ${best ? best.score.toFixed(2) : 'n/a'} < ${TEMPLATE_MIN_SCORE})` };
    }
    const box = best.box.map((v, i) => Math.min(v, i % 2 ? frame.height : frame.width)) as [number, number, number, number];
    return { ok: true, target: { box, point: best.point, label: path.basename(file) }, score: best.score };
  }

  private template(file: string): Promise<GrayImage> {
    let t = this.templates.get(file);
    if (!t) {
      t = readFile(file).then((png) => decodeTemplate(png));
      this.templates.set(file, t);
    }
    return t;
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}
