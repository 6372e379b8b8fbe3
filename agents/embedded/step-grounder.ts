import type { Target } from '../../src/core/actions.ts';
import { chordOf } from '../../src/core/keys.ts';
import { stepKind, type Step, type StepKind, type StepOf } from '../../src/core/task.ts';
import type { OcrResult, PixelBox } from '../../kernels/ocr/types.ts';
import { locate, type LocateResult } from './ground/locate.ts';
import { parseDescription } from './ground/describe.ts';
import { centre, overlaps } from './ground/geometry.ts';
import { EXPAND_VERBS, expanderBefore } from './ground/expander.ts';
import { locateSlider, SLIDER_DESCRIPTION } from './ground/slider.ts';
import { CELL_DESCRIPTION, locateCell } from './ground/table-cell.ts';
import { locateByRule } from './ground/by-rule.ts';
import { OcrEngine } from './ocr/ocr-engine.ts';
import type { RgbImage } from '../../src/core/frame.ts';
import { locateFormatLetter } from './ground/format-letter.ts';
import { locateIcon } from './ground/ground-icon.ts';
import { locateSearchField, SEARCH_FIELD_NAME } from './ground/search-field.ts';
import { HAS_QUOTES, quoteLiteral, unquote } from './quotes.ts';
import { namesBeforePurpose, namesBeforeKind } from './ground/kind-tail.ts';
import { inFieldBox, looksLikePlaceholder, switchBeside } from './ground/controls.ts';
import { cellMate } from './ground/row-band.ts';
import { groundSelect } from './ground-select.ts';
import {
  closestListing,
  DEFAULT_WAIT_FOR_MS,
  fail,
  fieldDescription,
  findText,
  found,
  locateNotes,
  locateTarget,
  MAX_SCROLLS,
  notFound,
  searchNotches,
  shown,
  targetOf,
  WAIT_POLL_MS,
  type GroundContext,
  type Grounded,
} from './grounding-kit.ts';
import { regionDiff } from './verify-effect.ts';

export { fieldDescription, type GroundContext, type Grounded, type StepProgress } from './grounding-kit.ts';

/**
 * One task step + the current screen (frame, its OCR, its pixels) → the actions that do it, in
 * frame pixels. Steps that take several looks (scroll until a text shows, wait for a text)
 * return complete:false and keep their progress in `progress`. One grounder per step kind.
 */
type Grounder<K extends StepKind> = (step: StepOf<K>, ctx: GroundContext) => Grounded | Promise<Grounded>;

const GROUNDERS: { [K in StepKind]: Grounder<K> } = {
  click: (step, ctx) => groundPointer(step.click, 'click', ctx),
  hover: (step, ctx) => groundPointer(step.hover, 'hover', ctx),
  drag: groundDrag,
  type: groundType,
  press: groundPress,
  scroll: groundScroll,
  select: (step, ctx) => groundSelect(typeof step.select === 'string' ? { option: step.select } : step.select, ctx),
  wait: groundWait,
  assert: groundAssert,
  navigate: (step) => ({ actions: [{ action: 'navigate', url: step.navigate }], complete: true, notes: {} }),
  back: () => ({ actions: [{ action: 'back' }], complete: true, notes: {} }),
  // `do` steps are expanded into a plan by the agent before grounding.
  do: (step) => fail(`the step ${JSON.stringify(step)} cannot be grounded directly`),
};

export async function groundStep(step: Step, ctx: GroundContext): Promise<Grounded> {
  const grounder = GROUNDERS[stepKind(step)] as Grounder<StepKind>;
  return grounder(step as StepOf<StepKind>, ctx);
}

