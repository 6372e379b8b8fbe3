import { z } from 'zod';
import { LISTED_KINDS } from './kind-tail.ts';
import { extractQuotes, restoreQuotes } from '../quotes.ts';
import { readTrail } from './describe-trail.ts';
import { chineseNumber, ENGLISH_ORDINALS } from './numbers.ts';

export { chineseNumber } from './numbers.ts';

/**
 * Turns a target description ("the second 'Edit' button", "'Delete' in the row with 'alice'",
 * "the field labelled 'Email'", "点击第二个「编辑」") into a structured query.
 */

export const RelationSchema = z.enum(['row', 'near', 'below', 'above', 'right', 'left']);
export type Relation = z.infer<typeof RelationSchema>;

/** A part of the screen a description names by place ("in the top bar", "右上角的"). */
export const RegionSchema = z.enum(['top', 'bottom', 'left', 'right', 'top-left', 'top-right', 'bottom-left', 'bottom-right']);
export type Region = z.infer<typeof RegionSchema>;

export const TargetQuerySchema = z.object({
  /** The text to find: the label itself, or for fields/checkboxes the label next to them. Empty for "the text field". */
  text: z.string(),
  /** Whether the text came from quotes (then role words inside it are kept verbatim). */
  quoted: z.boolean(),
  kind: z.enum(['text', 'field', 'checkbox']),
  /** 1-based; negative counts from the end (-1 = last). */
  ordinal: z.number().int().optional(),
  /** `heads`: the anchor names a menu, section or list by its heading ("in the Compute Engine menu"). */
  anchor: z.object({ text: z.string().min(1), relation: RelationSchema, heads: z.boolean().optional() }).optional(),
  region: RegionSchema.optional(),
  /**
   * The kind of control named, when the words say: "the 'Email' button" (of two equal texts,
   * the one drawn as a button), "the switch" (at a row's far end) or "the checkbox" (at its start).
   */
  role: z.enum(['button', 'switch', 'checkbox']).optional(),
  /** The list row the target is in, counted (1-based; negative from the end): "in the sixth row". */
  row: z.number().int().optional(),
  /** In a breadcrumb trail ("Payments in breadcrumb", "面包屑里的项目"): a name between / or > signs. */
  trail: z.boolean().optional(),
  /** In a pager ("3 in the pagination", "分页中的3"): a number among the page numbers on its line. */
  pager: z.boolean().optional(),
});
export type TargetQuery = z.infer<typeof TargetQuerySchema>;

export class DescriptionError extends Error {
  override name = 'DescriptionError';
}

/** Quoted spans become \u0001N\u0001, so keyword parsing never looks inside them. */
const MARKER = '\u0001';

function restore(s: string, quotes: string[]): string {
  return restoreQuotes(s, quotes, MARKER);
}

// Relations between the target and an anchor; the anchor follows the phrase.
const RELATIONS: [RegExp, Relation][] = [
  [/\b(?:in|on|from|within)\s+(?:the\s+)?(?:same\s+)?(?:row|line)\s+(?:with|of|containing|that\s+(?:has|contains)|for|as)\s+/i, 'row'],
  [/\b(?:in|on)\s+(?:the\s+)?(?:row|line)\s+/i, 'row'],
  [/\b(?:to\s+the\s+)?right\s+of\s+/i, 'right'],
  [/\b(?:to\s+the\s+)?left\s+of\s+/i, 'left'],
  [/\b(?:below|under|underneath|beneath)\s+/i, 'below'],
  [/\babove\s+/i, 'above'],
  // "the swap button between From and To": beside the first of the two.
  [/\b(?:next\s+to|near|beside|by|close\s+to|for|associated\s+with|between(?=\s+\S.*\s+and\s+\S))\s+/i, 'near'],
];

const LEADING_VERBS =
  /^(?:please\s+)?(?:(?:double|right|left|triple)[-\s]?click|click|tap|press|push|hit|select|choose|pick|open|uncheck|check|untick|tick|toggle|focus|hover(?:\s+over)?|find|locate|go\s+to|type\s+into|fill\s+in|fill(?=\s+(?:the|a|an|out|this|that|my)\b))(?:\s+(?:on|at|in|into))?\s+/i;

