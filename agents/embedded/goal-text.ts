import { extractQuotes, quoteLiteral, restoreQuotes, type Quoted } from './quotes.ts';

/**
 * Text helpers for the goal parser: quoted spans become placeholders (so splitting on
 * "and"/commas never looks inside them), and target phrases become locate() descriptions.
 */

export class GoalParseError extends Error {
  override name = 'GoalParseError';
  constructor(
    message: string,
    /** The part of the goal that was not understood, quotes restored. */
    readonly fragment: string,
  ) {
    super(message);
  }
}

const MARKER = '\u0002';
const PLACEHOLDER = /\u0002(\d+)\u0002/g;
export const ONE_PLACEHOLDER = /^\u0002(\d+)\u0002$/;

/** A goal with its quoted spans replaced by \u0002N\u0002 (empty quotes kept). */
export function extractGoalQuotes(goal: string): Quoted {
  return extractQuotes(goal, MARKER, { allowEmpty: true });
}

/** Placeholders back to quoted spans: for descriptions handed to locate(). */
export function restoreQuoted(s: string, quotes: string[]): string {
  return restoreQuotes(s, quotes, MARKER, quoteLiteral);
}

/** Placeholders back to their bare text: for values that are typed. */
export function restoreBare(s: string, quotes: string[]): string {
  return restoreQuotes(s, quotes, MARKER);
}

export function placeholders(s: string): number[] {
  return [...s.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
}

const EDGE_FILLER = /^(?:(?:the|a|an|on|at|onto|upon|to|in|into|of|labell?ed|named|called|titled|that\s+says|saying|with\s+(?:the\s+)?(?:text|label))\s+)+/i;
const TRAILING_POSITION =
  /(?:\s+(?:below|above|here|there|underneath|at\s+the\s+(?:top|bottom)(?:\s+of\s+the\s+(?:page|screen))?|on\s+(?:the\s+)?(?:page|screen|form|right|left)|in\s+the\s+(?:page|form|dialog(?:\s+box)?)))+$/i;
const PLACED_PANEL =
  /\s(?:in|on|from|within|inside)\s+the\s+(?:[\p{L}-]+\s+)?(?:menu|panel|pane|sidebar|outline|list|tree|nav|navigation|drawer|rail|toolbar|section|dialog|window|area|bar)\s+on\s+the\s+(?:left|right)$/iu;
/** Role words stripped from the edges of an unquoted target ("button ONE" → "ONE"); kept inside. */
const EDGE_ROLE = /^(?:(?:button|btn|link|hyperlink|icon)\s+)+|(?:\s+(?:button|btn|link|hyperlink|icon))+$/gi;
const ONLY_FILLER = /^(?:\s|\b(?:the|a|an|on|at|button|btn|link|hyperlink|icon|labell?ed|named|called|titled|text|with|that|says|saying)\b)*$/i;
export const PRONOUN = /^(?:it|that|this|them|this\s+one|that\s+one|它|它们|其|该项|这个)$/i;
const CHINESE_ROLE_SUFFIX = /(?:的)?(?:按钮|链接|图标)$/;

/**
 * A target phrase ("the \"OK\" button", "button ONE", "the link \u00020\u0002",
 * "'Delete' in the row with 'alice'") as a locate() description. A quoted text alone among
 * role words becomes just the quoted text; an unquoted phrase loses its edge filler and role
 * words; anything with more structure (ordinals, rows, relations) goes to locate() whole.
 */
export function targetDescription(phrase: string, quotes: string[], fragment: string, previous?: string): string {
  let s = phrase.replace(/\s+/g, ' ').trim().replace(/[.!?。！]+$/, '').trim();
  // "Timeline in the outline on the left": the side places the panel named; describe.ts reads both.
  if (!PLACED_PANEL.test(s)) s = s.replace(TRAILING_POSITION, '').trim();
  if (PRONOUN.test(s.replace(EDGE_FILLER, ''))) {
    if (!previous) throw new GoalParseError(`"${fragment}": "${s}" refers to nothing named earlier in the goal`, fragment);
    return previous;
  }
  const ids = placeholders(s);
  if (ids.length === 1) {
    const rest = s.replace(/\u0002\d+\u0002/, ' ');
    // ("“保存”按钮" is the quoted text; "'刘芳'医生卡片右上角的星形收藏图标" is an icon on 刘芳's card.)
    if (ONLY_FILLER.test(rest) || !rest.trim().replace(CHINESE_ROLE_SUFFIX, '') || /^\s*$/.test(rest)) return quoteLiteral(quotes[ids[0]]);
  }
  if (ids.length === 0) {
    let bare = s.replace(EDGE_FILLER, '').trim();
    const stripped = bare.replace(EDGE_ROLE, '').trim();
    if (stripped) bare = stripped;
    bare = bare.replace(CHINESE_ROLE_SUFFIX, '').trim() || bare;
    if (!bare || ONLY_FILLER.test(bare)) throw new GoalParseError(`"${fragment}": no target named; say what to act on, e.g. click "OK"`, fragment);
    return bare;
  }
  return restoreQuoted(s.replace(EDGE_FILLER, '').trim(), quotes);
}

export function stripFiller(s: string): string {
  return s
    .replace(/\b(?:the|a|an|as|for|value|text|of|my|your|its)\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