async function groundPointer(spec: StepOf<'click'>['click'] | string, verb: 'click' | 'hover', ctx: GroundContext): Promise<Grounded> {
  const description = typeof spec === 'string' ? spec : spec.target;
  if (verb === 'click' && SLIDER_DESCRIPTION.test(description)) return groundSlider(description, ctx);
  const byRule = locateByRule(ctx.ocr, ctx.rgb, description);
  if (byRule) return byRule.match ? pointerAt(byRule, description, spec, verb, ctx) : notFound(`cannot ${verb} ${description}`, description, byRule);
  if (CELL_DESCRIPTION.test(description)) {
    const cell = locateCell(ctx.ocr, ctx.rgb, description);
    if ('why' in cell) return fail(`cannot ${verb} ${description}: ${cell.why}`);
    return pointerAt({ match: { point: cell.point, box: cell.box, text: cell.label, score: 1, kind: 'text' }, candidates: [] }, description, spec, verb, ctx);
  }
  // "the gear icon", "设置图标": the user says it is an icon, so an icon beats a text that merely contains the word.
  const saysIcon = ICON_WORDS.test(ctx.clause ?? description);
  // '点击"通讯录"图标': the step keeps the quoted name; the icon word stays with it for the icon finder.
  const first = saysIcon ? await locateIcon(/^\s*"[^"]+"\s*$/.test(description) ? `${description} icon` : description, ctx) : undefined;
  if (first?.match) return pointerAt(first, description, spec, verb, ctx);
  // "Click on the "Email" button": the role word, left out of the step, tells a button from a label.
  const saysButton = BUTTON_WORDS.test(ctx.clause ?? '') && !BUTTON_WORDS.test(description);
  let r = locateTarget(ctx.ocr, saysButton ? `${description} button` : description, ctx.rgb);
  // Said to be an icon, and two icons fit: a text that merely starts with the name ("文件传输助手") settles nothing.
  if (first?.ambiguous && (!r.match || r.match.score < WHOLE_LABEL)) return notFound(`cannot ${verb === 'click' ? 'click' : 'hover over'} ${description}`, description, first);
  // "the heart next to Blinding Lights" is no "Heat", "star" no part of "Staging": a text matched
  // only loosely yields to an icon of that name.
  if (r.match?.kind === 'text' && r.match.score < LOOSE_TEXT && !saysIcon) {
    const icon = await locateIcon(description, ctx);
    if (icon?.match) r = icon;
  }
  // "the Projects folder", "the Q3 plan document": the name is on screen, the kind of thing is not.
  const named = !r.match && !r.ambiguous ? withoutKind(description) : undefined;
  if (named) {
    const byName = locateTarget(ctx.ocr, named, ctx.rgb);
    if (byName.match && byName.match.score >= NAMED_MIN_SCORE) r = byName;
  }
  // "the Movie Night scene", "Import card transactions to pull in the charges": a whole label,
  // then the kind of thing it is or why, in words the screen does not show.
  if (!r.match && !r.ambiguous) {
    const byLabel = wholeLabelWithin(description, ctx);
    if (byLabel) r = byLabel;
  }
  // Two equal texts is an answer of its own (say which), not a reason to look for an icon.
  if (!r.match && !r.ambiguous) {
    // No text names it: it may be an icon ("Refresh" on a card with only a ↻).
    // Mind2Web's "[button]  Help": a button named only by its tooltip may be drawn as that icon.
    const tooltip = M2W_BUTTON.test(ctx.clause ?? '') && /^\s*"[^"]+"\s*$/.test(description);
    const icon = saysIcon ? first : await locateIcon(tooltip ? `${description} icon` : description, ctx);
    const letter = icon?.match ? undefined : locateFormatLetter(ctx.ocr, description);
    if (icon?.match) r = icon;
    else if (letter?.match) r = letter;
    else if (icon?.message) {
      const message = `${r.message ?? `no match for ${description}`}; as an icon: ${icon.message}`;
      // Two icons alike is a tie: its places go with the refusal, so no other spelling picks one.
      r = icon.ambiguous ? { candidates: icon.candidates, ambiguous: true, message } : { ...r, message };
    }
  }
  if (!r.match) return notFound(`cannot ${verb === 'click' ? 'click' : 'hover over'} ${description}`, description, r);
  const m = r.match;
  if (verb === 'click' && m.kind === 'text' && EXPAND_VERBS.test(ctx.clause ?? '')) {
    // "expand Finance": a tree node opens from the chevron before its label, not from the label.
    const e = await expanderBefore(m.box as PixelBox, ctx);
    if (e) r = { ...r, match: { ...m, box: e, point: centre(e), text: `the expander of ${m.text}` } };
  } else if (verb === 'click' && m.kind === 'text' && !BUTTON_WORDS.test(ctx.clause ?? description) && !HAS_QUOTES.test(description) && ctx.rgb) {
    // "only my issues": a label with a switch beside it names the switch (a click on the label
    // flips it only where the page ties the two).
    const sw = switchBeside(m.box as PixelBox, ctx.rgb, ctx.ocr);
    if (sw) r = { ...r, match: { ...m, box: sw, point: centre(sw), text: `the switch of ${m.text}` } };
  }
  return pointerAt(r, description, spec, verb, ctx);
}

