/**
 * What follows a comma in a one-clause goal: where the target is ("kebab menu, top-right
 * toolbar"), or a Chinese remark that places nothing ("…，字太小了看不清"). The reader of a target
 * is passed in: this module is read by read-goal.ts, not the other way round.
 */
import { startsClause } from '../goal-parser.ts';
import { quoteLiteral } from '../quotes.ts';
import type { ReadGoal } from './read-goal.ts';
import { ACTION_VERBS, VERB_FIRST } from './vocabulary.ts';

/** Words that place a thing on a Chinese screen: a side, a corner, a bar, a row, a card. */
const ZH_PLACE_WORD = /[上下左右中里内旁边侧角顶底]|栏|行|列|卡片|面板|弹窗|列表/;
/** A short phrase with a place word, not a sentence ending in a particle ("地图上红红绿绿的看着太乱了"). */
const zhPlace = (s: string): boolean => ZH_PLACE_WORD.test(s) && [...s].length <= 10 && !/[了吧啊呢哈嘛]$/.test(s.trim());

/** "帮我把长者模式打开，字太小了看不清": the instruction, and after the comma a remark that places nothing and does nothing. */
export function zhRemarkAfter(text: string): [instruction: string, remark: string] | undefined {
  const m = text.match(/^([^，,；;]+)[，,]\s*([^，,；;]+?)[。！!]?$/);
  if (!m || !/\p{Script=Han}/u.test(m[2]) || zhPlace(m[2]) || startsClause(m[2].trim())) return undefined;
  return [m[1], m[2].trim()];
}

/** A part that starts with "then" is another instruction. */
const SEQUENCE_WORD = /^(?:then|and|after|next|finally|also)\b|^(?:然后|接着|再)/i;

/**
 * "kebab menu, top-right toolbar", "edit icon, Lodging row", "sliders icon btn, right of search":
 * a target, then after a comma where it is (ScreenSpot writes them so).
 */
export function contextAfterComma(text: string, targetReading: (text: string) => Omit<ReadGoal, 'asides'> | undefined): ReadGoal | undefined {
  const m = text.match(/^([^,，;；]+)[,，]\s*([^,，;；]+?)[.。]?$/);
  if (!m || (/\p{Script=Han}/u.test(m[2]) && !zhPlace(m[2])) || VERB_FIRST.test(m[1].trim()) || SEQUENCE_WORD.test(m[2].trim()) || startsClause(m[2].trim()) || m[2].trim().split(/\s+/)[0].toLowerCase() in ACTION_VERBS || !targetReading(m[1])) return undefined;
  const [what, where] = [m[1].trim(), m[2].trim().replace(/^(?:in|on|at)\s+/i, '')];
  const row = where.match(/^(?:the\s+)?(.+?)\s+(?:row|line)$/i);
  let d: string;
  if (row) d = `${what} in the row with ${quoteLiteral(row[1])}`;
  else if (/^(?:(?:to\s+the\s+)?(?:right|left)\s+of|below|above|under|next\s+to|beside|near)\s+\S/i.test(where)) d = `${what} ${where}`;
  else if (/\b(?:top|bottom|upper|lower|left|right)\b/i.test(where) && /\b(?:bar|toolbar|header|corner|sidebar|side)$/i.test(where)) d = `${what} in the ${where.replace(/^the\s+/i, '')}`;
  // "cellular signal indicator, status bar": a phone's status bar is the top of its screen.
  else if (/^(?:the\s+)?status\s+bar$/i.test(where)) d = `${what} at the top`;
  // "calendar settings gear, top right": a corner or side of the screen.
  else if (/^(?:the\s+)?(?:(?:top|bottom|upper|lower)(?:[\s-](?:left|right))?|left|right)$/i.test(where)) d = `${what} at the ${where.replace(/^the\s+/i, '').replace(/\s+/, '-')}`;
  else d = `${what} near ${quoteLiteral(where.replace(/^the\s+/i, '').replace(/\s+(?:card|section|panel|pane|area|tile|header|toolbar)$/i, ''))}`;
  const r = targetReading(d);
  return r ? { ...r, readAs: 'target+place', asides: [] } : undefined;
}
