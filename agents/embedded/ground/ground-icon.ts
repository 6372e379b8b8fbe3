import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { Frame, RgbImage } from '../../../src/core/frame.ts';
import { dotMenus, findIcons, type IconCandidate } from '../icons/find-icons.ts';
import { iconTargets, normalizePhrase } from '../icons/icon-words.ts';
import { iconSpan } from '../icons/icon-span.ts';
import type { DotTriple } from '../../../kernels/dot-triples.ts';
import { sharedIconLexicon, type IconLexicon } from '../icons/icon-lexicon.ts';
import { MATCH_DEFAULTS, matchIcon, type IconMatch, type ScoredCandidate } from '../icons/match-icon.ts';
import { DescriptionError, parseDescription, type Region, type Relation, type TargetQuery } from './describe.ts';
import { rowByOrdinal } from './row-ordinal.ts';
import { onAnchorRow } from './row-band.ts';
import { boxDistance, height, inRegion, inRelation, overlaps, sameBox } from './geometry.ts';
import { type LocateResult } from './locate.ts';
import { findAnchor, inAnchorContainers, inAnchorPanel } from './anchors.ts';
import { locateSearchField } from './search-field.ts';
import { searchText } from './text-match.ts';
import { QUOTED_SPAN } from '../quotes.ts';
import { medianTextHeight } from './controls.ts';

/**
 * Targets with no text: a description ("the gear icon in the top bar", "Refresh" near "Top
 * channels") matched against the icons on screen (icons/), kept to those in the relation the
 * description names with its anchor text. Used when no text on screen matches.
 */

const candidatesOf = new WeakMap<OcrResult, IconCandidate[]>();

const SEARCH_ANCHOR = /^(?:the\s+)?search\s*(?:bar|box|field|input)$|^搜索(?:框|栏)$/i;

/** How far from its anchor an icon may be for "near": icons sit beside what they act on. */
const NEAR_RADIUS_HEIGHTS = 14;

/** The icon-like shapes of a screen (found once per reading). */
export function iconCandidates(screen: { ocr: OcrResult; rgb: RgbImage; frame: Frame }, lexicon: IconLexicon): IconCandidate[] {
  let all = candidatesOf.get(screen.ocr);
  if (!all) {
    all = findIcons(screen.rgb, screen.ocr, lexicon, { scale: screen.frame.scale || 1 });
    candidatesOf.set(screen.ocr, all);
  }
  return all;
}

let iconMs = 0;

/** Time spent matching icons since the last call: the bench reports it apart from reading the goal (#17's two budgets). */
export function takeIconMs(): number {
  const t = iconMs;
  iconMs = 0;
  return t;
}

export async function locateIcon(description: string, screen: { ocr: OcrResult; rgb: RgbImage; frame: Frame }): Promise<LocateResult | undefined> {
  const t0 = performance.now();
  try {
    return await locateIconTimed(description, screen);
  } finally {
    iconMs += performance.now() - t0;
  }
}

