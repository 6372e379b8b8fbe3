import type { Step } from '../../../src/core/task.ts';
import { quoteLiteral, HAS_QUOTES, unquote } from '../quotes.ts';
import { cellDescription } from '../ground/table-cell.ts';
import { listPager } from './list-pager.ts';
import { zhClassifiedAlternatives, zhPossessiveAlternative } from './zh-possessive.ts';
import { GENERIC_NOUNS } from './vocabulary.ts';

/**
 * Other readings of a target the screen does not show as written: its name without the kind of
 * thing it is ("the email from Cora" → "Cora"), the thing near what it belongs to ("the Edit link
 * for invoice 1042"), a cell of a row, a list's pager. Tried in order, after the literal reading.
 */

const FUNCTION_WORD = /^(?:from|by|for|of|with|in|on|at|to|the|a|an|this|that|its|their|his|her|my|our|your)$/i;
const ROLE_NOUN = /^(?:button|link|icon|one|row|rows|line|entry|item|items)$/i;
const GENERIC_NOUN = new RegExp(`^(?:${GENERIC_NOUNS.source})$`, 'i');

/** The thing an object phrase points at: a quoted text, a number, or its words without generic nouns. */
export function anchorOf(object: string): string | undefined {
  // "star this board", "share this doc with my team": the screen the user is on, no anchor.
  if (/^(?:this|the\s+current|the\s+whole)\s+\S+(?:\s+(?:with|to|for|via)\b.*)?$/i.test(object.trim())) return undefined;
  // "mute me": the user, not a thing on screen.
  if (/^(?:me|myself|us|ourselves)$/i.test(object.trim())) return undefined;
  // "undo that last edit": an act of the user's, not a thing on screen.
  if (/^(?:that|this|my|the)\s+(?:last|previous|latest)\s+(?:edit|change|action|step|thing|move)s?$/i.test(object.trim())) return undefined;
  const quoted = object.match(/["“'‘「]([^"”'’」]+)["”'’」]/);
  if (quoted) return quoted[1].trim();
  // "reply to Emile's tweet": the act's preposition is no part of the owner's name.
  const possessive = object.match(/^(?:(?:to|on|at|for|from|of|under)\s+)?(?:the\s+)?(.+?)['’]s\b/i);
  if (possessive) return possessive[1].trim();
  const number = object.match(/#?\b[A-Z]{0,4}-?\d[\d,.-]*\b/i);
  if (number && /\d{2,}/.test(number[0])) return number[0].replace(/^#/, '');
  // Whole words only: "api-server-1" keeps its "server".
  const content = object.split(/\s+/).filter((w) => w && !FUNCTION_WORD.test(w));
  const words = content.filter((w) => !GENERIC_NOUN.test(w)).join(' ');
  // "the meeting activity": only kinds of thing, so the kinds are what the screen shows.
  return words || content.filter((w) => !ROLE_NOUN.test(w)).join(' ') || undefined;
}

const KIND_NOUN =
  'email|e-mail|mail|message|chat|conversation|dm|direct\\s+message|thread|tweet|post|file|folder|document|doc|project|card|tab|category|page|section|item|entry|option|contact|user|profile|order|invoice|ticket|event|meeting|board|channel|group|list|filter|layer|settings|recipe|episode|song|track|album|playlist|video|article|course|lecture|repo|repository|frame|component|teamspace|workspace|database|dashboard|notebook|queue|view';
// ("the passenger tab for Lucas Walker": a word may say what kind of tab.)
const KIND_THEN_NAME = new RegExp(`^(?:(?:the|my|your|our|this|that|a)\\s+)*(?:(?!(?:delete|remove|edit|share|archive|close|add|copy|move|open|rename|download)\\s)[a-z-]+\\s+)?(?:${KIND_NOUN})\\s+(?:from|by|with|named|called|titled|for|of)\\s+(.+?)(?:\\s+(?:about|regarding|re|on)\\s+.+)?$`, 'i');
// "Payment – Mobile frame title": the name of a thing is what its title shows.
const NAME_THEN_KIND = new RegExp(`^(?:(?:the|my|your|our|this|that|a)\\s+)*(.+?)\\s+(?:${KIND_NOUN})(?:\\s+(?:title|name|heading|header))?$`, 'i');

/**
 * "the email from Cora" → "Cora", "Shoes category" → "Shoes": what kind of thing the target is
 * rarely shows on screen; its name does. Tried, quoted, only when the whole description is not found.
 */
export function reducedAlternatives(step: Step): Step[] | undefined {
  // "select the Sun glow layer": picking a thing in a list that is no dropdown is a click on it.
  if ('select' in step && typeof step.select === 'object' && !step.select.in) return reducedAlternatives({ click: step.select.option });
  if (!('click' in step) || typeof step.click !== 'string' || HAS_QUOTES.test(step.click)) return undefined;
  const d = step.click.replace(/^(?:open|go\s+to)\s+/i, '').trim();
  const m = d.match(KIND_THEN_NAME) ?? d.match(NAME_THEN_KIND);
  const name = m?.[1].replace(/^(?:the|my|your)\s+/i, '').trim();
  // "the second Reject button in the list" names no "…in the".
  const out: Step[] = name && name !== d && !/\b(?:the|a|an|in|on|of|to|for|from|with)$/i.test(name) ? [{ click: quoteLiteral(name) }] : [];
  out.push(...zhClassifiedAlternatives(d));
  const placed = placedAlternative(d) ?? zhPossessiveAlternative(d);
  if (placed) out.push(placed);
  // "周婷那一行的截止日期": a column's header named in a row is that row's cell in the column.
  const inRow = placed && 'click' in placed && typeof placed.click === 'string' ? placed.click.match(/^([^"\s]+) in the row with (".+")$/) : null;
  if (inRow) out.push({ click: cellDescription(inRow[1], { text: unquote(inRow[2]) }, quoteLiteral) });
  const pager = listPager(d);
  if (pager) out.push(pager);
  // "the details of cache-redis-1": with no Details by it, its name is what opens them.
  const about = d.match(/^(?:the\s+)?(?:details?|info(?:rmation)?|profile|overview|summary)\s+(?:of|for|about)\s+(?:the\s+)?(.+)$/i);
  if (about) out.push({ click: quoteLiteral(about[1].trim()) });
  return out.length ? out : undefined;
}

const CHECKBOX_HEAD = /^(?:the\s+)?(?:check\s*box|checkbox|tick\s*box|select(?:ion)?\s+box|radio(?:\s+button)?)$/i;
const ROLE_WORDS = /\b(?:button|btn|icon|link|symbol|the|a|an)\b/gi;

/**
 * "the retweet button on the tweet by @mali", "checkbox for the Stark Logistics invoice", "the
 * Edit link for invoice 1042": a thing placed by what it belongs to, with "for", "of", "on" or
 * "by" (words labels use too: "Search for flights", so this reading comes only after the literal
 * one found nothing). The thing is looked for near the object's name (the row's first toggle for
 * a checkbox).
 */
function placedAlternative(d: string): Step | undefined {
  const m = d.match(/^(.+?)\s+(?:for|of|on|by)\s+(?!(?:the\s+)?(?:left|right|top|bottom|same|row|line|page|screen|first|second|third|fourth|fifth|last|next|previous|\d+(?:st|nd|rd|th))\b)(.+)$/i);
  if (!m) return undefined;
  const anchor = anchorOf(m[2]);
  if (!anchor || anchor.replace(/[^\p{L}\p{N}]/gu, '').length < 3) return undefined;
  if (CHECKBOX_HEAD.test(m[1].trim())) return { click: `the checkbox in the row with ${quoteLiteral(anchor)}` };
  const thing = m[1].replace(ROLE_WORDS, ' ').replace(/\s+/g, ' ').trim();
  if (!thing || thing.split(' ').length > 3) return undefined;
  const role = /\b(?:icon|symbol)\b/i.test(m[1]) ? ' icon' : /\b(?:button|btn)\b/i.test(m[1]) ? ' button' : '';
  return { click: `${thing}${role} near ${quoteLiteral(anchor)}` };
}
