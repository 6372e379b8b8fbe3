import type { Step } from '../../../src/core/task.ts';
import { GoalParseError, parseGoal, startsClause, type ParsedGoal } from '../goal-parser.ts';
import { quoteLiteral, HAS_QUOTES, QUOTED_SPAN, unquote } from '../quotes.ts';
import { readForm, sliderStep } from './forms.ts';
import { isMind2WebActions, mind2WebSteps } from './mind2web.ts';
import { zhIntentReading } from './zh-intents.ts';
import { anchorOf, reducedAlternatives } from './reduced.ts';
import { tidyChinese } from './zh-tidy.ts';
import { controlOfQuoted } from './quoted-owner.ts';
import { afterPreamble } from './preamble.ts';
import { asideInPlace } from './aside-place.ts';
import { contextAfterComma, zhRemarkAfter } from './after-comma.ts';
import { ACTION_VERBS, CARD_WORDS, TOGGLE_ON_OFF } from './vocabulary.ts';

/**
 * Goals as people write them, not as a grammar wants them. In order:
 *   1. Mind2Web action strings ("[button] Search -> CLICK") become their steps;
 *   2. politeness, filler and asides are set apart ("Could you please…?", "(the red one)");
 *   3. the sentence grammar of goal-parser.ts reads what it can;
 *   4. what it cannot read is read as intent + target + context: a verb that names a button
 *      ("Approve the request from Dana" → "Approve" in Dana's row), a switch to flip ("turn on
 *      Dark mode"), or a bare description of what to click ("search button", "设置图标").
 * Each plan step may carry alternatives, tried in order when the step's target is not found
 * ("remove Jane Roe": "Remove" in her row, else "Delete" there).
 */

export interface ReadGoal extends ParsedGoal {
  /** For steps[i], other steps that would do the same when steps[i]'s target is not on screen. */
  alternatives: (Step[] | undefined)[];
  /** How the goal was read, for the trace: "grammar", "mind2web", "intent", "target". */
  readAs: string;
  /** Words set apart while reading (asides, exclusions), for the trace. */
  asides: string[];
}

const POLITE_HEAD =
  /^(?:(?:hey|hi|ok(?:ay)?|so|now|alright)[,!\s]+)?(?:(?:could|can|would|will)\s+(?:you|u)\s+(?:please\s+)?|(?:please|pls|plz|kindly|just|go\s+ahead\s+and|let'?s|i\s+(?:want|need|would\s+like|'d\s+like)\s+(?:you\s+)?to|help\s+me(?:\s+to)?|try\s+to|you\s+should)\s+)+/i;