async function locateIconTimed(description: string, screen: { ocr: OcrResult; rgb: RgbImage; frame: Frame }): Promise<LocateResult | undefined> {
  let q;
  try {
    q = parseDescription(description);
  } catch (e) {
    if (e instanceof DescriptionError) return undefined;
    throw e;
  }
  // A quoted target is a text the user expects to read ("Click 'Reject'"), not an icon, unless
  // the user says it is an icon ("Click icon 'Notifications'", "'图层'图标"): its tooltip's name.
  // A crumb of a breadcrumb or a pager's number is read, not drawn: the icon finder knows no trail.
  // A close control is drawn as an × far more often than written: "[button]  Close" is its name.
  // A quoted button whose name the screen does not show ('Click the "Like" button') is named by its tooltip.
  if (!q.text || q.kind !== 'text' || q.trail || q.pager || (q.quoted && !ICON_SAID.test(description) && !CLOSE_NAME.test(q.text) && !LOOK_BUTTON.test(description) && !(q.role === 'button' && unread(q.text, screen.ocr)))) return undefined;
  let lexicon: IconLexicon;
  try {
    lexicon = await sharedIconLexicon();
  } catch (e) {
    return { candidates: [], message: `the icon lexicon could not be loaded: ${(e as Error).message.split('\n')[0]}` };
  }
  q = iconQuery(q, description, lexicon, screen.ocr);
  const all = iconCandidates(screen, lexicon);
  let anchors: PixelBox[] = [];
  // "the duplicate button of the fifth expense": the icon in that row, counted.
  if (q.row !== undefined && !q.anchor) {
    const { row, rows } = rowByOrdinal(screen.ocr, q.row, []);
    if (!row) return { candidates: [], message: `no row ${q.row} to find the ${q.text} icon in (the list shows ${rows})` };
    q = { ...q, anchor: { text: row.text, relation: 'row' as const } };
    anchors = [row.box as PixelBox];
  } else if (q.anchor) {
    // The anchor's whole text, or the one run of its words the screen shows ("Suede Classic" for
    // "the Puma Suede Classic"), as for a text target.
    const found = findAnchor(screen.ocr, q.anchor.text);
    anchors = found.hits.map((h) => h.box);
    // "next to the search bar": the search field, found by its placeholder or its magnifier.
    if (!anchors.length && SEARCH_ANCHOR.test(q.anchor.text)) {
      const field = locateSearchField(screen.ocr, screen.rgb, q.anchor.text).match;
      if (field) anchors = [field.box as PixelBox];
    }
    // "the new folder icon next to the upload button": the anchor is an icon too.
    // Only by a word people use for an icon: "sheet" is also the name of a set's panel icon.
    const named = anchors.length ? undefined : iconTargets(q.anchor.text, lexicon.vocabulary);
    const byConcept = !!named && 'via' in named && named.via === 'concept';
    const anchorIcon = byConcept ? matchIcon(q.anchor.text, all, lexicon).match : undefined;
    if (anchorIcon) anchors = [anchorIcon.box as PixelBox];
    // "附件 near 评论框", "Emoji near reply editor": a part of the screen said by its kind, not a text on it.
    if (!anchors.length && PLACE_KIND.test(q.anchor.text.trim()) && PLAIN_PLACE(q.anchor.text)) q = { ...q, anchor: undefined };
    else if (!anchors.length) return { candidates: [], message: `no text matching "${q.anchor.text}" on screen to find the ${q.text} icon by` };
  }
  // A popup's × is in its own corner: "右上角的叉" over a centred dialog is that one.
  const place = { anchor: q.anchor, anchors, region: q.region, anyCorner: namesClose(q.text, lexicon) };
  // "the three dots next to Hannah Kim": a kebab's dots are too small for the shapes above.
  const menu = dotMenu(q.text, lexicon, screen, place);
  if (menu) return menu;
  // The nearest place first; the next only when nothing there looks like the icon.
  let m: IconMatch = { candidates: [], reason: 'not-found', message: `no icon-like shapes on screen for "${q.text}"` };
  for (const tier of placedTiers(all.map((c) => c.box as PixelBox), place, screen).filter((t) => t.length)) {
    m = settleTie(matchIcon(q.text, tier.map((i) => all[i]), lexicon, q.ordinal !== undefined ? { maxShown: 20 } : {}), q, screen.ocr);
    if (m.match || m.reason === 'ambiguous' || m.reason === 'unknown-icon') break;
  }
  const candidates = m.candidates.slice(0, 5).map((c) => ({ text: `${c.icon} icon`, box: c.box, score: c.score }));
  if (!m.match) return { candidates, message: m.message, ...(m.reason === 'ambiguous' ? { ambiguous: true } : {}) };
  // "download my certificate of completion": a download icon is on screen, the certificate is
  // not. Words the icon does not stand for must be on screen, or say nothing in particular.
  const unsaid = q.anchor ? [] : unexplainedWords(q.text, lexicon, screen.ocr);
  if (unsaid.length) {
    return { candidates, message: `a ${m.match.icon} icon is on screen, but nothing shows "${unsaid.join(' ')}"` };
  }
  return {
    match: { point: m.match.point, box: m.match.box, text: `${m.match.icon} icon`, score: m.match.score, kind: 'image' },
    candidates: candidates.filter((c) => c.box !== m.match!.box),
  };
}


