import type { PixelBox } from '../../kernels/ocr/types.ts';
import { centre, contains } from './ground/geometry.ts';
import { allFields } from './ground/controls.ts';
import { locate, type LocateResult } from './ground/locate.ts';
import { arrowAfter, locateSelectByPlaceholder } from './ground/select-box.ts';
import { CELL_DESCRIPTION, locateCell } from './ground/table-cell.ts';
import { fieldDescription, found, locateTarget, notFound, targetOf, type GroundContext, type Grounded } from './grounding-kit.ts';
import { findNativeSelects, selectActions } from './native-select.ts';
import { dropdownsShowingLike } from './ground/value-shape.ts';
import { HAS_QUOTES, quoteLiteral, unquote } from './quotes.ts';
import type { Expectation } from './verify-effect.ts';

const LIST_WORD = /\s+(?:list|drop-?down(?:\s+(?:list|menu|box))?|menu|select(?:or)?|picker|combo\s*box)$|(?<=\p{Script=Han})(?:下拉列表|下拉框|下拉菜单|列表|菜单|选择框)$/iu;

/** An option clicked straight from a list of choices must be read this surely. */
const SHOWN_OPTION_SCORE = 0.9;

/** Looks, and the pause before each, for an opened list to be drawn. */
const OPEN_WAITS = 3;
const OPEN_WAIT_MS = 250;

/**
 * `select: { option, in }`: a native <select> in the browser is driven by click, arrow keys and
 * Enter; elsewhere an option already in view is clicked, and a closed dropdown is opened first.
 */
export async function groundSelect(given: { option: string; in?: string }, ctx: GroundContext): Promise<Grounded> {
  const { frame, ocr, rgb, executor, progress } = ctx;
  // "from the Status list", "the Cost center dropdown": the list is named Status, Cost center.
  const named = given.in && !HAS_QUOTES.test(given.in) ? { ...given, in: given.in.replace(LIST_WORD, '').trim() || given.in } : given;
  // "Select 按时间排序 from the list": a list said by its kind alone names none.
  const spec = named.in && GENERIC_LIST.test(named.in.trim()) ? { option: named.option } : named;
  const option = unquote(spec.option);

  // Browser: a native <select> offering the option (its popup is never painted headless).
  const cell = spec.in && CELL_DESCRIPTION.test(spec.in) ? locateCell(ocr, rgb, spec.in) : undefined;
  if (cell && 'why' in cell) return notFound(`cannot find the cell to select ${spec.option} in`, spec.in!, { candidates: [], message: cell.why });
  let selects = await findNativeSelects(executor, frame, option);
  if (selects.length > 1 && spec.in) {
    const r = cell ? { match: { point: cell.point } } : locate(ocr, fieldDescription(spec.in), { image: rgb });
    const c = r.match?.point;
    if (c) {
      const dist = (b: PixelBox) => Math.hypot(Math.max(b[0] - c[0], 0, c[0] - b[2]), Math.max(b[1] - c[1], 0, c[1] - b[3]));
      selects = [...selects].sort((a, b) => dist(a.box) - dist(b.box));
    }
  }
  const chosen = selects[0];
  if (chosen) {
    const actions = selectActions(chosen);
    const notes = { select: { option: chosen.optionText, from: chosen.selectedIndex, to: chosen.optionIndex, label: chosen.label, how: 'native select: click, arrow keys, Enter' } };
    return { actions, complete: true, expect: actions.length ? { kind: 'box-shows', box: chosen.box, text: chosen.optionText } : undefined, notes };
  }

  // A dropdown opened on an earlier look (desktop), or an option shown as a radio/list item: click its text.
  if (progress.opened || !spec.in) {
    const r = locateTarget(ocr, spec.option, rgb);
    if (r.match) {
      const target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text, frame);
      const label = JSON.stringify(target.label);
      const expect: Expectation = progress.opened ? { kind: 'list-closes', box: target.box!, label, text: r.match.text } : { kind: 'screen-changes', box: target.box!, label };
      return { actions: [{ action: 'click', target }], complete: true, expect, ...found(spec.option, r) };
    }
    // The list was clicked open but its entries are not drawn yet (a busy machine, a slow
    // toolkit): look again a moment later before giving up.
    if (progress.opened && (progress.openWaits ?? 0) < OPEN_WAITS) {
      progress.openWaits = (progress.openWaits ?? 0) + 1;
      return { actions: [{ action: 'wait', ms: OPEN_WAIT_MS }], complete: false, notes: { select: { waiting: `for the opened list to show ${spec.option}`, look: progress.openWaits } } };
    }
    return openShaped(option, ctx) ?? notFound(`cannot select ${spec.option}`, spec.option, r);
  }

  // Desktop dropdown: open it, then pick the option once it is drawn.
  if (cell) {
    progress.opened = true;
    const target = targetOf(cell.box, cell.point, cell.label, frame);
    return { actions: [{ action: 'click', target }], complete: false, notes: { select: { opened: cell.label, cell: cell.found } } };
  }
  const description = fieldDescription(spec.in);
  // "Status" drawn as "All statuses" with no label beside it: the placeholder names the list.
  // ("Sort by" drawn as "Sort: Last updated": the name without its by.)
  const byPlaceholder = locateSelectByPlaceholder(ocr, spec.in, rgb);
  let r = byPlaceholder ?? locate(ocr, description, { image: rgb });
  const choice = r.match ? shownChoice(r, option, spec, ctx, description) : undefined;
  if (choice) return choice;
  if (!r.match) r = locate(ocr, spec.in, { image: rgb });
  // ("Sort by" drawn as "Sort: Last updated ▾": the name without its by.)
  if (!r.match && /\s+by$/i.test(unquote(spec.in))) r = locateSelectByPlaceholder(ocr, unquote(spec.in).replace(/\s+by$/i, ''), rgb) ?? r;
  if (!r.match) return openShaped(option, ctx, true) ?? notFound(`cannot find the list ${spec.in} to select ${spec.option} in`, description, r);
  progress.opened = true;
  const target = targetOf(r.match.box as PixelBox, r.match.point, r.match.text || spec.in, frame);
  return { actions: [{ action: 'click', target }], complete: false, notes: { select: { opened: spec.in } } };
}

