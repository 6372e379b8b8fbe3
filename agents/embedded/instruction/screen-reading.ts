import type { OcrResult } from '../../../kernels/ocr/types.ts';
import type { Step } from '../../../src/core/task.ts';
import { quoteLiteral } from '../quotes.ts';
import { isGoalEcho, tokens } from './goal-echo.ts';
import { tidyGoal } from './read-goal.ts';

/**
 * A goal the grammar cannot read ("go to my profile", "hit SSH for it"), read against the screen:
 * the one short label on screen that the goal names word for word, when every other word of the
 * goal only says to go there or click it. Anything more is not guessed at: another word that
 * could be the target ("go back one week": "back"), two labels named, or a label the page shows
 * because it repeats the goal, and the grammar's own error stands.
 */

/** Words that say to go somewhere or click something, and nothing about what. */
const GO_WORDS = new Set(
  `go goto open hit press tap click select choose pick show see view bring up take me to into on at onto the a an my our your it its
  for please now just want need i id like would let lets us can could you head over navigate visit use via button link tab page
  option menu item icon again there here this that screen d s ll m`.split(/\s+/),
);
/** The same for Chinese, one character at a time (tokens() splits CJK into characters). */
const GO_CHARS = new Set([...'去到进入点击打开我的一下吧请帮直接看那个按钮页面里']);

/** "in the left sidebar", "at the top": a place on screen, said after the thing. */
const PLACE_PHRASE =
  /\s(?:in|on|at|from)\s+(?:the\s+)?(?:(?:top|bottom|left|right|upper|lower|left-hand|right-hand|main|side|navigation|nav)\s+)*(?:sidebar|side\s*bar|bar|toolbar|header|footer|menu|panel|nav(?:igation)?|corner|side|top|bottom|left|right)(?:\s+(?:left|right|corner|side))*\s*$/i;

const MAX_LABEL_TOKENS = 4;
const MAX_LABEL_CJK = 8;

export interface ScreenReading {
  step: Step;
  /** The label chosen, for the trace. */
  label: string;
}

export type ScreenRefusal = { refused: string };

/** Where a candidate's tokens occur in the goal's, as a run. */
function spanIn(goal: string[], label: string[]): [number, number] | undefined {
  for (let i = 0; i + label.length <= goal.length; i++) {
    if (label.every((t, k) => goal[i + k] === t)) return [i, i + label.length];
  }
  return undefined;
}

const isCjkToken = (t: string): boolean => /^\p{Script=Han}$/u.test(t);

export function screenReading(goal: string, ocr: OcrResult): ScreenReading | ScreenRefusal | undefined {
  const text = tidyGoal(goal).text;
  const goalTokens = tokens(text);
  if (!goalTokens.length) return undefined;
  const goalSet = new Set(goalTokens);
  const found: Array<{ label: string; key: string; span: [number, number] }> = [];
  for (const g of ocr.groups) {
    const label = g.text.trim();
    const t = tokens(label);
    const cjk = t.filter(isCjkToken).length;
    if (!t.length || t.length - cjk > MAX_LABEL_TOKENS || cjk > MAX_LABEL_CJK) continue;
    // One Latin word must be a real word, not "to" or "OK" read inside a sentence of the goal; one CJK label, two characters.
    if (cjk ? cjk < 2 : t.length === 1 && (t[0].length < 3 || GO_WORDS.has(t[0]))) continue;
    if (isGoalEcho(label, goalSet)) continue;
    const span = spanIn(goalTokens, t);
    if (span) found.push({ label, key: t.join(' '), span });
  }
  // A label inside a longer one the goal also names ("line" in "Add line") is part of it.
  const whole = found.filter((f) => !found.some((o) => o.span[1] - o.span[0] > f.span[1] - f.span[0] && o.span[0] <= f.span[0] && o.span[1] >= f.span[1]));
  const keys = [...new Set(whole.map((f) => f.key))];
  if (!keys.length) return undefined;
  if (keys.length > 1) return { refused: `the goal names more than one thing on screen: ${keys.map((k) => JSON.stringify(whole.find((f) => f.key === k)!.label)).join(', ')}` };
  const [i, j] = whole[0].span;
  // "go to Releases in the left sidebar": where it is, said as a place, is kept for the click.
  const place = text.match(PLACE_PHRASE);
  const placeTokens = new Set(place ? tokens(place[0]) : []);
  const rest = goalTokens.filter((t, k) => (k < i || k >= j) && !(isCjkToken(t) ? GO_CHARS.has(t) : GO_WORDS.has(t) || placeTokens.has(t)));
  if (rest.length) return { refused: `"${whole[0].label}" is on screen, but the goal says more than to click it: ${rest.slice(0, 4).join(' ')}` };
  return { step: { click: `${quoteLiteral(whole[0].label)}${place ? place[0] : ''}` }, label: whole[0].label };
}
