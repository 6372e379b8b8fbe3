/**
 * When a plan step's alternative stands in for it: our reading of the goal ("Delete" for "remove",
 * "拒绝" for 驳回), not the user's words, so it must be found surely.
 */
import type { Step } from '../../src/core/task.ts';

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