const FIELD_WORDS = /\b(?:text\s*field|text\s*box|textbox|input\s+field|input\s+box|input|field|text\s*area|textarea|edit\s*box|box)\b/i;
const CHECKBOX_WORDS = /\b(?:check\s*box|checkbox|tick\s*box|radio(?:\s+button)?|toggle|switch)\b/i;
// Words that describe the target's role or introduce its label; stripped only at the edges of an
// unquoted target, so "Sign in" keeps its "in" and "Open menu" keeps its "menu" unless it is alone.
const EDGE_LEAD =
  /^\s*(?:the|a|an|on|at|onto|into|in|to|of|that|which|is|labell?ed|named|called|titled|marked|with\s+(?:the\s+)?(?:text|label|placeholder)|that\s+(?:says|reads)|saying|reading|whose\s+label\s+is|button|btn|link|hyperlink|tab|icon|menu\s+item|item|option|entry|label|text|word|heading|title|element|control|cell)\b|^\s*[,.;:!?]+/i;
const EDGE_TRAIL =
  /(?:\b(?:button|btn|link|hyperlink|tab|icon|menu\s+item|item|option|entry|label|text|heading|title|element|control|cell|labell?ed|named|called|the|a|an)|[,.;:!?]+)\s*$/i;

/** A description being parsed: what is left of its text, and what has been read from it so far. */
interface Reading {
  s: string;
  quotes: string[];
  kind: TargetQuery['kind'];
  ordinal?: number;
  row?: number;
  anchor?: TargetQuery['anchor'];
  region?: Region;
  trail?: boolean;
  pager?: boolean;
}