/** A label found inside the user's longer words must be a whole label, read surely. */
const WHOLE_LABEL = 0.95;

/** The one label the description names before a kind word or a purpose the screen does not show. */
function wholeLabelWithin(description: string, ctx: GroundContext): LocateResult | undefined {
  let text: string;
  try {
    const q = parseDescription(description);
    if (q.quoted || q.kind !== 'text') return undefined;
    text = q.text;
  } catch {
    return undefined;
  }
  if (!description.includes(text)) return undefined;
  for (const name of [...namesBeforePurpose(text), ...namesBeforeKind(text)]) {
    const r = locateTarget(ctx.ocr, description.replace(text, quoteLiteral(name)), ctx.rgb);
    if (r.match && r.match.kind === 'text' && r.match.score >= WHOLE_LABEL) return r;
  }
  return undefined;
}

/** A field found below its label scores this much less when no side borders were seen (controls.ts: 0.8). */
const SIDELESS_FIELD = 0.85;

/** A floating label sits this close over its field's text, in the label's heights (small caps are short). */
const FLOATING_LABEL_GAP = 1.2;

/** The description with the kind of thing left out of its target's name ("the Viewer role on the left" → "Viewer on the left"). */
function withoutKind(description: string): string | undefined {
  const nameOf = (t: string): string | undefined => (t.match(KIND_TAIL) ?? t.match(KIND_HEAD) ?? t.match(ZH_KIND_TAIL))?.[1];
  const whole = nameOf(description);
  if (whole) return whole;
  let text: string;
  try {
    text = parseDescription(description).text;
  } catch {
    return undefined;
  }
  const name = nameOf(text);
  return name && description.includes(text) ? description.replace(text, name) : undefined;
}

/** A name followed by the kind of thing it names. */
const KIND = 'folder|file|document|doc|item|entry|node|page|tab|section|project|board|channel|chat|conversation|thread|list|card|row|record|task|issue|ticket|playlist|album|song|track|artist|video|role|filter|category|menu\\s+item|option|setting|link|email|message';
const KIND_TAIL = new RegExp(`^(.*\\S)\\s+(?:${KIND})$`, 'i');
/** "the album Random Access Memories", "the Viewer role": the kind first. */
// Nouns that are no verbs ("Filter results", "Link account" are labels, not a filter named "results").
const KIND_HEAD = /^(?:the\s+)?(?:album|playlist|song|track|artist|video|role|category|folder|file|document|project|board|channel|tab|page)\s+(?:called\s+|named\s+)?(\S.*)$/i;
/** "理财页面", "简介标签页", "登录按钮": the Chinese kind after the name. */
const ZH_KIND_TAIL = /^(.*[\u4e00-\u9fff\w])(?:页面|标签页|标签|选项卡|按钮|链接|选项|菜单项|菜单|入口)$/;
/** A text match below this is loose: an icon that the words name wins over it. */
const LOOSE_TEXT = 0.8;
/** A name found without its kind must be read surely: it is our shortening of the user's words. */
const NAMED_MIN_SCORE = 0.9;

/** OCR of one box of the screen, in the screen's coordinates. */
async function readBox(rgb: RgbImage, box: PixelBox): Promise<OcrResult | undefined> {
  const x1 = Math.max(0, Math.floor(box[0]));
  const y1 = Math.max(0, Math.floor(box[1]));
  const w = Math.min(rgb.width, Math.ceil(box[2])) - x1;
  const h = Math.min(rgb.height, Math.ceil(box[3])) - y1;
  if (w < 8 || h < 8) return undefined;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(rgb.data.subarray(((y1 + y) * rgb.width + x1) * 3, ((y1 + y) * rgb.width + x1 + w) * 3), y * w * 3);
  const r = await OcrEngine.shared().recognize({ data, width: w, height: h });
  const shift = (b: readonly number[]): [number, number, number, number] => [b[0] + x1, b[1] + y1, b[2] + x1, b[3] + y1];
  return { ...r, groups: r.groups.map((g) => ({ ...g, box: shift(g.box) })), words: r.words.map((wd) => ({ ...wd, box: shift(wd.box) })), lines: r.lines.map((l) => ({ ...l, box: shift(l.box) })) };
}

