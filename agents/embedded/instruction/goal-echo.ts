import { isCjkLetter } from '../../../kernels/cjk.ts';
import type { OcrResult } from '../../../kernels/ocr/types.ts';
import { extractQuotes } from '../quotes.ts';

/**
 * Pages that show the instruction itself (a task banner, a tooltip, a chat bubble: "Your task:
 * click the Save button") hold the goal's words in a sentence, while the target is elsewhere.
 * Such lines are left out before grounding: a line of several words most of which are the goal's.
 */

/** Lower-case words (Latin, digits) and single CJK characters. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if ([...w].some(isCjkLetter)) out.push(...[...w]);
    else out.push(w);
  }
  return out;
}

const MIN_LINE_TOKENS = 4;
/** Share of the line's words that are the goal's, and of the goal's words the line holds. */
const LINE_SHARE = 0.6;
const GOAL_SHARE = 0.5;

/** A CJK character is a token: a sentence needs more of them than of words ("深色模式" is a label, not an echo). */
const MIN_LINE_CJK = 8;

export function isGoalEcho(lineText: string, goalTokens: Set<string>): boolean {
  const t = tokens(lineText);
  const cjk = t.filter((w) => [...w].length === 1 && isCjkLetter(w)).length;
  if (t.length - cjk + cjk / 2 < MIN_LINE_TOKENS || (cjk && t.length < MIN_LINE_CJK)) return false;
  const inGoal = t.filter((w) => goalTokens.has(w)).length;
  const distinct = new Set(t.filter((w) => goalTokens.has(w))).size;
  return inGoal / t.length >= LINE_SHARE && distinct / goalTokens.size >= GOAL_SHARE;
}

/** Words that say which thing (a name's), not how it is found: "tick the checkbox in the row with" says none. */
const ECHO_FILLER = new Set(['the', 'with', 'next', 'click', 'tick', 'check', 'checkbox', 'button', 'icon', 'link', 'field', 'row', 'rows', 'column', 'near', 'into', 'from', 'that', 'this', 'task', 'your']);
const distinctive = (w: string): boolean => (isCjkLetter(w) ? true : w.length >= 3 && !ECHO_FILLER.has(w));

/** The OCR result without the lines that repeat the goal, and those lines' texts. */
export function withoutGoalEcho(ocr: OcrResult, goal: string, targets: string[] = []): { ocr: OcrResult; dropped: string[] } {
  // Quoted texts, and the texts the plan looks for, are targets: a line showing one is not an echo.
  const unquoted = extractQuotes(goal, '\u0003', { allowEmpty: true }).skeleton.replace(/\u0003\d+\u0003/g, ' ');
  const goalTokens = new Set(tokens(unquoted));
  if (goalTokens.size < 2) return { ocr, dropped: [] };
  // An echo says more than the target's own text: "Click on Tab #2." is one, a link that reads
  // exactly what "[link] example.com -> CLICK" names is the target.
  const targetTokens = new Set(targets.flatMap(tokens));
  const drop = new Set<number>();
  // A line mostly made of the step's own words (a row's long title it names as its anchor) is
  // what it looks for, whatever else of the goal the line holds ("（失败版）").
  ocr.lines.forEach((l, i) => {
    const t = tokens(l.text);
    const own = t.filter((w) => targetTokens.has(w) && distinctive(w)).length;
    if (isGoalEcho(l.text, goalTokens) && t.some((w) => goalTokens.has(w) && !targetTokens.has(w)) && own < LINE_SHARE * t.length) drop.add(i);
  });
  if (!drop.size) return { ocr, dropped: [] };
  return { ocr: keepLines(ocr, (i) => !drop.has(i)), dropped: [...drop].map((i) => ocr.lines[i].text) };
}

/** A copy of an OCR result with only the lines `keep` accepts, indices renumbered. */
export function keepLines(ocr: OcrResult, keep: (line: number) => boolean): OcrResult {
  const lineMap = new Map<number, number>();
  const wordMap = new Map<number, number>();
  const groupMap = new Map<number, number>();
  ocr.lines.forEach((_, i) => keep(i) && lineMap.set(i, lineMap.size));
  ocr.words.forEach((w, i) => lineMap.has(w.line) && wordMap.set(i, wordMap.size));
  ocr.groups.forEach((g, i) => lineMap.has(g.line) && groupMap.set(i, groupMap.size));
  return {
    ...ocr,
    lines: ocr.lines.filter((_, i) => lineMap.has(i)).map((l) => ({ ...l, words: l.words.map((w) => wordMap.get(w)!), groups: l.groups.map((g) => groupMap.get(g)!) })),
    words: ocr.words.filter((_, i) => wordMap.has(i)).map((w) => ({ ...w, line: lineMap.get(w.line)! })),
    groups: ocr.groups.filter((_, i) => groupMap.has(i)).map((g) => ({ ...g, line: lineMap.get(g.line)!, words: g.words.map((w) => wordMap.get(w)!) })),
  };
}
