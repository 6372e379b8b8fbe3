import type { OcrResult } from '../../kernels/ocr/types.ts';
import { stepKind, type Step } from '../../src/core/task.ts';
import { settledLocateTarget } from './ground/settled-locate.ts';
import type { LazyReading } from './ocr/query-read.ts';
import { groundStep, ICON_WORDS, type GroundContext, type Grounded } from './step-grounder.ts';

/**
 * A scripted click or hover grounded from the lines its target needs, not the whole screen:
 * accepted only when settledLocateTarget shows the full reading would find the same target.
 * Other steps (typing into a field, select, assert, scroll-until, `do`) read the whole screen.
 */
export async function groundFromQuery(
  step: Step,
  reading: LazyReading,
  ctx: Omit<GroundContext, 'ocr' | 'progress' | 'clause'>,
): Promise<{ grounded: Grounded; ocr: OcrResult } | { why: string }> {
  const kind = stepKind(step);
  if (kind !== 'click' && kind !== 'hover') return { why: `a ${kind} step reads the whole screen` };
  const spec = 'click' in step ? step.click : 'hover' in step ? step.hover : undefined;
  const description = typeof spec === 'string' ? spec : spec?.target;
  if (!description) return { why: 'no target' };
  // An icon is matched against the icons on screen, which are found around the text read.
  if (ICON_WORDS.test(description)) return { why: 'an icon is looked for among all the text' };
  const s = await settledLocateTarget(reading, description, ctx.rgb);
  if (!s.settled) return { why: s.why };
  const ocr = reading.partial();
  // The grounder runs on the partial reading: its locateTarget is the settled one.
  const grounded = await groundStep(step, { ...ctx, ocr, progress: {} });
  if (!grounded.located || grounded.actions.some((a) => a.action === 'fail')) return { why: 'the grounder did not act on the settled match' };
  return { grounded, ocr };
}