/** "the slider next to "Volume" at 70%": a click on the track where that value sits. */
async function groundSlider(description: string, ctx: GroundContext): Promise<Grounded> {
  const icon = async (name: string) => (await locateIcon(`${name} icon`, ctx))?.match?.box;
  const r = await locateSlider(ctx.ocr, ctx.rgb, description, ctx.frame.scale || 1, (box) => readBox(ctx.rgb, box), icon);
  // A value to set moves the thumb; a click on the thumb itself moves nothing, no change to wait for.
  const m = description.match(SLIDER_DESCRIPTION);
  const moves = m?.[2] !== undefined || m?.[3] !== undefined;
  if ('why' in r) return fail(`cannot ${moves ? 'set' : 'click'} ${description}: ${r.why}`);
  const target = targetOf(r.box, r.point, r.label, ctx.frame);
  return {
    actions: [{ action: 'click', target, button: 'left', count: 1 }],
    complete: true,
    ...(moves ? { expect: { kind: 'screen-changes' as const, box: target.box!, label: JSON.stringify(r.label) } } : {}),
    notes: { slider: { description, found: r.found } },
  };
}

// Mind2Web writes an icon-only element as "[svg]  Name -> CLICK".
export const ICON_WORDS = /\b(?:icon|symbol|glyph)\b|图标|^\s*\[svg\]/i;
const BUTTON_WORDS = /\b(?:button|btn)\b|按钮/i;
const M2W_BUTTON = /^\s*\[button\]/i;

function pointerAt(r: LocateResult, description: string, spec: StepOf<'click'>['click'] | string, verb: 'click' | 'hover', ctx: GroundContext): Grounded {
  if (!r.match) return notFound(`cannot ${verb === 'click' ? 'click' : 'hover over'} ${description}`, description, r);
  const target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text || description, ctx.frame);
  if (verb === 'hover') return { actions: [{ action: 'hover', target }], complete: true, ...found(description, r) };
  const button = typeof spec === 'string' ? 'left' : (spec.button ?? 'left');
  const count = typeof spec === 'string' ? 1 : (spec.count ?? 1);
  return {
    actions: [{ action: 'click', target, button, count }],
    complete: true,
    expect: { kind: 'screen-changes', box: target.box!, label: JSON.stringify(target.label) },
    ...found(description, r),
  };
}

function groundDrag(step: StepOf<'drag'>, ctx: GroundContext): Grounded {
  const { from, to } = step.drag;
  const source = locateTarget(ctx.ocr, from, ctx.rgb);
  if (!source.match) return notFound(`cannot drag ${from}`, from, source);
  const dest = locateTarget(ctx.ocr, to, ctx.rgb);
  if (!dest.match) return notFound(`cannot drop ${from} on ${to}`, to, dest);
  const a = targetOf(source.match.box as PixelBox, source.match.point, source.match.text || from, ctx.frame);
  const b = targetOf(dest.match.box as PixelBox, dest.match.point, dest.match.text || to, ctx.frame);
  const notes = { from: locateNotes(from, source), to: locateNotes(to, dest) };
  if (Math.hypot(a.point![0] - b.point![0], a.point![1] - b.point![1]) < 4) {
    return fail(`cannot drag ${from} onto ${to}: both name the same place on screen (${JSON.stringify(a.label)})`, notes);
  }
  return {
    actions: [{ action: 'drag', from: a, to: b }],
    complete: true,
    // What was dragged leaves its place (or the drop zone redraws): the screen changes where we pressed.
    expect: { kind: 'screen-changes', box: a.box!, label: JSON.stringify(a.label), verb: 'dragging' },
    located: found(from, source).located,
    notes,
  };
}