/** "oops, undo that", "ok I'm done with this lecture, …": a sound before the instruction. */
const INTERJECTION = /^(?:(?:oops|whoops|oh|ah|hmm+|um+|uh|ugh|ok(?:ay)?|alright|yes|yeah|great|cool|hey|hi)(?:[,!]\s*|\s+))+(?=\S)/i;
const POLITE_TAIL = /(?:\s*,?\s*(?:please|for\s+(?:me|us|it)|thanks|thank\s+you|if\s+you\s+can|now))+\s*[?.!]*\s*$/i;
const ZH_POLITE = /^(?:请|麻烦|帮我|请帮我|帮忙|劳驾|你|直接)+|(?:一下|吧|好吗|谢谢)+(?=[，。！？,.!?]*$)/g;
// "…so I can find it later", "…in order to compare them": why, said after what; the user's own purpose.
const PURPOSE = /\s*,?\s*(?:so(?:\s+that)?\s+(?:I|we)\s+(?:can|could|will|'ll|may|might|don'?t|do\s+not|won'?t|can'?t|cannot)|in\s+order\s+(?:for\s+(?:me|us)\s+)?to|to\s+(?:see|check|find\s+out|figure\s+out)\s+(?:what|whats|what's|why|how|who|which|if|whether))\s+[^,;]+$/i;
const ASIDE = /\s*[(（]([^()（）]*)[)）]\s*/g;
const NEGATION = /[,，]?\s*(?:but\s+)?not\s+the\s+([^,.;]+?)\s+one\b|[,，]?\s*(?:but\s+)?not\s+(?:the\s+)?["“']([^"”']+)["”']|[,，]\s*(?:but\s+)?not\s+(\p{Lu}\S*(?:\s+\p{Lu}\S*)?)\s*$/giu;

/** Politeness and asides off; what was set apart is kept for the trace. */
export function tidyGoal(goal: string): { text: string; asides: string[] } {
  const asides: string[] = [];
  let s = goal.replace(/\s+/g, ' ').trim();
  s = s.replace(ASIDE, (_, inner: string) => {
    asides.push(inner.trim());
    return ' ';
  });
  s = s.replace(NEGATION, (m) => {
    asides.push(m.trim().replace(/^[,，]\s*/, ''));
    return ' ';
  });
  // "theres a 2nd page of instances right? go to the next page": a question of three words or more
  // before the instruction is the user thinking aloud (unless the instruction points back at it:
  // "any new notifications? open them").
  const thought = s.match(/^(?:[^?？"“”'「」]+\s){2,}[^?？"“”'「」\s]+[?？]+\s*(?=\S.{2,}$)/);
  if (thought && !/\b(?:it|them|they|those|these|that|this|ones?)\b/i.test(s.slice(thought[0].length))) {
    asides.push(thought[0].trim());
    s = s.slice(thought[0].length);
  }
  // "close the second tab, the utils one": the name after the comma says which; the count was a guess.
  s = s.replace(/\bthe\s+(?:first|second|third|fourth|fifth|last|other)\s+([a-z]+),\s*the\s+([\w.-]+(?:\s+[\w.-]+)?)\s+one$/i, 'the $2 $1');
  // A full stop ends the sentence, not a clause ("勾选"张伟"所在行的复选框。"); an ellipsis stays.
  s = s.replace(INTERJECTION, '').replace(POLITE_HEAD, '').replace(POLITE_TAIL, '').replace(/\?\s*$/, '').replace(/(?<![.。…])。\s*$/, '');
  s = s.replace(PURPOSE, (m) => {
    asides.push(m.trim().replace(/^,\s*/, ''));
    return '';
  });
  // 看一下 is "look at" (看 alone is a word's first character too: 看板).
  s = s.replace(ZH_POLITE, '').replace(/^看一下(?=\S)/, '看看').replace(/^(点|按|看|查|刷新|清)一下/, '$1').replace(/(?<=[\u4e00-\u9fff])一下/g, '');
  s = tidyChinese(s);
  // "星巴克那个导航按钮点一下": the thing first, the click after it.
  s = s.replace(/(?<=[\u4e00-\u9fff]{2}[^，。,]*)(?:帮我|给我|你)?(?:点击|(?<!个)点|按)[吧下]?[。！!]?$/, '');
  return { text: s.replace(/\s+/g, ' ').trim(), asides };
}

export function readGoal(goal: string): ReadGoal {
  const r = readWhole(goal);
  // "delete selected instances (trash can in the toolbar)", "hide my personal calendar (uncheck
  // Personal, not Work)": an aside may say the same more plainly; it is tried when the reading fails.
  // (A Mind2Web element's name is the page's words: "雷蛇（Razer）黑寡妇…" holds no aside.)
  if (r.steps.length !== 1 || r.readAs === 'mind2web') return r;
  const extra: Step[] = [];
  for (const m of goal.matchAll(ASIDE)) {
    // "(the red one)" says which of several; only an aside that names a thing is read.
    if (/\bones?$/i.test(m[1].trim())) continue;
    try {
      const target = startsClause(m[1].trim()) ? undefined : targetReading(m[1].trim());
      const aside = target ? { ...target, asides: [] } : readWhole(m[1]);
      const step = aside.steps.length === 1 ? asideInPlace(r.steps[0], aside.steps[0]) : undefined;
      if (step && JSON.stringify(step) !== JSON.stringify(r.steps[0])) extra.push(step);
    } catch (e) {
      if (!(e instanceof GoalParseError)) throw e;
    }
  }
  return extra.length ? { ...r, alternatives: [[...(r.alternatives[0] ?? []), ...extra]] } : r;
}

function readWhole(goal: string): ReadGoal {
  const trimmed = goal.trim();
  if (!trimmed) throw new GoalParseError('the goal is empty: say what to do, e.g. Click on the "OK" button', '');
  if (isMind2WebActions(trimmed)) {
    const r = mind2WebSteps(trimmed);
    return { ...r, alternatives: r.steps.map(() => undefined), readAs: 'mind2web', asides: [] };
  }
  const { text, asides } = tidyGoal(trimmed);
  if (!text) throw new GoalParseError(`no instruction found in "${trimmed}"`, trimmed);
  let grammarError: GoalParseError;
  // "点取消，不保存了": the grammar would click "取消，不保存了"; a remark after the comma is no target.
  const early = QUOTE_CHARS.test(text) ? undefined : withoutRemark(text, asides);
  if (early) return early;
  const instrument = byInstrument(text, asides);
  if (instrument) return instrument;
  try {
    // The grammar reads "turn on Dark mode" as a click on the words; the switch beside them is meant.
    // "put the 990v6 in my cart" is no typing: a product goes to the cart.
    // A comma inside quotes ("Chen, Robert K.") is part of a name, not a second clause.
    const oneClause = !SEVERAL_CLAUSES.test(text.replace(QUOTED_SPAN, '""'));
    const destined = oneClause ? destinedIntent(text) : undefined;
    if (destined) return { ...destined, asides };
    const form = oneClause ? readForm(text) : undefined;
    if (form) return { ...one(form.step, text, form.readAs ?? 'form', form.alternatives), asides };
    const toggle = toggleReading(text);
    if (toggle) return { ...toggle, asides };
    const zh = zhIntentReading(text);
    if (zh) return { ...one(zh.step, text, 'intent', zh.alternatives), asides };
    const parsed = parseGoal(text);
    const steps = parsed.steps.map((st) => controlOfQuoted(st)?.[0] ?? st);
    const alternatives = parsed.steps.map((st) => controlOfQuoted(st)?.slice(1) ?? reducedAlternatives(st));
    return { ...parsed, steps, alternatives, readAs: 'grammar', asides };
  } catch (e) {
    if (!(e instanceof GoalParseError)) throw e;
    grammarError = e;
  }
  // A remark after the instruction ("archive the data warehouse one, we're done with it") is not
  // another instruction: read the instruction alone.
  const late = withoutRemark(text, asides);
  if (late) return late;
  const instruction = afterPreamble(text, asides, { readGoal, tidyGoal, anchorOf });
  if (instruction) return instruction;
  // Only a single clause is read without the grammar: in "Click OK, then juggle the buttons" the
  // part it did not understand is named, not guessed at.
  const placed = contextAfterComma(text, targetReading);
  if (placed) return { ...placed, asides };
  const zhRemark = zhRemarkAfter(text);
  const remarked = zhRemark && readBeforeRemark(zhRemark[0], zhRemark[1], asides);
  if (remarked) return remarked;
  if (SEVERAL_CLAUSES.test(text)) throw grammarError;
  const intent = intentReading(text) ?? (startsClause(text) && !BARE_NAME.test(text) ? undefined : targetReading(text));
  if (intent) return { ...intent, asides };
  throw grammarError;
}

/**
 * "add a new role with the little plus next to Roles", "skip ahead using the progress bar": the
 * control said after with/using is what to click; the act before it is why.
 */
function byInstrument(text: string, asides: string[]): ReadGoal | undefined {
  const m = text.match(/^(.+?)\s+(?:with|using|via|by\s+clicking)\s+(the\s+(?:[\w-]+\s+){0,3}(?:plus|minus|button|icon|arrow|toggle|switch|slider|bar|link|checkbox|dropdown|x|×)\b.*)$/i);
  if (!m || /^(?:type|enter|fill|write|input|set|select|choose|pick)\b/i.test(m[1])) return undefined;
  // "skip to the middle using the progress bar": a point on the bar the act names.
  const point = sliderStep(text);
  if (point) return { ...one(point, text, 'form'), asides };
  const bar = sliderStep(m[2]);
  const target = bar ? one(bar, m[2], 'form') : targetReading(m[2]);
  return target ? { ...target, readAs: 'instrument', asides: [...asides, m[1].trim()] } : undefined;
}

/** The instruction before a remark, read alone, with the remark kept as an aside. */
function withoutRemark(text: string, asides: string[]): ReadGoal | undefined {
  const remark = text.match(REMARK);
  // A comma inside quotes is the typed text's own ("Type 'Sounds good, I'll…'").
  const open = remark ? (remark[1].match(new RegExp(QUOTE_CHARS.source, 'g'))?.length ?? 0) % 2 === 1 : false;
  return remark && !open ? readBeforeRemark(remark[1], remark[2], asides) : undefined;
}

/** An instruction read alone, the remark after it kept as an aside; undefined when it does not read. */
function readBeforeRemark(instruction: string, remark: string, asides: string[]): ReadGoal | undefined {
  try {
    const first = readGoal(instruction);
    return { ...first, asides: [...asides, ...first.asides, remark.trim()] };
  } catch (e) {
    if (!(e instanceof GoalParseError)) throw e;
    return undefined;
  }
}

/**
 * "fill color", "在线客服": a short name that starts like an instruction (fill, 在) but that the
 * grammar cannot read as one is a name, as ScreenSpot writes targets.
 */
const BARE_NAME = /^(?:[A-Za-z]+(?:\s+[A-Za-z]+){0,2}|\p{Script=Han}{2,6})$/u;

/** A remark after the instruction: "…, we're done with it", "…，不保存了". */
const REMARK =
  /^(.+?)[,，;；]\s*(?!(?:and|then|after|next|finally|also)\b|然后|接着|再)((?:we|i|it|this|that|they|the|my|our|there|because|since|as|so|where|how|what|why|not|her|his|she|he|someone|somebody|it's|its(?=\s+(?:not|no|just|only|too|so|already|been|gonna|fine|ok|okay)\b)|we're|i'm|thanks|which|can't|cant|cannot|don't|dont|won't|wont)\b.*|(?:因为|这样|我|我们|它|不|看看|想看|好让|以便|方便|免得|省得).*)$/i;
/** Quote marks, not apostrophes ("it's"). */
const QUOTE_CHARS = /["“”「」『』]|(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])/;

const SEVERAL_CLAUSES = /[,;，；。]|\b(?:then|after\s+that|afterwards)\b|然后|接着|随后|之后/i;

type Reading = Omit<ReadGoal, 'asides'>;

const one = (step: Step, clause: string, readAs: string, alternatives?: Step[]): Reading => ({
  steps: [step],
  clauses: [clause],
  alternatives: [alternatives],
  readAs,
});

/**
 * "Approve the request from Dana", "remove Jane Roe", "Archive on the Billing card",
 * "turn on Dark mode": a verb that is a control's label (or its synonyms), acting on an object
 * that places it. Returns undefined when the first word is no such verb.
 */
export function intentReading(text: string): Reading | undefined {
  const s = text.replace(/[.!。！]+$/, '').trim();
  const m = s.match(/^([A-Za-z][A-Za-z-]*)\b\s*(.*)$/);
  if (!m) return undefined;
  const verb = m[1].toLowerCase();
  const destined = destinationReading(verb, m[2]);
  const labels = destined?.labels ?? ACTION_VERBS[verb];
  if (!labels) return undefined;
  const object = destined?.object ?? m[2].replace(/^(?:on|in|at|for)\s+/i, '').trim();
  // "Email field", "Report tab", "refresh button in the top bar": the verb is the label of the
  // thing named, not an act.
  if (ROLE_TAIL.test(object) || ROLE_HEAD.test(object)) return undefined;
  // "next track", "previous week": a media or pager control named whole, not "Next" in a row.
  if (/^(?:next|previous|prev|back)$/.test(verb) && /^(?:track|song|video|episode|slide|image|photo|page|week|month|day|year)$/i.test(object)) return undefined;
  // The labels are our guess, not the user's words: unquoted, so that an icon can answer too.
  // An icon's name alone ("eye" for hide) only where the object says which one.
  const worded = labels.slice(1).filter((l) => !/^[a-z]/.test(l));
  if (!object) return one({ click: labels[0] }, text, 'intent', worded.map((l) => ({ click: l })));
  // "create new event", "add a new contact": no record to act on; the button that makes one.
  const made = /^(?:create|add|make|new)$/.test(verb) ? object.match(/^(?:a\s+|an\s+)?new\s+([a-z]+(?:\s+[a-z]+)?)$/i) : null;
  if (made) {
    const noun = made[1].toLowerCase();
    return one({ click: `New ${noun}` }, text, 'intent', [`Create ${noun}`, `Add ${noun}`, `+ ${noun}`, ...labels].map((l) => ({ click: l })));
  }
  // "start the instance in the sixth row", "duplicate button of the fifth expense": a row, counted.
  const counted = object.match(COUNTED_ROW);
  if (counted) return one({ click: `${labels[0]} ${counted[0].trim()}` }, text, 'intent', labels.slice(1).map((l) => ({ click: `${l} ${counted[0].trim()}` })));
  const anchor = anchorOf(object);
  if (!anchor) return one({ click: labels[0] }, text, 'intent', worded.map((l) => ({ click: l })));
  const onCard = CARD_WORDS.test(object);
  const make = (relation: string) => (label: string): Step => ({ click: `${label} ${relation} ${quoteLiteral(anchor)}` });
  // Not in the anchor's row: the anchor may head a card or tile with its buttons below it.
  const inCard = onCard ? [] : labels.map(make('near'));
  // "Deploy to staging workflow in sidebar": the verb may be the first word of a label, said whole.
  const whole: Step[] = HAS_QUOTES.test(s) || s.split(/\s+/).length > 8 ? [] : [{ click: s }];
  return one(make(onCard ? 'near' : 'in the row with')(labels[0]), text, 'intent', [...labels.slice(1).map(make(onCard ? 'near' : 'in the row with')), ...inCard, ...whole]);
}

const COUNTED_ROW = /\b(?:in|on|of|for|at)\s+the\s+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th))\s+[a-z]+(?:\s+(?:in|of|on)\s+the\s+(?:list|table|grid|page|results))?$/i;

function destinedIntent(text: string): Reading | undefined {
  const m = text.match(/^([A-Za-z]+)\s+(.*)$/);
  return m && destinationReading(m[1].toLowerCase(), m[2].replace(/[.!。！]+$/, '')) ? intentReading(text) : undefined;
}

/** Where an "add/put/save X to Y" sends its object, and the labels of the controls that do it. */
const DESTINATIONS: Array<[RegExp, string[]]> = [
  [/^(?:shopping\s+)?(?:cart|basket|bag|trolley)$/i, ['Add to cart', 'Add to bag', 'Add to basket']],
  [/^(?:wish\s*list|favou?rites?|saved\s+items)$/i, ['Add to wishlist', 'Add to favorites', 'favorite']],
];
const DESTINED_VERBS = /^(?:add|put|place|save|move|drop)$/;

/**
 * "add the blue Asics to the cart", "put X in my cart", "add to cart of the Samba OG", "save X
 * to my wishlist": the destination names the control ("Add to cart", the heart), the rest the
 * product it is on.
 */
function destinationReading(verb: string, rest: string): { labels: string[]; object: string } | undefined {
  if (!DESTINED_VERBS.test(verb)) return undefined;
  const place = (d: string) => DESTINATIONS.find(([re]) => re.test(d.trim()))?.[1];
  const after = rest.match(/^(.+?)\s+(?:to|in|into|onto)\s+(?:the\s+|my\s+|your\s+|our\s+)?(.+)$/i);
  const labels = after && place(after[2]);
  if (after && labels) return { labels, object: after[1] };
  const before = rest.match(/^(?:to|in|into)\s+(?:the\s+|my\s+)?(.+?)\s+(?:of|for)\s+(.+)$/i);
  const first = before && place(before[1]);
  if (before && first) return { labels: first, object: before[2] };
  return undefined;
}

/** "turn on Dark mode", "开启深色模式": the switch beside the words. */
export function toggleReading(text: string): Reading | undefined {
  const s = text.replace(/[.!。！]+$/, '').trim();
  // 打开深色模式: a switch when one is beside the words, else the words themselves (打开设置).
  const zh = s.match(/^(?:开启|启用|禁用|关掉|关闭|打开)\s*([^\s，,]{2,12})$/);
  if (zh && !/(?:开关|弹窗|窗口|页面|对话框|图标|按钮)$/.test(zh[1])) {
    const label = cleanLabel(zh[1]) || zh[1];
    const d = quoteLiteral(label);
    // 打开播放列表: what opens may be an icon of that name; 打开七里香这张专辑: a thing of that name.
    return one({ click: `the switch next to ${d}` }, text, 'intent', [{ click: d }, { click: label }, ...(reducedAlternatives({ click: label }) ?? [])]);
  }
  const toggle = s.match(TOGGLE_ON_OFF);
  if (!toggle) return undefined;
  const label = cleanLabel(toggle[1] ?? toggle[2] ?? toggle[3] ?? toggle[4] ?? '');
  if (!label) return undefined;
  const d = HAS_QUOTES.test(label) ? label : quoteLiteral(label);
  // "turn off camera" in a call: a camera, a microphone or captions are toggled by their icon button.
  const device = DEVICE_TOGGLE.test(label) ? [{ click: `${label.replace(/^(?:the|my)\s+/i, '')} icon` }] : undefined;
  return one({ click: `the switch next to ${d}` }, text, 'intent', device);
}

/** What a call or player toggles with an icon button of its own, not a switch beside a label. */
const DEVICE_TOGGLE = /^(?:(?:the|my)\s+)?(?:camera|video|mic|microphone|captions|subtitles)$/i;

/** "refresh button in the top bar" is placed by a place; "edit icon of the meeting" by its object. */
const ROLE_HEAD = /^(?:button|icon|link|tab|menu|checkbox|switch|toggle)(?:\s+(?:in|on|at|inside|within|next\s+to|near)\b|$)/i;
const ROLE_TAIL = /^(?:button|link|tab|icon|field|box|input|menu|checkbox|switch|toggle|option)$|\b(?:field|box|input|tab|link|button)$/i;

/** A description with no verb ("search button", "the gear icon in the top bar", "设置图标"): click it. */
export function targetReading(text: string): Reading | undefined {
  const s = text.replace(/[.!。！]+$/, '').trim();
  if (!s || s.split(/\s+/).length > 12) return undefined;
  const step: Step = { click: s };
  return one(step, text, 'target', reducedAlternatives(step));
}

function cleanLabel(s: string): string {
  return s
    .replace(/^(?:the|a|an)\s+/i, '')
    // "Switch off toggle 'Show closed deals'" (RPA scripts name the control's kind first).
    .replace(/^(?:toggle|switch|checkbox)\s+(?=["'“‘])/i, '')
    .replace(/\s+(?:setting|option|switch|toggle|checkbox|filter|mode\s+switch)$/i, '')
    .replace(/\s+(?:for|of|on)\s+this\s+\S+$/i, '')
    .replace(/(?:的)?(?:开关|选项|设置)$/, '')
    .trim();
}
