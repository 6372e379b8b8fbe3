import type { Step } from '../../../src/core/task.ts';
import { GoalParseError } from '../goal-parser.ts';
import { quoteLiteral } from '../quotes.ts';
import type { ReadGoal } from './read-goal.ts';
import { VERB_FIRST } from './vocabulary.ts';

/**
 * What comes before the instruction: a remark ("I need a shell on the bastion host, …") or a
 * wish in the user's own words ("把这件T恤收藏起来，…"). Set apart as an aside; the thing it names
 * may place the target, and a pronoun after it stands for that thing.
 */

/** The readers a preamble's instruction is read with (read-goal.ts passes its own). */
export interface PreambleReader {
  readGoal: (goal: string) => ReadGoal;
  tidyGoal: (goal: string) => { text: string; asides: string[] };
  anchorOf: (object: string) => string | undefined;
}

/**
 * A remark before the instruction: "I need a shell on the bastion host, hit SSH for it",
 * "我已经有账号了，直接去登录". The remark says why, and becomes an aside; the instruction after it
 * is read alone. Only a statement counts as a remark, never a clause that could be an instruction.
 */
export function afterPreamble(text: string, asides: string[], read: PreambleReader): ReadGoal | undefined {
  const { readGoal, tidyGoal, anchorOf } = read;
  const m = text.match(/^([^,;，；。?？]+)[,;，；。?？]\s*(.+)$/);
  if (!m || SEQUENCE.test(m[2])) return undefined;
  // "把这件T恤收藏起来，点它那行的小爱心", "I want to narrow down the list, can you open the filter
  // thing…": what the user wants, in words of their own, then the click that does it.
  const then = tidyGoal(m[2]).text;
  const statement = STATEMENT.test(m[1].trim());
  if (!statement && !(CLICK_LEAD.test(then) && !VERB_FIRST.test(m[1].trim()))) return undefined;
  try {
    const rest = readGoal(resolvePronoun(m[2], m[1]));
    // "I need a shell on the bastion host, hit SSH for it": the remark's object places the target.
    // Its object: the last thing it names with a determiner ("the bastion host", "the roadmap").
    // A wish in the user's words ("narrow down the list") names no place.
    const named = statement ? [...m[1].matchAll(/\b(?:the|my|our|his|her|their)\s+/gi)].pop() : undefined;
    const object = named ? m[1].slice(named.index! + named[0].length) : undefined;
    const anchor = object ? anchorOf(object) : statement ? zhObject(m[1]) : undefined;
    const alternatives = rest.steps.map((step, i) => {
      const own = rest.alternatives[i] ?? [];
      if (!anchor || !('click' in step) || typeof step.click !== 'string' || / (?:near|in the row with) /.test(step.click)) return rest.alternatives[i];
      const labels = [step.click, ...(ZH_SAME_ACT[step.click] ?? [])];
      const placed = (relation: string): Step[] => labels.map((l) => ({ click: `${l} ${relation} ${quoteLiteral(anchor)}` }));
      return [...own, ...placed('in the row with'), ...placed('near')];
    });
    return { ...rest, alternatives, asides: [...asides, m[1].trim(), ...rest.asides] };
  } catch (e) {
    if (!(e instanceof GoalParseError)) throw e;
    return undefined;
  }
}

/**
 * What a Chinese remark is about: "那件亚麻衬衫不要了" → 亚麻衬衫, "AirPods先不买了" → AirPods. The
 * words before the first verb of wanting, buying or moving, without a measure word.
 */
function zhObject(remark: string): string | undefined {
  const m = remark.trim().match(/^(?:把)?(?:这|那)?[件个款条家只位张本台份]?(.+?)(?=先|不|要|收藏|删|加|减|买|卖|设|放|移|退|换|改|看|起来|了|$)/);
  const name = m?.[1].trim();
  // "我已经有账号了" is about the user, not a thing on screen.
  return name && /[\u4e00-\u9fff]{2,}|[A-Za-z]{3,}/.test(name) && !/^(?:我|你|他|她|咱)/.test(name) && name !== remark.trim() ? name : undefined;
}

/** Words for an act that the screen writes another way ("删掉" on a "删除" button). */
const ZH_SAME_ACT: Record<string, string[]> = { 删掉: ['删除'], 去掉: ['删除', '移除'], 删了: ['删除'], 拿掉: ['删除', '移除'] };

/** A clause that says to click, and only that. */
const CLICK_LEAD = /^(?:click|tap|press|hit|open|点击|点一下|点|按一下|戳)/i;

/**
 * "…, open them for me", "…，点它那行的小爱心": the pronoun stands for what the clause before
 * named ("any new notifications", "这件T恤").
 */
function resolvePronoun(clause: string, before: string): string {
  const zh = before.match(/(?:这|那)[件个款条家只位张本台份](.+?)(?=收藏|删|加|减|买|卖|设|放|移|退|换|改|看|起来|了|$)/);
  if (zh && /它/.test(clause)) return clause.replace(/它(?:的)?/, zh[1]);
  const en = clause.match(/^(\s*(?:can\s+you\s+|please\s+)?(?:open|click|tap|show|check)\s+)(?:them|it|those|that)\b(.*)$/i);
  if (!en) return clause;
  const object = before.trim().replace(/^(?:are\s+there\s+|is\s+there\s+|do\s+i\s+have\s+)?(?:any|some|the|my)\s+/i, '');
  return object && object.split(/\s+/).length <= 4 ? `${en[1]}${object}${en[2]}` : clause;
}

/** A clause that tells, not asks: it opens with its subject or a reason, or (Chinese) ends in 了. */
const STATEMENT =
  /^(?:i|i'm|i'd|i've|i'll|we|we're|we've|my|our|it|it's|this|that|there|these|those|before|since|because|as|if|when|once|after)\b|^(?:我|我们|这|那|它|因为|如果|既然)|了$/i;
const SEQUENCE = /^(?:and\s+)?(?:then|after\s+that|next|finally)\b|^(?:然后|接着|再)/i;