/** What the icon is called, from the description as parsed: a quoted tooltip's look, a link's chain, a place said by its kind left out. */
function iconQuery(q: TargetQuery, description: string, lexicon: IconLexicon, ocr: OcrResult): TargetQuery {
  if (q.quoted) q = { ...q, text: iconLook(description, lexicon) ?? q.text, quoted: false };
  // "insert link": the word a hyperlink's description ends with is here the chain it draws.
  if (LINK_ACT.test(description.trim())) q = { ...q, text: 'link' };
  // "edit icon in the event popover": a place said by its kind, which no text on screen shows, leaves the icon to be unique.
  const saidPlace = q.text.match(PLACE_AFTER);
  if (saidPlace && PLAIN_PLACE(saidPlace[1]) && !onScreen(saidPlace[1], ocr)) return { ...q, text: q.text.slice(0, saidPlace.index).trim() };
  return iconTargets(q.text, lexicon.vocabulary).icons.length ? q : spanQuery(q, lexicon, ocr);
}

/**
 * "lock icon on layer Order summary", "麦克风下拉框右侧的刷新设备按钮": an icon's name inside a
 * longer phrase; the rest says where (the icon beside it). What the icon acts on must be on
 * screen; with a place already said (an anchor, a counted row), the rest must be too.
 */
function spanQuery(q: TargetQuery, lexicon: IconLexicon, ocr: OcrResult): TargetQuery {
  const span = iconSpan(q.text, lexicon.vocabulary);
  if (!span || (span.object && !shown(span.object, ocr))) return q;
  if (!span.rest) return { ...q, text: span.icon };
  if (q.anchor || q.row !== undefined) return shown(span.rest, ocr) ? { ...q, text: span.icon } : q;
  // On the rest's own row: a word of the rest found elsewhere must not lend its icons.
  return { ...q, text: span.icon, anchor: { text: span.rest, relation: 'row' } };
}

/** Whether the screen shows each word (Chinese words are read without spaces between them). */
function shown(words: string, ocr: OcrResult): boolean {
  const lines = ocr.lines.map((l) => l.text.replace(/\s+/g, '').toLowerCase());
  return words.toLowerCase().split(' ').every((w) => lines.some((l) => l.includes(w)));
}