/** Parses an English or Chinese target description. Throws DescriptionError when it names no target. */
export function parseDescription(description: string, relations = true): TargetQuery {
  const raw = description.trim();
  if (!raw) throw new DescriptionError('empty description: say what to find, e.g. "the \'Sign in\' button"');
  const { skeleton, quotes } = extractQuotes(raw, MARKER, { allowEmpty: false });
  const r: Reading = { s: ` ${skeleton.replace(/\s+/g, ' ')} `, quotes, kind: 'text' };
  Object.assign(r, readTrail(r.s));
  readRegion(r);
  // Chinese phrasing first (no word boundaries there).
  readChinese(r);
  readRowOrdinal(r);
  if (!r.anchor && relations) readRelation(r);
  readEnglishVerbAndOrdinal(r);
  let { text, quoted } = targetText(r);
  // "Grace Kim's name", "the invoice's title": the words before 's are what is shown.
  if (!quoted) text = text.replace(/^(.+?)['’]s\s+(?:name|title|label|cell|entry|record)$/i, '$1');
  // "the third ticket", "the second email in the list": the row itself, counted.
  if (r.row === undefined && r.ordinal !== undefined && !quoted && ROW_NOUN.test(text)) [r.row, r.ordinal, text] = [r.ordinal, undefined, ''];
  // A field or checkbox described only by its neighbour: the neighbour is its label.
  if (!text && r.kind !== 'text' && r.anchor && r.anchor.relation !== 'row') {
    text = r.anchor.text;
    if (r.anchor.relation === 'near') r.anchor = undefined;
  }
  // "Under 30 min filter chip": a relation word that leaves nothing to find before it is the label's own.
  if (!text && r.kind === 'text' && r.row === undefined && relations && r.anchor && /^(?:under|over|above|below|near|beside|inside|within|after|before|behind|in|on|at)\s/i.test(raw)) {
    const whole = parseDescription(description, false);
    if (whole.text) return whole;
  }
  if (!text && r.kind === 'text' && r.row === undefined) {
    throw new DescriptionError(`no target in "${raw}": name the text to find, e.g. "the 'Sign in' button"`);
  }
  const role =
    r.kind === 'text' && /\b(?:button|btn)\b|按钮/i.test(skeleton)
      ? ('button' as const)
      : r.kind === 'checkbox' && /\b(?:switch|toggle)\b|开关/i.test(skeleton)
        ? ('switch' as const)
        : r.kind === 'checkbox' && /\b(?:check\s*box|tick\s*box|radio)|复选框|勾选框|单选/i.test(skeleton)
          ? ('checkbox' as const)
          : undefined;
  // "收藏 in the row with '第一家酒店'", "Save in the row with 'the second recipe'": the row counted.
  const counted = r.anchor?.relation === 'row' && r.row === undefined ? countedRow(r.anchor.text) : undefined;
  if (counted !== undefined) [r.row, r.anchor] = [counted, undefined];
  // "Projects folder in the breadcrumb": a crumb is shown by its name alone.
  if (r.trail && !quoted) text = text.replace(/\s+(?:folder|page|link|item|crumb|level|project|space)$/i, '');
  if (r.pager && !quoted) text = text.replace(/^(?:page|第)\s*(?=\d)|(?<=\d)\s*页$/gi, '');
  return TargetQuerySchema.parse({ text, quoted, kind: r.kind, ordinal: r.ordinal, anchor: r.anchor, region: r.region, role, row: r.row, trail: r.trail, pager: r.pager });
}

const ZH_COUNTED = /^第\s*([0-9]+|[一二两三四五六七八九十]+)\s*(?:家|个|条|款|篇|位|张|项|件|首|部|本|只|笔|单)[\u4e00-\u9fff]{0,5}$/;
const EN_COUNTED = /^(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th))\s+([a-z]+)$/i;

/** A row named by its count and its kind ("第一家酒店", "the second recipe"): its number, else undefined. */
function countedRow(text: string): number | undefined {
  const zh = text.trim().match(ZH_COUNTED);
  if (zh) return /^\d+$/.test(zh[1]) ? Number(zh[1]) : chineseNumber(zh[1]);
  const en = text.trim().match(EN_COUNTED);
  if (!en || !ROW_NOUN.test(en[2])) return undefined;
  return ENGLISH_ORDINALS[en[1].toLowerCase()] ?? Number.parseInt(en[1], 10);
}

const EN_REGION =
  /\s(?:(?:up|over|down)\s+)?(?:in|on|at|from|inside|within)\s+(?:the\s+)?((?:(?:very|far|top|bottom|upper|lower|left|right|main|side|formatting|navigation|nav|left-hand|right-hand)[-\s]+)*)(bar|toolbar|header|sidebar|side\s*bar|side\s*panel|navigation(?:\s+(?:bar|menu|pane))?|nav(?:\s+bar)?|menu\s*bar|footer|corner|top|bottom|left|right|side)((?:\s+(?:left|right|corner|side|of\s+the\s+(?:page|screen|window|toolbar|header)))*)(?=\s*$|\s*[,.;])/i;
// "左侧菜单中的", "顶部导航栏里的": a container named after the place is the place. ("回到顶部" goes
// there: a destination, no place.)
const ZH_PLACE_TAIL = '(?:的?(?:菜单栏|菜单|导航栏|导航|列表|面板|区域|工具栏))?(?:里面|里|中|上)?的?';
/** Not after a thing's name (页面 and 屏幕 are the screen itself). */
const ALONE = '(?:(?<=页面|屏幕)|(?<![\\u4e00-\\u9fff]))';
const NOT_CARD = '(?<!(?:卡片|图片|视频|封面|缩略图|头像)的?)';
const BESIDE_THING = '(?<!(?:框|按钮|图标|单元格|评论|标题|头像|名字|名称|文字|链接|开关|选项|滑块))';
/** Not placed by the words before it ("…上方的工具栏"). */
const UNPLACED = '(?<!(?:上方|下方|上面|下面|旁边)的?)';
const ZH_REGION: [RegExp, Region, RegExp][] = (
  [
    // "视频卡片右下角的": a card's corner, not the screen's.
    [`${NOT_CARD}右上角`, 'top-right'],
    [`${NOT_CARD}左上角`, 'top-left'],
    [`${NOT_CARD}右下角`, 'bottom-right'],
    [`${NOT_CARD}左下角`, 'bottom-left'],
    // "输入框上方", "输入框上方工具栏": above a thing, not the top of the screen.
    [`(?:底部栏|底部|${ALONE}下方|底栏|最底下|最下面|最下方)(?:的?(?:状态栏|导航栏|导航|菜单栏|工具栏))?`, 'bottom'],
    [`(?:顶部栏|顶部|${ALONE}上方|顶栏|导航栏|最上面|最上方|${UNPLACED}工具栏|${UNPLACED}菜单栏)`, 'top'],
    ['状态栏', 'bottom'],
    // "下拉框右侧的", "单元格右侧的": beside a small thing, not the screen's side ("地图右侧", "最右侧" are).
    [`(?:${BESIDE_THING}左侧|侧边栏|左边栏)`, 'left'],
    [`${BESIDE_THING}右侧`, 'right'],
  ] as const
).map(([place, region]) => [new RegExp(`(?<![到至])(?:页面|屏幕)?${place}${ZH_PLACE_TAIL}`), region, new RegExp(`(?<![到至])(?:页面|屏幕)?${place}(?:里面|里|中|上)?的?`)]);
// "in the outline on the left", "from the roles list on the left": a panel named and placed; the
// place is what is used. Only a panel's noun: "in the first row on the left" keeps its row.
const PANEL = '(?:menu|panel|pane|sidebar|outline|list|tree|nav|navigation|drawer|rail|toolbar|section|dialog|window|area|bar)';
const EN_PLACED_PANEL = new RegExp(
  `\\s(?:in|on|from|within|inside)\\s+the\\s+(?:[\\p{L}-]+\\s+)?${PANEL}\\s+(?:on|at|to)\\s+the\\s+(left|right|top|bottom)(?:[-\\s]hand)?(?:\\s+side)?(?=\\s*$|\\s*[,.;])`,
  'iu',
);
// "in the left menu", "from the right panel" (a "left column" may be a table's).
const EN_SIDE_PANEL = /\s(?:in|on|from|within|inside)\s+(?:the\s+)?(left|right)(?:[-\s]hand)?\s+(?:menu|panel|pane|drawer|rail|outline)(?=\s*$|\s*[,.;])/i;

/** "in the top bar", "at the top right", "in the sidebar", "右上角的": where on screen, not next to what. */
function readRegion(r: Reading): void {
  for (const [re, region, bare] of ZH_REGION) {
    if (re.test(r.s)) {
      r.region = region;
      // "左上角的菜单按钮": the menu named is the target when nothing else is left.
      const rest = r.s.replace(re, ' ');
      r.s = /^[\s\u0001\d]*(?:按钮|图标|链接)?\s*$/.test(rest) ? r.s.replace(bare, ' ') : rest;
      return;
    }
  }
  const panel = r.s.match(EN_PLACED_PANEL) ?? r.s.match(EN_SIDE_PANEL);
  if (panel && panel.index !== undefined) {
    r.region = panel[1].toLowerCase() as Region;
    r.s = r.s.slice(0, panel.index) + ' ' + r.s.slice(panel.index + panel[0].length);
    return;
  }
  const m = r.s.match(EN_REGION);
  if (!m || m.index === undefined) return;
  const words = `${m[1]} ${m[2]} ${m[3]}`.toLowerCase();
  // "in the left navigation" is a side's; a bar or navigation with no side is the top's.
  const sided = /\b(?:left|right)/.test(words) && !/\b(?:top|upper|header|toolbar|menu\s*bar)\b/.test(words);
  const v = /\b(?:top|upper|header|bar|toolbar|menu\s*bar|nav|navigation)\b/.test(words) && !/sidebar|side\s*bar|side\s*panel/.test(words) && !sided ? 'top' : /\b(?:bottom|lower|footer)\b/.test(words) ? 'bottom' : undefined;
  const h = /\bleft|sidebar|side\s*bar|side\s*panel\b/.test(words) ? 'left' : /\bright\b/.test(words) ? 'right' : undefined;
  const region = (v && h ? `${v}-${h}` : (v ?? h)) as Region | undefined;
  if (!region) return;
  r.region = region;
  r.s = r.s.slice(0, m.index) + ' ' + r.s.slice(m.index + m[0].length);
}

/** Chinese verbs, ordinals (第二个, 倒数第一, 最后), rows (…所在行), field and checkbox words, role words. */
function readChinese(r: Reading): void {
  // 在 is "in" before a place ("在搜索框中"), and the first character of a word in "在线客服".
  let s = r.s.replace(/^\s*(?:请)?(?:双击|右键单击|右击|单击|点击|点按|点一下|按下|按|选择|勾选|打开|在(?=.*[中里内上下旁]))\s*/, ' ');
  // "订单 #25 的「打印」", "订单「#21」的「出餐」开关": a thing known by its number or a quoted name owns the quoted target.
  const owned = s.match(/^\s*(?:\p{Script=Han}{1,6}\s*)?(#\s*\d+|\u0001\d+\u0001)\s*的\s*(?=\u0001\d+\u0001)/u);
  if (owned) [r.anchor, s] = [{ text: restore(owned[1], r.quotes).trim(), relation: 'near' }, s.slice(owned[0].length)];
  // (第一次 is "the first time", a name's words: "第一次尝试做虾饺".)
  const zhOrd = s.match(/(倒数)?第\s*([0-9]+|[一二两三四五六七八九十]+)(?![0-9一二两三四五六七八九十]|\s*次)\s*个?/);
  if (zhOrd) {
    const n = /^\d+$/.test(zhOrd[2]) ? Number(zhOrd[2]) : chineseNumber(zhOrd[2]);
    r.ordinal = zhOrd[1] ? -n : n;
    s = s.replace(zhOrd[0], ' ');
  } else if (/最后(?:一个|的)?/.test(s)) {
    r.ordinal = -1;
    s = s.replace(/最后(?:一个|的)?/, ' ');
  }
  const zhRow = s.match(/(?:包含|含有|有)?\s*(\S+?)\s*(?:所在|的那|那)?(?:一)?行(?:中|里|内)?的?/);
  if (zhRow && /所在|那一?行/.test(zhRow[0])) {
    r.anchor = { text: restore(zhRow[1], r.quotes).trim(), relation: 'row' };
    s = s.replace(zhRow[0], ' ');
  }
  // "密码框", "省份下拉框": a label's box. "输入框上方工具栏中的图标「文件」": an icon named after the box is the target.
  const fieldWord = s.search(/输入框|文本框|输入栏|编辑框|下拉框|(?<=\p{Script=Han}{2})(?<!复选|勾选|单选|搜索|选择|弹|对话|提示)框\s*$/u);
  if (fieldWord >= 0 && !/图标|按钮/.test(s.slice(fieldWord))) {
    r.kind = 'field';
    s = s.replace(/(?:旁边|后面|右边|下面)?的?(?:输入框|文本框|输入栏|编辑框|下拉框|框(?=\s*$))/g, ' ');
  }
  if (/复选框|勾选框|单选框|单选按钮|开关/.test(s)) {
    r.kind = 'checkbox';
    s = s.replace(/(?:旁边|前面|左边)?的?(?:复选框|勾选框|单选框|单选按钮|开关)/g, ' ');
  }
  // "价格旁边的减号", "搜索框后面的按钮": the thing after 的, placed by the words before.
  // "李娜评论下的回复": under a comment, a post.
  const rel = r.anchor ? undefined : s.match(/^\s*(\S{2,}?)\s*(旁边|附近|右边|右侧|后面|左边|左侧|前面|下面|下方|上面|上方|下(?=的))的?\s*(\S+)\s*$/);
  if (rel && !/^(?:按钮|链接|图标|选项|那个|这个)$/.test(rel[3])) {
    const relation: Relation = /右|后面/.test(rel[2]) ? 'right' : /左|前面/.test(rel[2]) ? 'left' : /下/.test(rel[2]) ? 'below' : /上/.test(rel[2]) ? 'above' : 'near';
    // "李娜评论": the words say whose comment; the screen shows whose name. "“一只大橘”那条评论": the name quoted.
    const owner = restore(rel[1].match(/\u0001\d+\u0001/)?.[0] ?? rel[1], r.quotes).trim();
    r.anchor = { text: owner.replace(/(?<=\p{Script=Han}{2})的?(?:评论|留言|回复|帖子|笔记|消息)$/u, ''), relation };
    s = ` ${rel[3]} `;
  }
  // "那个铃铛", "这个按钮": the demonstrative points, it does not name.
  s = s.replace(/(?:^|\s)(?:那个|这个|那只|这只)(?=\S)/g, ' ');
  r.s = s.replace(/(?:按钮|链接|图标|选项卡|标签页|标签|菜单项|选项)\s*$/, ' ').replace(/(?:按钮|链接|图标|选项卡|菜单项)(?=\s)/g, ' ');
}

const CONTAINER_WORDS = 'card|panel|tile|section|box|widget|dialog|modal|window|pane|group|column|tab|page|menu|list|sidebar|toolbar|drawer|navigation|nav';
/** Records that hold their own buttons, named by their owner ("on Lukas Berg's message"); never a container word before a name. */
const RECORD_WORDS = 'message|comment|post|review|note';
/** What a counted row is called: a row, or a kind of thing listed one per row. */
const NOT_ROWS = /^(?:section|page|tab|list|board|card|group|category|chip|filter|label|tag|link|site|app|key|folder|channel|image|picture|photo)$/;
const ROW_NOUN = new RegExp(`^(?:rows?|lines?|records?|entr(?:y|ies)|items?|results?|${[...LISTED_KINDS].filter((k) => !NOT_ROWS.test(k)).join('|')})s?$`, 'i');
const ROW_ORDINAL = new RegExp(
  `\\s(?:in|on|of|for|from|at)\\s+the\\s+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\\d+(?:st|nd|rd|th))\\s+([a-z]+)(?:\\s+(?:in|of|on)\\s+the\\s+(?:list|table|grid|page|results))?\\s*$`,
  'i',
);

/** "Start in the sixth row", "the duplicate button of the fifth expense": the row, counted. */
function readRowOrdinal(r: Reading): void {
  const m = r.s.match(ROW_ORDINAL);
  if (!m || m.index === undefined || !ROW_NOUN.test(m[2])) return;
  const n = ENGLISH_ORDINALS[m[1].toLowerCase()] ?? Number.parseInt(m[1], 10);
  if (!Number.isFinite(n)) return;
  r.row = n;
  r.s = r.s.slice(0, m.index) + ' ';
}

/** Containers a heading names, their items listed under it. */
const HEADED_CONTAINER = /\b(?:menu|section|list|group|category|nav|navigation|sidebar|drawer|column)$/i;
const ON_CONTAINER = new RegExp(`\\s(?:on|in|inside|within|of|from)\\s+(?:the\\s+)?(?!(?:same\\s+)?(?:row|line)\\b)(\\S.*?)\\s+(?:${CONTAINER_WORDS}|${RECORD_WORDS})\\s*$`, 'i');

/** An English relation phrase: "X in the row with Y", "the checkbox next to Y", "X on the Billing card". */
function readRelation(r: Reading): void {
  // "the second Reject button in the list", "Save on the page": where everything is, no place.
  r.s = r.s.replace(/\s+(?:in|on|from)\s+(?:the|this)\s+(?:list|table|page|screen|results|grid)\s*$/i, ' ');
  // "the Attachments tab of this PO": "this" is where the user already is.
  r.s = r.s.replace(/\s+of\s+this\s+[^\s\u0001]+(?:\s+[^\s\u0001]+)?\s*$/i, ' ');
  // RPA: "in row 'Heparin' of table 'Active Medications'": the named row is place enough; the table's name says which screen.
  r.s = r.s.replace(/(\s(?:in|on)\s+(?:the\s+)?\S.*?)\s+of\s+(?:the\s+)?(?:window|table|dialog|form|page|screen|grid|list|app|application)\s+\u0001\d+\u0001\s*$/i, '$1 ');
  // RPA tables: "in the row where Name = Priya Nair", "in row where 订单号 = 2024…"
  const where = r.s.match(/\s(?:in|on|from)\s+(?:the\s+)?row\s+where\s+[^=]*?=\s*(\S.*?)\s*$/i);
  if (where && where.index !== undefined) {
    r.anchor = { text: restore(where[1], r.quotes).trim(), relation: 'row' };
    r.s = r.s.slice(0, where.index) + ' ';
    return;
  }
  // "the checkbox in the API migration row": the row named before the word "row".
  const namedRow = r.s.match(/\s(?:in|on|from)\s+(?!(?:the\s+)?(?:same\s+|this\s+|that\s+)?row\b)(?:the\s+)?(\S.*?)\s+row\s*$/i);
  if (namedRow && namedRow.index !== undefined && stripWords(namedRow[1])) {
    // "in 王芳's overtime request row": the owner's name is what the row shows.
    r.anchor = { text: restore(stripWords(namedRow[1]).replace(/['’]s$/i, '').replace(/^(.+?)['’]s\s+\S.*$/, '$1'), r.quotes).trim(), relation: 'row' };
    r.s = r.s.slice(0, namedRow.index) + ' ';
    return;
  }
  // "the retweet button on the tweet by @mali", "the like on Emile's post": the post's author places it.
  const owned = r.s.match(OWNED_POST) ?? r.s.match(POSSESSED_POST);
  if (owned && owned.index !== undefined) return void ([r.anchor, r.s] = [{ text: restore(owned[1], r.quotes).trim(), relation: 'near' }, r.s.slice(0, owned.index) + ' ']);
  // "in dialog 'Delete project?'", "in column 'In progress'": the container word first.
  const inNamed = r.s.match(new RegExp(`\\s(?:in|on|inside|within)\\s+(?:the\\s+)?(?:${CONTAINER_WORDS})\\s+(\\S.*?)\\s*$`, 'i'));
  if (inNamed && inNamed.index !== undefined && stripWords(inNamed[1])) {
    r.anchor = { text: restore(stripWords(inNamed[1]), r.quotes), relation: 'near' };
    r.s = r.s.slice(0, inNamed.index) + ' ';
    return;
  }
  const onCard = r.s.match(ON_CONTAINER);
  if (onCard && onCard.index !== undefined && stripWords(onCard[1])) {
    const heads = HEADED_CONTAINER.test(onCard[0].trim());
    // "on Lukas Berg's message": the owner's name is what the card shows.
    r.anchor = { text: restore(stripWords(onCard[1]).replace(/['’]s$/i, ''), r.quotes), relation: 'near', ...(heads ? { heads } : {}) };
    r.s = r.s.slice(0, onCard.index) + ' ';
    return;
  }
  for (const [re, relation] of RELATIONS) {
    const m = r.s.match(re);
    if (!m || m.index === undefined) continue;
    const before = r.s.slice(0, m.index);
    const after = r.s.slice(m.index + m[0].length);
    const anchorText = stripWords(/between\s+$/i.test(m[0]) ? after.replace(/\s+and\s+\S.*$/i, '') : after).trim();
    if (!anchorText) continue;
    // "for" and "by" are only relations when what follows is quoted or what precedes is a field/checkbox or quoted
    // ("the "View deal" button for Reykjavík": a quoted target placed by what follows.)
    if (relation === 'near' && /\b(?:for|by)\s+$/i.test(m[0]) && !/\u0001/.test(after) && !/\u0001/.test(before) && !FIELD_WORDS.test(before) && !CHECKBOX_WORDS.test(before)) continue;
    r.anchor = { text: restore(anchorText, r.quotes), relation };
    r.s = before;
    return;
  }
}

const POST = '(?:tweet|post|e-?mail|mail|message|comment|reply|review|note|story|video|photo|thread)s?';
const OWNED_POST = new RegExp(`\\s(?:on|in|of|for|under)\\s+(?:the\\s+)?(?:(?:latest|last|first|newest)\\s+)?${POST}\\s+(?:by|from)\\s+(\\S.*?)\\s*$`, 'i');
const POSSESSED_POST = new RegExp(`\\s(?:on|in|of|for|under|to)\\s+(\\S+?)['’]s?\\s+${POST}\\s*$`, 'i');

/** A leading verb ("click", "uncheck"), an English ordinal ("the second", "2nd", "#3", "second to last"), role words. */
function readEnglishVerbAndOrdinal(r: Reading): void {
  let s = r.s;
  const verb = s.trim().match(LEADING_VERBS);
  if (verb && /^(?:un)?(?:check|tick)\b/i.test(verb[0])) {
    r.kind = 'checkbox';
    s = s.replace(/\bbox\b/i, ' ');
  }
  s = ` ${s.trim().replace(LEADING_VERBS, ' ')} `;
  const trimmed = s.trim();
  // "#3" counts; "#48190" is a ticket's number.
  const ord = trimmed.match(/\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\b|\b(\d+)(?:st|nd|rd|th)\b|#(\d{1,2})\b/i);
  if (ord && r.ordinal === undefined) {
    r.ordinal = ord[1] ? ENGLISH_ORDINALS[ord[1].toLowerCase()] : Number(ord[2] ?? ord[3]);
    if (/\bsecond[-\s]to[-\s]last\b/i.test(trimmed)) r.ordinal = -2;
    s = s.replace(/\bsecond[-\s]to[-\s]last\b/i, ' ').replace(ord[0], ' ');
  }
  if (r.kind === 'text' && CHECKBOX_WORDS.test(s)) r.kind = 'checkbox';
  else if (r.kind === 'text' && FIELD_WORDS.test(s)) r.kind = 'field';
  r.s = s;
}

/** The text to find: the quoted spans when there are any, else what is left without filler and role words. */
function targetText(r: Reading): { text: string; quoted: boolean } {
  const quoteIds = [...r.s.matchAll(/\u0001(\d+)\u0001/g)].map((m) => Number(m[1]));
  if (quoteIds.length) return { text: quoteIds.map((i) => r.quotes[i]).join(' '), quoted: true };
  const rest = stripWords(r.s.replace(CHECKBOX_WORDS, ' ').replace(FIELD_WORDS, ' '));
  let text = rest.replace(/\s+/g, ' ').trim();
  if (!text && r.kind === 'text' && !/\b(?:the|a|an)\b/i.test(r.s)) {
    // A bare role word ("click Link", "Tab") is the text itself; "the button" names nothing.
    text = r.s.replace(/\s+/g, ' ').trim();
  }
  return { text, quoted: false };
}

function stripWords(s: string): string {
  let out = s.replace(/\s+/g, ' ');
  // "insert link": the link is the thing inserted (an editor's chain icon), not a link saying "insert".
  if (/^\s*(?:insert|add|attach|edit|copy)\s+(?:a\s+)?(?:hyper)?link\s*$/i.test(out)) return out.trim();
  for (let i = 0; i < 20; i++) {
    const next = out.replace(EDGE_LEAD, ' ').replace(EDGE_TRAIL, ' ').replace(/\s+/g, ' ');
    if (next.trim() === out.trim() || (/^\s*[\d#.]+\s*$/.test(next) && !/^\s*(?:the|a|an|on|at|onto|into|in|to|of|button|btn|link)\b/i.test(out))) break; // "Heading 1" keeps its word
    out = next;
  }
  return out.trim();
}