/** The field labelled by the last word of a longer name, when exactly one label on screen is that word and a field is seen by it. */
function headNounField(into: string, ctx: GroundContext): [LocateResult, string] | undefined {
  if (HAS_QUOTES.test(into)) return undefined;
  const words = into.replace(/\b(?:the|a|an|field|input|box|text\s*box|textbox|area)\b/gi, ' ').trim().split(/\s+/);
  const head = words[words.length - 1];
  if (words.length < 2 || !/^[A-Za-z]{3,}$/.test(head)) return undefined;
  const bare = (t: string) => t.trim().replace(/[:：*]+$/, '').toLowerCase();
  // One label is the word, and no other text holds it ("Re-enter password" beside "Password").
  const holding = ctx.ocr.groups.filter((g) => bare(g.text).includes(head.toLowerCase()));
  if (holding.length !== 1 || bare(holding[0].text) !== head.toLowerCase()) return undefined;
  const description = `the field labelled ${quoteLiteral(head)}`;
  const r = locate(ctx.ocr, description, { image: ctx.rgb });
  return r.match && !r.match.guessed ? [r, description] : undefined;
}

function groundType(step: StepOf<'type'>, ctx: GroundContext): Grounded {
  const spec = typeof step.type === 'string' ? { text: step.type } : step.type;
  if (!spec.into) {
    return { actions: [{ action: 'type', text: spec.text, clear: spec.clear ?? false, submit: spec.submit ?? false }], complete: true, notes: { into: 'the focused element' } };
  }
  const description = fieldDescription(spec.into);
  const searchField = SEARCH_FIELD_NAME.test(unquote(spec.into).trim());
  const cell = CELL_DESCRIPTION.test(spec.into) ? locateCell(ctx.ocr, ctx.rgb, spec.into) : undefined;
  if (cell && 'why' in cell) return fail(`cannot find the cell to type into: ${cell.why}`);
  let r: LocateResult = cell
    ? { match: { point: cell.point, box: cell.box, text: cell.label, score: 1, kind: 'field' }, candidates: [] }
    : searchField ? locateSearchField(ctx.ocr, ctx.rgb, spec.into) : locate(ctx.ocr, description, { image: ctx.rgb });
  if (searchField && !r.match && !r.candidates.length) r = locate(ctx.ocr, description, { image: ctx.rgb });
  let used = description;
  if (!r.match && description !== spec.into) {
    // No input box seen beside the label: the text itself may be the placeholder inside the field.
    const byText = locateTarget(ctx.ocr, spec.into, ctx.rgb);
    if (byText.match) {
      r = byText;
      used = spec.into;
    }
  }
  if (!r.match) {
    // "the brush size field" by a "Size:" label: the head noun alone, when it is one whole label.
    const byHead = headNounField(spec.into, ctx);
    if (byHead) [r, used] = byHead;
  }
  if (!r.match) return notFound(`cannot find the field ${spec.into} to type into`, description, r);
  let m = r.match;
  // A small label with its value stacked right under it ("DESTINATION" over "Lisbon, Portugal") is a
  // floating label, faint as a placeholder but above the field's text.
  const floating = m.labelBox ? cellMate(ctx.ocr, m.labelBox as PixelBox, FLOATING_LABEL_GAP) : undefined;
  // A faint text over a band with no sides of its own (a dark theme's field border too dim to see)
  // is a placeholder too: the band is the gap under the field.
  // Either way the text must sit in a field's box or on its underline: a faint label over an
  // underlined input is a label.
  const sideless = m.score < SIDELESS_FIELD && !!m.labelBox && m.box[1] >= m.labelBox[3] - 1;
  // (Or the spot guessed under it holds other words: a composer's toolbar under its placeholder.)
  const occupied = !!m.guessed && ctx.ocr.groups.some((g) => overlaps(g.box, m.box as PixelBox));
  const placeholder = !!m.labelBox && !!ctx.rgb && looksLikePlaceholder(ctx.ocr, m.labelBox as PixelBox, ctx.rgb) && (occupied || inFieldBox(m.labelBox as PixelBox, ctx.rgb));
  if ((m.guessed || sideless) && m.labelBox && !(floating && floating[1] >= m.labelBox[3] - 1) && placeholder) {
    // No field box seen, and the "label" is drawn like a placeholder: it is inside the field.
    m = { ...m, box: m.labelBox, point: [(m.labelBox[0] + m.labelBox[2]) / 2, (m.labelBox[1] + m.labelBox[3]) / 2], guessed: false };
    r = { ...r, match: m };
  }
  const target = targetOf(m.box as PixelBox, m.point, m.text || spec.into, ctx.frame);
  return {
    actions: [{ action: 'type', text: spec.text, target, clear: spec.clear ?? true, submit: spec.submit ?? false }],
    complete: true,
    expect: { kind: 'field-shows', box: target.box!, text: spec.text },
    ...found(used, r),
  };
}

