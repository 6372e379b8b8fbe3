import type { Step } from '../../../src/core/task.ts';
import { unquote } from '../quotes.ts';

/**
 * Steps that name several targets at once: "type the code into both fields", "fill all the text
 * boxes with N/A", "tick every box", "uncheck everything", "check every box labelled 'beta'",
 * "勾选所有选项". The grammar reads them as one step on a phrase like "both fields"; this says
 * which set the phrase means, so that the agent can turn it into one step per target on the
 * screen it sees (ground/every.ts).
 */

export type Quantifier = 'both' | 'all';

export type QuantifiedStep =
  | { kind: 'fields'; quantifier: Quantifier; text: string; filter?: string }
  | { kind: 'checkboxes'; quantifier: Quantifier; tick: boolean; filter?: string; category?: string };

const Q_EN = String.raw`(both|all|every|each|any)(?:\s+(?:of\s+)?(?:the|these|those|my))?`;
const FIELD_NOUN = String.raw`(?:text\s*)?(?:fields?|box(?:es)?|inputs?|textboxes|text\s*areas?|blanks?)`;
/** "both fields", "all the text boxes", "each of the code inputs", "every blank". */
const FIELDS = new RegExp(`^${Q_EN}\\s+(?:(.+?)\\s+)??${FIELD_NOUN}$`, 'i');
const FIELDS_ZH = /^(?:两个|所有|全部|每个)(?:的)?(.*?)(?:输入框|文本框|框)$/;
const BOX_NOUN = String.raw`(?:check\s*)?box(?:es)?|options?|items?|choices?`;
/** "every box", "all the checkboxes whose label is X", "each option labelled 'beta'". */
const BOXES = new RegExp(`^${Q_EN}\\s+(?:(.+?)\\s+)??(?:${BOX_NOUN})(?:\\s+(.+))?$`, 'i');
const EVERYTHING = /^(?:everything|all(?:\s+of\s+them)?|them\s+all|every\s*one)$/i;
const BOXES_ZH = /^(?:所有|全部|每个)(?:的)?(.*?)(?:复选框|选项|框)?$/;
/** A filter on the labels that names their words: "labelled X", "that say X", "containing X". */
const NAMED_FILTER = /^(?:that\s+(?:says?|contains?|mentions?)|(?:labell?ed|named|called|saying|containing|with(?:\s+the\s+(?:word|text))?)|whose\s+label\s+(?:is|says|contains))\s+(.+)$/i;
const UNTICK = /\b(?:un-?check|un-?tick|un-?select|de-?select|clear)\b|取消勾选|取消选中|去掉勾选/i;

/** The words a label filter asks for, or a category we cannot judge ("a fruit"). */
function labelFilter(rest: string | undefined): { filter?: string; category?: string } {
  const r = rest?.trim().replace(/[.!。]+$/, '');
  // "in the list", "on this page": where, not which.
  if (!r || /^(?:in|on|inside|within|under|below|above|from)\b/i.test(r)) return {};
  const named = r.match(NAMED_FILTER);
  if (named) {
    const words = unquote(named[1].trim());
    // "whose label is a fruit": a kind of thing, not its words.
    if (/^(?:a|an|some)\s+/i.test(words) && !/^["“'‘「]/.test(named[1].trim())) return { category: words };
    return { filter: words };
  }
  return { category: r.replace(/^(?:that\s+(?:is|are)|which\s+(?:is|are)|whose\s+label\s+is)\s+/i, '') };
}

/** The set a step's target phrase means, or undefined for a step on one target. */
export function quantifiedStep(step: Step, clause = ''): QuantifiedStep | undefined {
  if ('type' in step) {
    const t = step.type;
    if (typeof t === 'string' || !t.into) return undefined;
    const into = t.into.trim();
    const m = into.match(FIELDS);
    if (m) return { kind: 'fields', quantifier: quantifierOf(m[1]), text: t.text, ...(m[2] ? { filter: unquote(m[2]) } : {}) };
    const z = into.match(FIELDS_ZH);
    if (z) return { kind: 'fields', quantifier: into.startsWith('两个') ? 'both' : 'all', text: t.text, ...(z[1] ? { filter: z[1] } : {}) };
    return undefined;
  }
  if (!('click' in step) || typeof step.click !== 'string') return undefined;
  // The grammar's check/tick reads as "the checkbox next to <phrase>".
  const next = step.click.match(/^the checkbox next to (.+)$/i);
  if (!next) return undefined;
  const phrase = next[1].trim();
  const tick = !UNTICK.test(clause);
  if (EVERYTHING.test(phrase)) return { kind: 'checkboxes', quantifier: 'all', tick };
  const m = phrase.match(BOXES);
  if (m) {
    // "every box whose label is a fruit", "all the beta options": words before the noun filter too.
    const before = m[2] ? labelFilter(`labelled ${m[2]}`) : {};
    return { kind: 'checkboxes', quantifier: quantifierOf(m[1]), tick, ...before, ...labelFilter(m[3]) };
  }
  const z = phrase.match(BOXES_ZH);
  if (z && /^(?:所有|全部|每个)/.test(phrase)) return { kind: 'checkboxes', quantifier: 'all', tick, ...(z[1] ? { category: z[1] } : {}) };
  return undefined;
}

function quantifierOf(word: string): Quantifier {
  return word.toLowerCase() === 'both' ? 'both' : 'all';
}
