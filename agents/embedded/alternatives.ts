/**
 * When a plan step's alternative stands in for it: our reading of the goal ("Delete" for "remove",
 * "拒绝" for 驳回), not the user's words, so it must be found surely.
 */
import type { ActionInput } from '../../src/core/actions.ts';
import type { PixelBox } from '../../kernels/ocr/types.ts';
import type { Step } from '../../src/core/task.ts';
import { DescriptionError, parseDescription } from './ground/describe.ts';

/** Least match score for a plan step's alternative ("Delete" for "remove", "Cora" for "the email from Cora"). */
export const ALTERNATIVE_MIN_SCORE = 0.85;

/**
 * Whether a click alternative's quoted label was found read exactly: "拒绝" among "同意 拒绝 转交"
 * scores low only for the words around it in its group.
 */
export function readAsQuoted(step: Step, found: string | undefined): boolean {
  if (!found || !('click' in step) || typeof step.click !== 'string') return false;
  const label = step.click.match(/^"([^"]+)"(?:\s|$)/)?.[1];
  // Letter case aside, and a close glyph read as the letter x.
  const norm = (t: string): string => t.replace(/\s+/g, '').toLowerCase().replace(/[×✕]/g, 'x');
  return !!label && norm(found) === norm(label);
}

/**
 * Whether an unquoted click alternative that is the step's own target words ("播放列表" of "the
 * switch next to 播放列表", read from "打开播放列表") was found as an icon: the icon matcher's own bar
 * stands, its scores are not text scores. (Words from an aside, "(gear)", are not the target's.)
 */
export function foundAsIcon(step: Step, alt: Step, found: string | undefined): boolean {
  if (!found || !('click' in alt) || typeof alt.click !== 'string' || !('click' in step) || typeof step.click !== 'string') return false;
  return !/["“”「」']/.test(alt.click) && step.click.includes(alt.click) && /\sicon(?:\s\(|$)/.test(found);
}

/** Whether an action lands on one of these boxes (a tie the step was refused for), a pixel of slack. */
export function onOneOf(actions: ActionInput[], boxes: PixelBox[]): boolean {
  return actions.some((a) => {
    const p = 'target' in a ? (a.target as { point?: [number, number] } | undefined)?.point : undefined;
    return !!p && boxes.some((b) => p[0] >= b[0] - 1 && p[0] <= b[2] + 1 && p[1] >= b[1] - 1 && p[1] <= b[3] + 1);
  });
}

/** Whether a click alternative says where its target is (a row, a card, a place, a count): then it may settle a tie. */
export function placesTarget(step: Step): boolean {
  if (!('click' in step) || typeof step.click !== 'string') return true;
  try {
    const q = parseDescription(step.click);
    return !!(q.anchor || q.region || q.ordinal !== undefined || q.row !== undefined);
  } catch (e) {
    if (e instanceof DescriptionError) return false;
    throw e;
  }
}