const ICON_SAID = /\bicons?\b|图标/i;
/** "the speech-bubble button 'Secure Chat'": a look drawn with hyphens before "button" is an icon's. */
const LOOK_BUTTON = /\b[\p{L}]+-[\p{L}]+\s+button\b/iu;
/** Parts of a screen named by their kind ("the event popover", "评论框", "审批详情抽屉"). */
const PLACE_KINDS = 'popover|pop-?up|dialog|modal|header|toolbar|editor|panel|drawer|card|sidebar|menu|window|tile|composer|bar|controls';
const PLACE_KIND = new RegExp(`(?:\\b(?:${PLACE_KINDS})|框|栏|弹窗|抽屉|面板|卡片|详情|工具栏|表格|地图|区域|区)$`, 'i');
const PLACE_AFTER = new RegExp(`\\s+(?:in|on|inside|within|of)\\s+(?:the\\s+)?((?:[\\w-]+\\s+){0,3}(?:${PLACE_KINDS}))$`, 'i');
const PLACE_WORD = new RegExp(`^(?:the|${PLACE_KINDS})$`, 'i');
/** A place said only in plain words: a name (capitals, digits, quotes) is a text to find, not a kind. */
const PLAIN_PLACE = (s: string): boolean => !/\p{Lu}|\d|["“「']/u.test(s);
const onScreen = (words: string, ocr: OcrResult): boolean => {
  const text = ocr.lines.map((l) => l.text.toLowerCase()).join(' ');
  return words.toLowerCase().split(/\s+/).filter((w) => w.length > 2 && !PLACE_WORD.test(w)).every((w) => text.includes(w));
};
/** Whether a phrase names the close icon (close, 关闭, 叉, ×), as the lexicon's words say. */
function namesClose(text: string, lexicon: IconLexicon): boolean {
  const close = new Set(iconTargets('close', lexicon.vocabulary).icons);
  return iconTargets(text, lexicon.vocabulary).icons.some((i) => close.has(i));
}
/** Whether no text on screen reads like `name` (a button known only by its tooltip). */
const unread = (name: string, ocr: OcrResult): boolean => !searchText(ocr, name).some((h) => h.score >= 0.8);
const CLOSE_NAME = /^(?:close|dismiss|关闭)$/i;
const LINK_ACT = /^(?:click\s+)?(?:the\s+)?(?:insert|add|attach|edit|copy)\s+(?:a\s+|the\s+)?(?:hyper)?link(?:\s+(?:button|icon))?$/i;

/** "the gear icon 'Manage'": the look said just before "icon", when it names an icon. */
function iconLook(description: string, lexicon: IconLexicon): string | undefined {
  const before = description.replace(QUOTED_SPAN, ' ').match(/(?:^|\s)((?:[\p{L}-]+\s+)?[\p{L}-]+)\s*(?:\bicons?\b|图标|\bbutton\b)/iu)?.[1];
  if (!before) return undefined;
  const words = before.split(/\s+/).filter((w) => !/^(?:the|a|an|click|tap|press)$/i.test(w));
  for (const look of [words.join(' '), words[words.length - 1]]) {
    if (look && iconTargets(look, lexicon.vocabulary).icons.length) return look;
  }
  return undefined;
}

/** Words that name no particular thing beside an icon's act ("attach file", "share this page"). */
const GENERIC = new Set(['little', 'small', 'tiny', 'big', 'global', 'indicator', 'my', 'your', 'our', 'his', 'her', 'their', 'this', 'that', 'these', 'those', 'it', 'its', 'them', 'me', 'for', 'to', 'in', 'at', 'from', 'and', 'all', 'new', 'one', 'current', 'selected', 'file', 'link', 'page', 'item', 'image', 'photo', 'picture', 'document', 'message', 'text', 'selection', 'list', 'view', 'window', 'panel', 'screen', 'app', 'data', 'row', 'column', 'everything', 'please', 'video', 'audio', 'sound', 'music', 'song', 'track', 'player']);

/**
 * The Latin words of a description that neither the icon's phrase covers nor the screen shows
 * (plural -s dropped), leaving out words that name nothing in particular.
 */
function unexplainedWords(text: string, lexicon: IconLexicon, ocr: OcrResult): string[] {
  const t = iconTargets(text, lexicon.vocabulary);
  const covered = new Set(t.phrase.split(' '));
  const icons = new Set(t.icons);
  // "notification bell": a word that names the same icon by itself is the icon's too.
  const sameIcon = (w: string): boolean => iconTargets(w, lexicon.vocabulary).icons.some((i) => icons.has(i));
  const screenText = ocr.lines.map((l) => l.text.toLowerCase()).join('\n');
  // "刷新成员列表": what the act is on (成员), its generic nouns left out, must be on screen too.
  const zhObject = t.phrase && /^\p{Script=Han}+$/u.test(t.phrase) ? text.replace(/\s+/g, '').split(t.phrase).slice(1).join('').replace(ZH_GENERIC, '') : '';
  const zhUnsaid = /\p{Script=Han}/u.test(zhObject) && !screenText.replace(/\s+/g, '').includes(zhObject) ? [zhObject] : [];
  return normalizePhrase(text)
    .split(' ')
    .filter((w) => /^[a-z]{3,}$/.test(w) && !covered.has(w) && !GENERIC.has(w) && !GENERIC.has(w.replace(/s$/, '')))
    .filter((w) => !screenText.includes(w.replace(/(?<=\w{3})s$/, '')) && !sameIcon(w))
    .concat(zhUnsaid);
}

/** Chinese words that name no particular thing after an icon's act ("导出数据", "刷新一下列表"). */
const ZH_GENERIC = /这个|那个|这些|一下|当前|全部|所有|列表|数据|内容|页面|信息|表格|记录|文件|一览|菜单|按钮|图标/g;

/**
 * Of icons that match alike: "复制第2个订单的订单号", "the second bookmark", the Nth of one column
 * (or one line) of them; "the notification bell", the one that stands alone, not a labelled menu
 * entry named by its label.
 */
function settleTie(m: IconMatch, q: TargetQuery, ocr: OcrResult): IconMatch {
  const at = (c: ScoredCandidate): IconMatch => ({ match: { ...c, point: [(c.box[0] + c.box[2]) / 2, (c.box[1] + c.box[3]) / 2] }, candidates: m.candidates });
  // One per place: a part of an icon (a bell without its clapper) is the same icon.
  const tied = (margin: number) => m.candidates.filter((c, i, all) => c.score >= all[0].score - margin && c.score >= MATCH_DEFAULTS.minScore && !all.slice(0, i).some((o) => overlaps(o.box, c.box)));
  if (q.ordinal !== undefined && !q.anchor && (m.match || m.reason === 'ambiguous')) {
    const alike = inOneFile(tied(ORDINAL_MARGIN));
    const nth = alike?.[q.ordinal > 0 ? q.ordinal - 1 : alike.length + q.ordinal];
    if (nth) return at(nth);
    const seen = alike ? `${alike.length} in a line` : 'they are not in one line';
    return { candidates: m.candidates, reason: 'ambiguous', message: `asked for "${q.text}" number ${q.ordinal}, but of the icons that look like it ${seen}` };
  }
  if (m.reason !== 'ambiguous' || q.anchor) return m;
  const alone = tied(MATCH_DEFAULTS.tieMargin).filter((c) => !labelled(c.box, ocr));
  return alone.length === 1 ? at(alone[0]) : m;
}

/** Icons of one look differ by less than this when they are one list's. */
const ORDINAL_MARGIN = 0.08;

/** Icons in one column (top to bottom) or one line (left to right), else undefined. */
function inOneFile(icons: ScoredCandidate[]): ScoredCandidate[] | undefined {
  if (!icons.length) return undefined;
  const c = (b: PixelBox, k: 0 | 1) => (b[k] + b[k + 2]) / 2;
  const size = Math.max(...icons.map((i) => Math.max(i.box[2] - i.box[0], i.box[3] - i.box[1])));
  for (const k of [0, 1] as const) {
    if (icons.every((i) => Math.abs(c(i.box, k) - c(icons[0].box, k)) <= Math.max(3, 0.5 * size))) return [...icons].sort((a, b) => c(a.box, k === 0 ? 1 : 0) - c(b.box, k === 0 ? 1 : 0));
  }
  return undefined;
}

/** An icon with a word right beside it on its line: a labelled entry ("🔔 Notifications"), not a lone icon button. */
function labelled(box: PixelBox, ocr: OcrResult): boolean {
  const h = Math.max(8, box[3] - box[1]);
  const cy = (box[1] + box[3]) / 2;
  return ocr.words.some((w) => {
    if (Array.from(w.text).length < 2 || Math.abs((w.box[1] + w.box[3]) / 2 - cy) > h / 2) return false;
    const gap = w.box[0] >= box[2] ? w.box[0] - box[2] : box[0] >= w.box[2] ? box[0] - w.box[2] : 0;
    return gap <= 1.5 * h;
  });
}

interface Place {
  anchor?: { text: string; relation: Relation };
  anchors: PixelBox[];
  region?: Region;
  /** A corner said may be a popup's: preferred, not required. */
  anyCorner?: boolean;
}

/** The indices of the boxes in the place the description names: by the anchors (not one of them), in the region. */
function placed(boxes: PixelBox[], p: Place, screen: { ocr: OcrResult; rgb: RgbImage }): number[] {
  return placedTiers(boxes, p, screen).find((t) => t.length) ?? [];
}

/**
 * The places to look, nearest first: near an anchor, its row, then its container (or a radius
 * round it): a post's author's name is on the avatar's line, its action icons a line below.
 */
function placedTiers(boxes: PixelBox[], p: Place, screen: { ocr: OcrResult; rgb: RgbImage }): number[][] {
  const all = boxes.map((_, i) => i);
  let tiers = [all];
  if (p.anchor) {
    const rel = p.anchor.relation;
    const textHeight = medianTextHeight(screen.ocr);
    // "Refresh on the Top channels card": an icon in the card the anchor sits in, when the image shows one.
    // Each anchor's own: a layer's name in a side list holds no container that the same name on the canvas does.
    const insideOf = rel === 'near' ? p.anchors.map((a) => inAnchorContainers(boxes, [a], screen.rgb)) : [];
    const inside = insideOf.some((s) => s) ? new Set(insideOf.flatMap((s) => [...(s ?? [])])) : undefined;
    // Near: on the anchor's row first (a track's heart, a table row's kebab at its far end), in its container.
    const onRow = rel === 'near' ? all.filter((i) => p.anchors.some((a, k) => sameRow(boxes[i], a) && (!insideOf[k] || insideOf[k]!.has(i)))) : [];
    const around = inside
      ? all.filter((i) => inside.has(i))
      : // Text heights, not the anchor's height: a search field is two or three of them tall.
        all.filter((i) => p.anchors.some((a) => (rel === 'near' ? boxDistance(boxes[i], a) <= NEAR_RADIUS_HEIGHTS * Math.min(height(a), textHeight) : rel === 'row' ? onIconRow(boxes[i], a, screen) : inRelation(boxes[i], a, rel))));
    const notAnchor = (i: number) => !p.anchors.some((a) => sameBox(a, boxes[i]));
    tiers = (onRow.length ? [onRow, around.filter((i) => !onRow.includes(i))] : [around]).map((t) => t.filter(notAnchor));
  }
  if (p.region) {
    // A corner said is kept to: "the three dots at the top right" are never the sidebar's. A side
    // ("右侧的") may be said of the thing beside, not of the screen: preferred, not required.
    tiers = tiers.map((keep) => {
      const there = keep.filter((i) => inRegion(boxes[i], p.region!, screen.rgb.width, screen.rgb.height));
      return there.length || (p.region!.includes('-') && !p.anyCorner) ? there : keep;
    });
  }
  return tiers;
}

const KEBAB = new Set(['ellipsis-vertical', 'three-dots-vertical']);
const MEATBALL = new Set(['ellipsis', 'three-dots']);

/** A kebab or meatball menu named: its three dots, when exactly one such menu is in the place. */
function dotMenu(text: string, lexicon: IconLexicon, screen: { ocr: OcrResult; rgb: RgbImage; frame: Frame }, p: Place): LocateResult | undefined {
  const names = iconTargets(text, lexicon.vocabulary).icons.map((i) => lexicon.icons[i].name);
  if (!names.length) return undefined;
  const vertical = names.every((n) => KEBAB.has(n));
  if (!vertical && !names.every((n) => MEATBALL.has(n))) return undefined;
  const all = dotMenusOf(screen);
  const here = placed(all.map((t) => t.box), p, screen).map((i) => all[i]);
  // "three dots" is said of either kind; the named kind first.
  const kind = here.filter((t) => t.vertical === vertical);
  const pick = kind.length ? kind : vertical ? [] : here;
  if (pick.length > 1) {
    const candidates = pick.slice(0, 5).map((t) => ({ text: 'three dots', box: t.box as PixelBox, score: 0.9 }));
    return { candidates, ambiguous: true, message: `${pick.length} three-dot menus are on screen; say which (the row or card it is in, or an ordinal)` };
  }
  if (!pick.length) return undefined;
  const box = pick[0].box as PixelBox;
  return { match: { point: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2], box, text: `${pick[0].vertical ? 'three-dots-vertical' : 'three-dots'} icon (three dots)`, score: 0.9, kind: 'image' }, candidates: [] };
}

const triplesOf = new WeakMap<OcrResult, DotTriple[]>();

function dotMenusOf(screen: { ocr: OcrResult; rgb: RgbImage; frame: Frame }): DotTriple[] {
  let t = triplesOf.get(screen.ocr);
  if (!t) triplesOf.set(screen.ocr, (t = dotMenus(screen.rgb, screen.ocr, { scale: screen.frame.scale || 1 })));
  return t;
}

/** An icon in a text's row: level with it (or its two-line cell's middle), on its panel (not a sidebar's icon level with the row). */
function onIconRow(icon: PixelBox, text: PixelBox, screen: { ocr: OcrResult; rgb: RgbImage }): boolean {
  return (inRelation(icon, text, 'row') || sameRow(icon, text) || onAnchorRow(icon, text, screen.ocr)) && inAnchorPanel(icon, text, screen.rgb);
}

/** An icon on a text's row: centred within a line height of the text (a two-line cell's title sits above the row's middle). */
function sameRow(icon: PixelBox, text: PixelBox): boolean {
  const c = (b: PixelBox) => (b[1] + b[3]) / 2;
  return Math.abs(c(icon) - c(text)) <= height(text) && icon[0] !== text[0];
}
