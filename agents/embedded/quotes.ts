/**
 * Quoted text in instructions: which marks quote, how quoted spans are set aside while the words
 * around them are parsed, and how a literal text is quoted again for the grounder.
 */

/** Opening and closing marks, English and CJK; a straight single quote only where it cannot be an apostrophe. */
export const QUOTE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ['“', '”'],
  ['„', '“'],
  ['‘', '’'],
  ['「', '」'],
  ['『', '』'],
  ['«', '»'],
  ['`', '`'],
];

/** Quoted spans, for setting them aside in a search (global); a straight single quote only where no letter touches it ("I'll" is no quote). */
export const QUOTED_SPAN = /["“「『](?:[^"”」』]+)["”」』]|(?<![A-Za-z])['‘](?:[^'’]+)['’](?![A-Za-z])/g;

/** A text that holds a quoted span (or a single quote standing as one). */
export const HAS_QUOTES = /["“”「」『』‘’«»`]|(^|\s)'|'(\s|$)/;

/** An instruction with its quoted spans replaced by placeholders `marker`N`marker`. */
export interface Quoted {
  skeleton: string;
  quotes: string[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Sets the quoted spans of `text` aside as `marker`N`marker`, so that keyword parsing never looks
 * inside them. `allowEmpty` keeps "" as an (empty) quoted span.
 */
export function extractQuotes(text: string, marker: string, o: { allowEmpty: boolean }): Quoted {
  const quotes: string[] = [];
  const many = o.allowEmpty ? '*' : '+';
  const m = escapeRe(marker);
  let s = text;
  for (const [open, close] of QUOTE_PAIRS) {
    const re = new RegExp(`${escapeRe(open)}([^${escapeRe(close)}${m}]${many})${escapeRe(close)}`, 'g');
    s = s.replace(re, (_m, inner: string) => `${marker}${quotes.push(inner) - 1}${marker}`);
  }
  // Single quotes only where they are clearly quotes, not apostrophes ("don't", "user's").
  // Chinese has no apostrophes: beside a Han character a ' is a quote ("菜单中的'转账记录'").
  const single = new RegExp(`(^|[\\s(\\[,:;=\\p{Script=Han}，：；])'([^'${m}]+)'(?=$|[\\s)\\],.;:!?\\p{Script=Han}，。；：！？])`, 'gu');
  s = s.replace(single, (_m, pre: string, inner: string) => `${pre}${marker}${quotes.push(inner) - 1}${marker}`);
  return { skeleton: s, quotes };
}

/** The placeholders `marker`N`marker` of a skeleton, each replaced by `fill(quote)`. */
export function restoreQuotes(s: string, quotes: string[], marker: string, fill: (quote: string) => string = (q) => q): string {
  const m = escapeRe(marker);
  return s.replace(new RegExp(`${m}(\\d+)${m}`, 'g'), (_m, i: string) => fill(quotes[Number(i)]));
}

/** Writes a literal text as a quoted span that the grounder reads as exact text. */
export function quoteLiteral(text: string): string {
  if (!text.includes('"')) return `"${text}"`;
  if (!/[“”]/.test(text)) return `“${text}”`;
  return `「${text}」`;
}

/** A text without the quote marks around it, when it has them. */
export function unquote(text: string): string {
  const m = text.trim().match(/^["“「'‘](.*)["”」'’]$/s);
  return m ? m[1] : text.trim();
}
