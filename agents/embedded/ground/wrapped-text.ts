import type { OcrGroup, OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { normalizeChars } from './text-match.ts';

/**
 * A long name wrapped over two or three lines: a product's title in a result card, a post's
 * headline ("[link] 雷蛇（Razer）黑寡妇蜘蛛V3 机械键盘 绿轴 RGB幻彩背光 电竞游戏键盘" shown as
 * "自营雷蛇（Razer） 黑寡妇蜘蛛V3机械键盘绿轴" over "RGB幻彩背光电竞游戏键盘"). OCR reads each line
 * alone, so no one line matches the whole name. A stack of lines that start at the same left
 * edge, one right under the other, read together, holds the name with at most a few characters
 * misread (a badge before it, like 自营, is allowed: the name may start inside the first line).
 */

/** Shortest name (letters, digits and CJK characters) looked for across lines: short names fit on one. */
const MIN_CHARS = 12;
/** Most edits per character of the name. */
const MAX_COST = 0.15;
const MAX_LINES = 3;

export interface WrappedMatch {
  /** The first line's box (where a click opens the link), and all the lines'. */
  box: PixelBox;
  stack: PixelBox;
  text: string;
  score: number;
}

/** The one stack of lines that holds `name`; undefined when none does, or more than one does as well. */
export function wrappedMatch(ocr: OcrResult, name: string): WrappedMatch | undefined {
  const sought = normalizeChars(name, false).map((c) => c.ch);
  if (sought.length < MIN_CHARS) return undefined;
  const found: Array<WrappedMatch & { cost: number }> = [];
  for (const first of ocr.groups) {
    let stack = [first];
    for (let n = 1; n < MAX_LINES; n++) {
      const next = lineUnder(ocr, stack[stack.length - 1], first);
      if (!next) break;
      stack = [...stack, next];
      const cost = costOf(sought, stack);
      if (cost / sought.length > MAX_COST) continue;
      // A line above the name (a price over a product's title) is no part of it: the stack that starts under it answers.
      if (costOf(sought, stack.slice(1)) <= cost) break;
      const box = first.box as PixelBox;
      const all: PixelBox = [Math.min(...stack.map((g) => g.box[0])), box[1], Math.max(...stack.map((g) => g.box[2])), stack[stack.length - 1].box[3]];
      found.push({ box, stack: all, text: stack.map((g) => g.text).join(' / '), score: Math.round((1 - cost / sought.length) * 1000) / 1000, cost });
      break;
    }
  }
  if (!found.length) return undefined;
  found.sort((a, b) => a.cost - b.cost);
  // Two stacks that read the name as well are a tie (the same card twice): no answer.
  if (found.length > 1 && found[1].cost <= found[0].cost + 1 && !sameStack(found[0], found[1])) return undefined;
  const { cost: _cost, ...best } = found[0];
  return best;
}

function costOf(sought: string[], stack: OcrGroup[]): number {
  return substringCost(sought, normalizeChars(stack.map((g) => g.text).join(''), false).map((c) => c.ch));
}

function sameStack(a: WrappedMatch, b: WrappedMatch): boolean {
  return a.stack[0] === b.stack[0] && a.stack[3] === b.stack[3] && Math.abs(a.stack[1] - b.stack[1]) <= 2;
}

/** The group right under `above` that starts where the stack's first line starts (a wrapped line), if any. */
function lineUnder(ocr: OcrResult, above: OcrGroup, first: OcrGroup): OcrGroup | undefined {
  const h = above.box[3] - above.box[1];
  return ocr.groups.find(
    (g) =>
      g !== above &&
      Math.abs(g.box[0] - first.box[0]) <= 1.2 * h &&
      g.box[1] >= above.box[3] - 0.2 * h &&
      g.box[1] - above.box[3] <= 0.9 * h &&
      Math.abs(g.box[3] - g.box[1] - h) <= 0.35 * h,
  );
}

/**
 * Fewest edits that turn `sought` into some run of `text` (the run may start and end anywhere):
 * the edit distance with free ends in the text, two rows of the table kept.
 */
export function substringCost(sought: string[], text: string[]): number {
  let prev = new Uint16Array(text.length + 1);
  let row = new Uint16Array(text.length + 1);
  for (let i = 1; i <= sought.length; i++) {
    row[0] = i;
    for (let j = 1; j <= text.length; j++) {
      const sub = prev[j - 1] + (sought[i - 1] === text[j - 1] ? 0 : 1);
      row[j] = Math.min(sub, prev[j] + 1, row[j - 1] + 1);
    }
    [prev, row] = [row, prev];
  }
  let best = sought.length;
  for (let j = 0; j <= text.length; j++) best = Math.min(best, prev[j]);
  return best;
}