function groundPress(step: StepOf<'press'>): Grounded {
  try {
    const keys = chordOf(step.press);
    return { actions: [{ action: 'key', keys }], complete: true, notes: {} };
  } catch (e) {
    return fail(`cannot press ${JSON.stringify(step.press)}: ${(e as Error).message}`);
  }
}

function groundScroll(step: StepOf<'scroll'>, ctx: GroundContext): Grounded {
  const spec = typeof step.scroll === 'string' ? { direction: step.scroll } : step.scroll;
  const p = ctx.progress;
  let target: Target | undefined;
  if (spec.at && spec.until && p.scrollAt) {
    // The `at` text may have scrolled away: keep scrolling the same place, not wherever it went.
    target = p.scrollAt;
  } else if (spec.at) {
    const r = locateTarget(ctx.ocr, spec.at, ctx.rgb);
    if (!r.match) return notFound(`cannot scroll at ${spec.at}`, spec.at, r);
    target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text, ctx.frame);
  }
  const at = target ? { target } : {};
  if (!spec.until) return { actions: [{ action: 'scroll', direction: spec.direction, amount: spec.amount ?? 3, ...at }], complete: true, notes: {} };
  const seen = findText(ctx.ocr, spec.until);
  const looked = { until: spec.until, scrolls: p.scrolls ?? 0, best: seen.result.match && { text: seen.result.match.text, score: seen.result.match.score } };
  if (seen.present) return { actions: [], complete: true, notes: { scroll: { ...looked, found: true } } };
  if (p.lastRgb && (p.scrolls ?? 0) > 0) {
    const d = regionDiff(p.lastRgb, ctx.rgb, [0, 0, ctx.rgb.width, ctx.rgb.height]);
    if (d.changed === 0 && d.mean < 0.05) {
      return fail(`scrolled ${spec.direction} to the end without finding ${shown(spec.until)}${closestListing(seen.result)}`, { scroll: looked });
    }
  }
  if ((p.scrolls ?? 0) >= MAX_SCROLLS) {
    return fail(`scrolled ${spec.direction} ${MAX_SCROLLS} times without finding ${shown(spec.until)}${closestListing(seen.result)}`, { scroll: looked });
  }
  p.scrolls = (p.scrolls ?? 0) + 1;
  p.lastRgb = ctx.rgb;
  if (target) p.scrollAt = target;
  return { actions: [{ action: 'scroll', direction: spec.direction, amount: spec.amount ?? searchNotches(ctx.frame), ...at }], complete: false, notes: { scroll: looked } };
}

function groundWait(step: StepOf<'wait'>, ctx: GroundContext): Grounded {
  if (typeof step.wait === 'number') return { actions: [{ action: 'wait', ms: Math.min(step.wait, 60_000) }], complete: true, notes: {} };
  const spec = step.wait;
  if (!spec.for) return { actions: [{ action: 'wait', ms: Math.min(spec.ms ?? 1000, 60_000) }], complete: true, notes: {} };
  const seen = findText(ctx.ocr, spec.for);
  if (seen.present) return { actions: [], complete: true, notes: { waitFor: spec.for, found: true } };
  const p = ctx.progress;
  p.startedAt ??= Date.now();
  const limit = spec.ms ?? DEFAULT_WAIT_FOR_MS;
  if (Date.now() - p.startedAt >= limit) return fail(`waited ${limit} ms for ${shown(spec.for)} to appear${closestListing(seen.result)}`);
  return { actions: [{ action: 'wait', ms: WAIT_POLL_MS }], complete: false, notes: { waitFor: spec.for, found: false } };
}

function groundAssert(step: StepOf<'assert'>, ctx: GroundContext): Grounded {
  const seen = findText(ctx.ocr, step.assert);
  const notes = { assert: step.assert, locate: locateNotes(step.assert, seen.result) };
  if (seen.present) return { actions: [], complete: true, notes };
  return fail(`assertion failed: ${shown(step.assert)} is not on screen${closestListing(seen.result)}`, notes);
}