/**
 * The list named, found by its label: the option shown as a choice to click (radio-like rows,
 * chips) rather than a box to open; or, with no box by the label, the label as the dropdown's
 * own value when its arrow follows it; else a refusal. Undefined: a box to open was found.
 */
function shownChoice(r: LocateResult, option: string, spec: { option: string; in?: string }, ctx: GroundContext, description: string): Grounded | undefined {
  const { ocr, rgb, frame, progress } = ctx;
  const m = r.match!;
  const shown = locate(ocr, `${quoteLiteral(option)} near ${quoteLiteral(unquote(spec.in!))}`, { image: rgb });
  const sure = !!shown.match && shown.match.kind === 'text' && shown.match.score >= SHOWN_OPTION_SCORE;
  // The option drawn on the label's own line, outside the box taken for the list: radio-like
  // choices ("出发时段： ○全天 ○12:00-18:00"), whatever box lies under them.
  const l = m.labelBox;
  // Not another list's value: "From [USD ▾]  To [EUR ▾]" shows EUR in To's box.
  const inOtherBox = (b: readonly number[]): boolean => allFields(ocr, rgb).some((f) => contains(f.box, b as PixelBox, 2) && !contains(f.box, m.box as PixelBox, 2));
  const onLabelLine = (b: readonly number[]): boolean => !!l && b[0] >= l[2] && b[1] < l[3] && b[3] > l[1] && !contains(m.box as PixelBox, b as PixelBox, 1) && !inOtherBox(b);
  if (sure && !m.guessed && onLabelLine(shown.match!.box)) return clickShown(shown, spec.option, ctx);
  if (!m.guessed) return undefined;
  // No dropdown box by the label, but the option shown near it: a list of choices (chips,
  // radio-like rows) to click from ("在最近收款人里选王芳").
  if (sure) return clickShown(shown, spec.option, ctx);
  // "正文 ▾": the name is the dropdown's own value, its arrow right after it.
  const label = l as PixelBox | undefined;
  if (label && arrowAfter(label, ocr, rgb)) {
    progress.opened = true;
    const target = targetOf(label, centre(label), m.text, frame);
    return { actions: [{ action: 'click', target }], complete: false, notes: { select: { opened: m.text, by: 'its arrow' } } };
  }
  // No dropdown box seen by the label: a click where one usually is would be a guess.
  return notFound(`cannot find the list ${spec.in} to select ${spec.option} in`, description, { candidates: r.candidates, message: `no dropdown box seen next to "${m.text}"` });
}

const GENERIC_LIST = /^(?:the\s+)?(?:list|drop-?down(?:\s+(?:list|menu|box))?|menu|select(?:or)?|combo\s*box|options)$|^(?:下拉框|下拉列表|下拉菜单|列表|选择框)$/i;

/**
 * No list named, or its name not on screen: the one dropdown whose value has the option's shape
 * ("10 条/页 ▾" for "50 条/页"), opened. Undefined when none or several do.
 */
function openShaped(option: string, ctx: GroundContext, named = false): Grounded | undefined {
  if (ctx.progress.opened) return undefined;
  // A list named but not found, asked for a bare number: any count's dropdown (Adults for Children) would fit.
  if (named && /^\s*\d+(?:[.,]\d+)?\s*$/.test(unquote(option))) return undefined;
  const boxes = dropdownsShowingLike(ctx.ocr, ctx.rgb, option);
  if (boxes.length !== 1) return undefined;
  ctx.progress.opened = true;
  const target = targetOf(boxes[0], centre(boxes[0]), `the dropdown showing a value like "${option}"`, ctx.frame);
  return { actions: [{ action: 'click', target }], complete: false, notes: { select: { opened: target.label, by: "its value's shape" } } };
}

/** A click on an option shown among choices (no list to open). */
function clickShown(shown: LocateResult, option: string, ctx: GroundContext): Grounded {
  const m = shown.match!;
  const target = targetOf(m.box as PixelBox, m.point, m.text, ctx.frame);
  return { actions: [{ action: 'click', target }], complete: true, expect: { kind: 'screen-changes', box: target.box!, label: JSON.stringify(target.label) }, ...found(option, shown) };
}
