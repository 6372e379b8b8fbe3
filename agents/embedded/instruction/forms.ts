import type { Step } from '../../../src/core/task.ts';
import { HAS_QUOTES, quoteLiteral } from '../quotes.ts';
import { sliderValue } from '../ground/slider.ts';
import { cellDescription } from '../ground/table-cell.ts';
import { chineseNumber } from '../ground/describe.ts';
import { ordinalWord } from '../ground/locate.ts';

/**
 * Phrasings the sentence grammar reads wrongly or not at all, read before it: RPA's "Set Status
 * dropdown to Closed", Chinese "省份选浙江省", "切到通讯录", "打开和张伟的聊天", "删除王芳的对话",
 * "查看西北地区的详情", "点击第二行的删除". Each gives one step (and maybe alternatives).
 */

export interface FormReading {
  step: Step;
  alternatives?: Step[];
  /** 'name' when the step's target is a name the form picked out ("和张伟的聊天" → 张伟), which must then match well. */
  readAs?: 'name' | 'pager';
}

const lit = (s: string): string => {
  const t = unq(s).trim();
  return HAS_QUOTES.test(t) ? t : quoteLiteral(t);
};

/** Chinese verbs that are also the labels of the controls doing them. */
const ZH_ACTION_LABELS: Record<string, string[]> = {
  删除: ['删除', '移除'],
  移除: ['移除', '删除'],
  编辑: ['编辑', '修改'],
  修改: ['修改', '编辑'],
  查看: ['查看', '详情'],
  下载: ['下载'],
  导出: ['导出'],
  分享: ['分享'],
  收藏: ['收藏'],
  关注: ['关注'],
  回复: ['回复'],
  转发: ['转发'],
  置顶: ['置顶'],
  取消: ['取消'],
  保存: ['保存'],
  提交: ['提交'],
  审批: ['审批', '通过'],
  通过: ['通过', '同意'],
  拒绝: ['拒绝', '驳回'],
  复制: ['复制'],
  重命名: ['重命名'],
};
const ZH_OBJECT_TAIL = /的?(?:对话|会话|聊天|订单|记录|文件|消息|那一?行|这一?行|一行|行|项目|条目|数据|信息)$/;

/**
 * "go back one week", "next month", "previous page", "下一页", "上个月": the calendar's or the
 * pager's own arrows (or buttons saying so), not the browser's Back.
 */
function pagingReading(s: string): FormReading | undefined {
  const en =
    s.match(/^(?:go\s+|move\s+|jump\s+|skip\s+)?(back|backward|forward|ahead)\s+(?:one|a|1)\s+(day|week|month|year|page)$/i) ??
    s.match(/^(?:go\s+to\s+|show\s+|open\s+)?(?:the\s+)?(next|previous|prev|last)\s+(day|week|month|year|page)$/i);
  const zh = s.match(/^(?:翻到|切到|去|看)?\s*(上|下)(?:一|个|一个)\s*(天|日|周|星期|月|年|页)$/) ?? s.match(/^(?:点击|点)?\s*分页(?:那里|里|中|栏)?的?\s*(上|下)一(页)(?:的)?(?:箭头|按钮)?$/);
  if (!en && !zh) return undefined;
  const forward = en ? /^(?:forward|ahead|next)$/i.test(en[1]) : zh![1] === '下';
  // "last week" in a calendar is the one before.
  const step = { click: forward ? 'next' : 'previous' };
  const glyphs = forward ? ['Next', '›', '>', '下一页'] : ['Previous', 'Prev', '‹', '<', '上一页'];
  const pager: Step[] = (en ? /page/i.test(en[2]) : zh![2] === '页') ? [{ click: `the pager's ${forward ? 'next' : 'previous'} arrow` }] : [];
  return { step, alternatives: [...glyphs.map((g) => ({ click: quoteLiteral(g) })), ...pager] };
}

/** "go back 15 seconds", "skip ahead 30 secs", "快退15秒": a player's seek button, known by its icon. */
function seekReading(s: string): FormReading | undefined {
  const en = s.match(/^(?:go\s+|skip\s+|jump\s+|rewind\s+|move\s+)?(back|backward|forward|ahead)\s+(\d{1,2})\s*(?:s|secs?|seconds)$/i);
  const zh = s.match(/^(?:往?(后退|快退|前进|快进))\s*(\d{1,2})\s*秒$/);
  if (!en && !zh) return undefined;
  const back = en ? /^back/i.test(en[1]) : /退/.test(zh![1]);
  const n = en ? en[2] : zh![2];
  return { step: { click: `${back ? 'back' : 'forward'} ${n} seconds icon` } };
}

/** "the email by Marcia", "the folder named Contracts", "Emile's tweet": what names the thing found. */
const FOUND_THING = /^(?:the\s+|an?\s+)?(?:\S+\s+){0,2}?(?:email|mail|message|post|tweet|comment|row|item|entry|file|folder|document|card|order|invoice|ticket|issue|task|user|contact|product|tab|passenger|traveler|traveller|guest|profile)s?\s+(?:by|from|of|named|called|titled|labell?ed|with|for)\s+(.+)$/i;

/**
 * "Find the email by Marcia and click the star icon", "Find the folder named Contracts in the
 * tree": finding is looking; the act, when one follows, is on what was found (in its row, else
 * near it), and a thing found by its name alone is clicked.
 */
function findReading(s: string): FormReading | undefined {
  const m = s.match(/^(?:find|locate|look\s+for|look\s+up)\s+(.+?)(?:\s*,\s*|\s+)(?:and\s+|then\s+)+(?:then\s+)?(click|tap|press|hit|select|open|star|like|delete|reply\s+to|check)\s+(?:on\s+)?(.+?)(?:\s+to\s+.+)?$/i);
  if (m) {
    const thing = m[1].trim();
    const named = thing.match(FOUND_THING)?.[1] ?? thing.replace(/^(?:the|an?)\s+/i, '');
    const target = m[3].replace(/^(?:the|its|their|that|this)\s+/i, '').replace(/\s+(?:on|of|for|in)\s+(?:it|them)$/i, '').trim();
    if (!named || !target || /^(?:it|them|that|this)$/i.test(target)) return undefined;
    const anchor = lit(named.replace(/\s+in\s+the\s+\S+$/i, ''));
    return { step: { click: `${target} in the row with ${anchor}` }, alternatives: [{ click: `${target} near ${anchor}` }] };
  }
  const alone = s.match(/^(?:find|locate)\s+(.+?)(?:\s+(?:in|on)\s+the\s+(?:tree|list|sidebar|table|page|menu|panel))?$/i);
  const named = alone?.[1].match(FOUND_THING)?.[1];
  return named && !/\s(?:and|then)\s/i.test(named) ? { step: { click: lit(named) } } : undefined;
}

/**
 * A table cell set by column and row: "Set Role dropdown to Admin in the row where Name = Priya
 * Nair", "Set Qty to 25 in line 2", "change Status to Closed for the row with INV-1042".
 */
function cellStep(s: string): FormReading | undefined {
  const m = s.match(/^(?:set|change|update)\s+(?:the\s+)?(.+?)\s+(?:(dropdown|drop-down|select|combo\s*box|combobox|list|menu|field|box|cell|input)\s+)?(?:to|=)\s+(.+?)\s+(?:in|on|for|of)\s+(?:the\s+)?(row\s+where\s+.+|row\s+with\s+.+|(?:line|row)\s+(?:#\s*)?\d+)$/i);
  if (!m) return undefined;
  const [, column, role, value, where] = m;
  const n = where.match(/^(?:line|row)\s+(?:#\s*)?(\d+)$/i);
  const anchor = where.replace(/^row\s+(?:where\s+(?:[^=]+?)\s*(?:=|is|equals)\s*|with\s+)/i, '').trim();
  const cell = cellDescription(column, n ? { index: Number(n[1]) } : { text: unq(anchor) }, lit);
  const select: Step = { select: { option: lit(value), in: cell } };
  const type: Step = { type: { text: unq(value), into: cell } };
  const listy = role && /^(?:dropdown|drop-down|select|combo\s*box|combobox|list|menu)$/i.test(role);
  const fieldy = role && /^(?:field|box|cell|input)$/i.test(role);
  if (listy) return { step: select };
  if (fieldy) return { step: type };
  return /\d/.test(value) ? { step: type, alternatives: [select] } : { step: select, alternatives: [type] };
}

/**
 * "set the Volume slider to 70%", "drag the brightness slider to max", "set Volume to 70%",
 * "把音量调到最大": a slider and a value (a percentage, max/min, or a number its ends show).
 */
export function sliderStep(s: string): Step | undefined {
  const m =
    s.match(/^(?:set|drag|move|slide|adjust|change|put|turn)\s+(?:the\s+)?(.+?)\s+slider\s+(?:all\s+the\s+way\s+)?(?:to|at|up\s+to|down\s+to)\s+(.+)$/i) ??
    s.match(/^(?:set|adjust|change|turn)\s+(?:the\s+)?(.+?)\s+(?:to|at|up\s+to|down\s+to)\s+((?:the\s+)?(?:max(?:imum)?|min(?:imum)?)|\d+(?:\.\d+)?\s*(?:%|percent))$/i) ??
    s.match(/^(?:(?:把|将)\s*)?(.+?)\s*(?:滑块)?\s*(?:调到|调至|调成|拖到|拉到|设为|设置为)\s*(\d+(?:\.\d+)?\s*%|最大|最小|最高|最低)$/);
  if (!m) return bareSlider(s);
  const value = sliderValue(m[2]);
  const label = m[1].replace(/^(?:the\s+)/i, '').trim();
  if (!value || !label || NEXT_CLAUSE.test(m[2])) return undefined;
  return { click: `the slider next to ${lit(label)} at ${value}` };
}

/** What a player's or a setting's bar is called when it is a slider ("search bar" and "tab bar" are not). */
const SLIDER_NOUN = /^(?:(?:click|tap|drag|grab|use|move)\s+(?:on\s+)?)?(?:the\s+)?(?:(volume|brightness|progress|seek|playback(?:\s+progress)?|song\s+progress|track\s+progress)\s+(?:bar|slider|scrubber)|([\p{L}\d][\p{L}\d\s-]{0,24}?)\s+slider)$/iu;
const ZH_SLIDER = /^(?:拖动|拖拽|点击|点一下|点)?\s*(?:一下)?\s*(?:(播放进度|进度|音量|亮度)(?:条|滑块|滑杆)|(.{1,8}?)的?滑块)$/;
const ZH_SLIDER_NAME: Record<string, string> = { 播放进度: 'progress', 进度: 'progress', 音量: 'volume', 亮度: 'brightness' };
/** Where on a bar "about the middle" is. */
const SPOKEN_POINT: Array<[RegExp, number]> = [[/^(?:the\s+)?(?:middle|halfway(?:\s+point)?|half\s*way|half)$/i, 50], [/^(?:the\s+)?(?:start|beginning)$/i, 0], [/^(?:the\s+)?end$/i, 100]];

/**
 * "the volume slider", "progress bar", "拖动播放进度条": the slider itself (its thumb); "skip to
 * about the middle of the song using the progress bar": a point on it.
 */
function bareSlider(s: string): Step | undefined {
  const zh = s.match(ZH_SLIDER);
  const en = zh ? null : s.match(SLIDER_NOUN);
  const name = zh ? (ZH_SLIDER_NAME[zh[1]] ?? zh[2]) : en ? (en[1] ?? en[2]).replace(/^(?:song|track)\s+/i, '') : undefined;
  if (name) return { click: `the slider next to ${lit(name.trim())}` };
  const skip = s.match(/^(?:skip|jump|seek|go|move|scrub)\s+(?:ahead\s+)?to\s+(?:about|around|roughly|approximately)?\s*(.+?)(?:\s+of\s+the\s+(?:song|track|video|episode|clip))?\s+(?:using|with|on|via)\s+the\s+(progress|seek|playback)\s+(?:bar|slider)$/i);
  const at = skip && (SPOKEN_POINT.find(([re]) => re.test(skip[1].trim()))?.[1] ?? sliderValue(skip[1]));
  return skip && at !== undefined ? { click: `the slider next to ${lit(skip[2])} at ${typeof at === 'number' ? `${at}%` : at}` } : undefined;
}

/**
 * "… to 25 and click Save": the value ends where the next instruction starts (the grammar splits
 * those); "Set Qty to 25 in line 2" edits a table cell, which a field by the column's label is not.
 */
const NEXT_CLAUSE = /\s(?:and|then)\s+(?:click|press|tap|hit|select|choose|pick|type|enter|save|submit|check|tick)\b|\s(?:in|on|at|for)\s+(?:the\s+)?(?:line|row|column|item|entry|record)\b/i;

export function readForm(text: string): FormReading | undefined {
  const s = text.replace(/[.!。！]+$/, '').trim();
  let m: RegExpMatchArray | null;

  const found = findReading(s);
  if (found) return found;
  const paging = pagingReading(s) ?? seekReading(s);
  if (paging) return paging;
  const closing = closeOfNamed(s);
  if (closing) return closing;
  if (SELECT_ALL.some((r) => r.test(s))) return { step: { click: 'the select-all checkbox' } };
  // "Select row with item 30 in table 'Item Overview' …": the box of the row known by its number, not a list to open.
  if ((m = s.match(SELECT_ROW))) return { step: { click: `the checkbox in the row with ${lit(m[1].replace(/^(?:item|line|row|no\.?|number|#)\s*(?=\d)/i, ''))}` } };
  const sorting = sortReading(s);
  if (sorting) return sorting;
  // "Search for wireless earbuds", "搜索 耳机": typed into the search field.
  // A longer object ("trains from Boston to New York") is a task for the site, not a query.
  if ((m = s.match(/^search\s+(?:for\s+)?(.+?)(?:\s+(?:in|on|using|with)\s+the\s+search\s*(?:box|bar|field))?$/i)) && !/^(?:the\s+)?(?:button|icon|bar|box|field|results?)$/i.test(m[1]) && m[1].split(/\s+/).length <= 4) {
    return { step: { type: { text: unq(m[1]), into: 'the search box' } } };
  }
  if ((m = s.match(/^(?:搜索|搜一下|搜一搜|搜)\s*(?:一下)?\s*(.+)$/)) && !/^(?:框|栏|按钮|图标|结果)/.test(m[1])) {
    return { step: { type: { text: unq(m[1]), into: '搜索框' } } };
  }
  // "mark all as read", "mark as spam": the button says so (checking a box is not meant).
  if ((m = s.match(/^mark\s+(all\s+|everything\s+)?as\s+(read|unread|done|complete|completed|spam|important|resolved)$/i))) {
    const all = m[1] ? 'all ' : '';
    return { step: { click: `Mark ${all}as ${m[2]}` }, alternatives: [{ click: `Mark ${all}${m[2]}` }] };
  }
  // RPA: "Set Status dropdown to Closed", "Set the Language to Deutsch".
  // Without a role word, "Set Qty to 25" could be a field or a list: left to the grammar.
  if ((m = s.match(/^(?:set|change|switch)\s+(?:the\s+)?(.+?)\s+(?:dropdown|drop-down|select|combo\s*box|combobox|list|menu|field|box)\s*(?:to|=)\s+(.+)$/i)) && !NEXT_CLAUSE.test(m[2])) {
    const list = m[1].replace(/\s+(?:dropdown|drop-down|select|combo\s*box|combobox|list|menu)$/i, '');
    if (/\b(?:field|box|input)\b/i.test(m[0].slice(0, m[0].length - m[2].length))) return { step: { type: { text: unq(m[2]), into: `the field labelled ${lit(list)}` } } };
    return { step: { select: { option: lit(m[2]), in: lit(list) } } };
  }
  const slider = sliderStep(s);
  if (slider) return { step: slider };
  const cell = cellStep(s);
  if (cell) return cell;
  // "Set Paper size to Legal", "change the Ink to Greyscale": a list or a field, whichever the
  // screen shows beside the label; a number or a sentence is more likely typed.
  if ((m = s.match(/^(?:set|change)\s+(?:the\s+)?(.{1,40}?)\s+(?:to|=)\s+(.+)$/i)) && !/\b(?:and|then)\b/i.test(m[1]) && !NEXT_CLAUSE.test(m[2])) {
    const select: Step = { select: { option: lit(m[2]), in: lit(m[1]) } };
    const type: Step = { type: { text: unq(m[2]), into: `the field labelled ${lit(m[1])}` } };
    const typed = /\d/.test(m[2]) || m[2].trim().split(/\s+/).length > 3;
    return typed ? { step: type, alternatives: [select] } : { step: select, alternatives: [type] };
  }
  // RPA: 选择下拉框「每页条数」为「20 条/页」, 将下拉框「状态」设为「已完成」.
  if ((m = s.match(/^(?:选择|设置|将|把)?\s*(?:下拉框|下拉列表|下拉菜单|选择框)\s*[「“"『](.+?)[」”"』]\s*(?:的值)?\s*(?:为|选为|设为|设置为|改为|选择)\s*[「“"『](.+?)[」”"』]$/))) {
    return { step: { select: { option: lit(m[2]), in: lit(m[1]) } } };
  }
  // 省份选浙江省, 把语言改成英文, 将时区设为北京时间, 语言选择English
  // (Not "酸菜鱼的选规格按钮": a thing's button whose label starts with 选.)
  if ((m = s.match(/^(?:(?:把|将)\s*)?(.+?)\s*(?:改成|改为|设为|设置为|设成|换成|选择|选成|选)\s*(.+)$/)) && !/^(?:点|点击|单击|勾选|在|从|往|向)/.test(s) && m[1].length <= 12 && !/的$/.test(m[1]) && !/(?:按钮|链接|图标|框)$/.test(m[2]) && !/[全勾多单筛]选/.test(s)) {
    return { step: { select: { option: lit(m[2]), in: lit(m[1]) } } };
  }
  // 翻到第3页, 跳到第2页, go to page 3: the pager's number (ground/pager.ts), else a link saying so.
  if ((m = s.match(/^(?:翻到|跳到|跳转到|转到|去|到)?\s*第\s*(\d{1,3})\s*页$/) ?? s.match(/^(?:go|jump|skip|move|turn|navigate)\s+to\s+(?:the\s+)?page\s+(?:number\s+)?(\d{1,3})(?:\s+of\s+(?:the\s+)?(?:results|list|table|search\s+results))?$/i))) {
    return { step: { click: `page ${Number(m[1])} in the pager` }, alternatives: [{ click: quoteLiteral(`Page ${m[1]}`) }, { click: quoteLiteral(`第${m[1]}页`) }], readAs: 'pager' };
  }
  const going = goToReading(s);
  if (going) return going;
  // 打开和张伟的聊天
  if ((m = s.match(/^(?:打开|进入|点开)?\s*(?:和|与|跟)\s*(.+?)\s*的(?:聊天|对话|会话)(?:窗口)?$/))) return { step: { click: lit(m[1]) }, readAs: 'name' };
  const zhRow = zhRowReading(s);
  if (zhRow) return zhRow;
  const counted = countedRowStep(s);
  if (counted) return counted;
  const ba = baReading(s);
  if (ba) return ba;
  // 删除王芳的对话 → "删除" in 王芳's row, else "移除" there
  if ((m = s.match(/^(删除|移除|编辑|修改|查看|下载|导出|分享|收藏|关注|回复|转发|置顶|审批|通过|拒绝|复制|重命名)\s*(.+)$/))) {
    const labels = ZH_ACTION_LABELS[m[1]];
    const anchor = m[2].replace(ZH_OBJECT_TAIL, '').replace(/的$/, '').trim();
    if (!anchor || anchor === m[2].trim() && !ZH_OBJECT_TAIL.test(m[2])) return undefined;
    const make = (label: string): Step => ({ click: `${quoteLiteral(label)} in the row with ${lit(anchor)}` });
    return { step: make(labels[0]), alternatives: labels.slice(1).map(make) };
  }
  return undefined;
}

/** Where to go: 切到通讯录, a view said by name (切到月视图, "switch this to month view"), 关注作者. */
function goToReading(s: string): FormReading | undefined {
  let m: RegExpMatchArray | null;
  // 切到通讯录, 切换到深色, 进入设置, 去登录
  // (月视图 drawn as 月 on a view switch: the name without 视图 is tried next.)
  if ((m = s.match(/^(?:切到|切换到|切换至|进入|去|转到|跳到)\s*(.+)$/))) {
    const bare = m[1].replace(/(?<=\p{Script=Han})(?:视图|模式)$/u, '');
    return { step: { click: lit(m[1]) }, ...(bare !== m[1] ? { alternatives: [{ click: lit(bare) }] } : {}) };
  }
  // "switch this to month view": the view said, as "switch to month view".
  if ((m = s.match(/^switch\s+(?:this|it|the\s+(?:view|calendar|layout|page))\s+(?:over\s+)?to\s+(.+?)(?:\s+view)?$/i))) {
    return { step: { click: lit(`${m[1]} view`) }, alternatives: [{ click: lit(m[1]) }, { select: { option: lit(m[1]) } }] };
  }
  // 关注作者, 私信博主: the act's own button; the person is whoever the page is about.
  if ((m = s.match(/^(?:点击|点)?\s*(关注|私信|取消关注|拉黑)(?:一下)?(?:作者|博主|他|她|TA|up主|UP主|楼主|题主|这个人|对方)$/))) return { step: { click: lit(m[1]) } };
  return undefined;
}

/** A thing in a row Chinese names by its owner: its checkbox, a control after a quoted name, its details. */
function zhRowReading(s: string): FormReading | undefined {
  let m: RegExpMatchArray | null;
  // 勾选周杰那一行的复选框 → the checkbox in 周杰's row
  if ((m = s.match(/^(?:勾选|选中|点击|点)?\s*(.+?)\s*(?:那一?行|这一?行|所在的?行|一行|行)\s*的?\s*(?:复选框|勾选框|选择框)$/))) {
    return { step: { click: `the checkbox in the row with ${lit(m[1])}` } };
  }
  // 作品表格中"5 块钱的土豆…"一行操作列里的编辑: the quoted name says the row, the words after it what to click there.
  if ((m = s.match(/^(?:点击|单击|点|拖动)?\s*\S{0,10}?[“"「『](.+?)[”"」』]\s*(?:那|这)?一?(?:所在的?)?行\s*(?:\S{1,6}?(?:列|栏))?(?:里|中|内)?的\s*(.+?)$/))) {
    const role = ROW_ROLES.find(([re]) => re.test(m![2]));
    return { step: { click: role ? role[1](lit(m[1])) : `${m[2]} in the row with ${lit(m[1])}` } };
  }
  // 查看西北地区的详情 → "详情" in 西北's row
  if ((m = s.match(/^(?:查看|打开|点开)\s*(.+?)\s*的\s*(详情|明细|详细信息)$/))) {
    const anchor = m[1].replace(/(?:地区|区域)$/, '');
    return { step: { click: `${lit(m[2])} in the row with ${lit(anchor)}` } };
  }
  return undefined;
}

/** "sort by size descending", "按耗时排序": the column's header (or the sort bar's entry) sorts; the sort list is the fallback. */
function sortReading(s: string): FormReading | undefined {
  const m = s.match(/^sort\s+(?:the\s+\w+\s+)?by\s+(.+?)(?:\s*,?\s*(?:descending|ascending|desc|asc|high(?:est)?\s+to\s+low(?:est)?|low(?:est)?\s+to\s+high(?:est)?|newest\s+first|oldest\s+first|a-z|z-a))?$/i) ?? s.match(/^按(?:照)?(.{1,8}?)(?:从高到低|从低到高|升序|降序|由高到低|由低到高)?排(?:个)?序$/);
  if (!m) return undefined;
  const key = unq(m[1]).replace(/^the\s+/i, '').replace(/\s+column$|(?<=\p{Script=Han})列$/iu, '');
  const list = /^sort/i.test(s) ? ['Sort by', 'Sort'] : ['排序', '排序方式'];
  return { step: { click: quoteLiteral(key) }, alternatives: list.map((l) => ({ select: { option: key, in: l } })) };
}

/**
 * The box that ticks every row: "Check checkbox 'Select all' in the table header", "header
 * checkbox", "select all rows on this page", "表头的全选复选框", "把这一页的人全选上".
 */
const SELECT_ALL = [
  /^(?:(?:check|tick|click|select)\s+)?(?:on\s+)?(?:the\s+)?(?:checkbox\s+)?["'“‘]?select[- ]all["'”’]?(?:\s+(?:checkbox|check\s*box|box))?(?:\s+(?:in|on|at)\s+(?:the\s+)?(?:table\s+|list\s+|column\s+)?header(?:\s+row)?)?$/i,
  /^(?:(?:check|tick|click)\s+)?(?:on\s+)?(?:the\s+)?(?:(?:table|list|column)\s+)?header(?:\s+row)?(?:'s)?\s+(?:checkbox|check\s*box)$/i,
  /^(?:(?:check|tick|click)\s+)?(?:on\s+)?(?:the\s+)?(?:checkbox|check\s*box)\s+(?:in|on|at)\s+(?:the\s+)?(?:(?:table|list|column)\s+)?header(?:\s+row)?$/i,
  /^select\s+all\s+(?:the\s+)?(?:rows|items|files|entries|records|emails|messages|orders|users|members|people)(?:\s+on\s+(?:this|the)\s+page)?$/i,
  /^(?:点击|勾选|点|选中)?\s*(?:(?:表头|列表头|标题行)(?:的|里的|中的|上的)?(?:全选)?|全选)(?:复选框|勾选框|选择框|框)$/,
  /^(?:把|将)\s*(?:这一?页|本页|当前页|列表|表格|列表里|表格里)的?(?:[\p{Script=Han}]{1,4}?)?(?:全部?|都)(?:选上|选中|勾上|勾选上?)$/u,
];

const SELECT_ROW = /^(?:select|highlight)\s+(?:the\s+)?row\s+(?:with|containing|for|of|where)\s+(.+?)(?:\s+(?:in|of)\s+(?:the\s+)?(?:table|grid|list)\b.*?)?(?:\s+(?:using|with|via|by)\s+(?:the\s+|its\s+)?(?:row\s+)?selector)?$/i;

/** A control said by its kind at the end of a row named by its label ("“输入音量”一行中的音量滑块"). */
const ROW_ROLES: Array<[RegExp, (label: string) => string]> = [
  [/(?:滑块|滑杆|滑动条)$/, (l) => `the slider next to ${l}`],
  [/开关$/, (l) => `the switch next to ${l}`],
  [/^(?:复选框|勾选框|选择框)$/, (l) => `the checkbox in the row with ${l}`],
];

/** What has a close control of its own beside its name. */
const CLOSABLE = '(?:tab|panel|pane|chat|terminal|editor|conversation|file|card|window|sidebar)';
const CLOSE_BUTTON_OF = new RegExp(`^(?:click\\s+)?(?:the\\s+)?close\\s+(?:button|icon|x|×)\\s+(?:of|on|for|in)\\s+(?:the\\s+)?(.+?)(?:\\s+${CLOSABLE})?$`, 'i');
// RPA: "Click button 'Close' on tab 'logo-draft.png'".
const RPA_CLOSE = new RegExp(`^click\\s+(?:the\\s+)?(?:button|icon)\\s+["'“‘]?close["'”’]?\\s+(?:on|of|in|for)\\s+(?:the\\s+)?${CLOSABLE}\\s+(.+)$`, 'i');
// "get rid of the status filter", "take the summer tag off": a chip's own × after its words.
const CHIP_OFF = /^(?:remove|clear|delete|get\s+rid\s+of|take)\s+(?:the\s+|that\s+)?(.+?)\s+(?:tag|filter|chip)(?:\s+off)?$/i;
const CLOSE_NAMED = new RegExp(`^(?:close|shut)\\s+(?:the\\s+)?(.+?)\\s+${CLOSABLE}$`, 'i');
// RPA: "Close tab 'Chen, Robert K.' in the patient workspace tab bar": the kind first, the name quoted.
const CLOSE_KIND_QUOTED = new RegExp(`^(?:close|shut)\\s+(?:the\\s+)?${CLOSABLE}\\s+("[^"]+"|“[^”]+”|'[^']+'|‘[^’]+’)(?:\\s+(?:in|on|of|from)\\s+.+)?$`, 'i');

// "the close button in the top right corner of the popup", "日程详情弹窗右上角的关闭按钮": the corner is
// the popup's, not the screen's.
const POPUP_CORNER_CLOSE = /^(?:click\s+)?(?:on\s+)?(?:the\s+)?(?:close|x|×)(?:\s+(?:button|icon))?\s+(?:in|at|on)\s+(?:the\s+)?(?:(?:top|upper)[- ](?:right|left))(?:\s+corner)?\s+of\s+(?:the\s+|this\s+)?(?:[\w-]+\s+){0,2}(?:dialog|pop-?up|popover|modal|window|banner|overlay|drawer|sheet|toast|notice)$/i;
const ZH_POPUP_CORNER_CLOSE = /^(?:点击|单击|点)?\s*\S{0,10}?(?:弹窗|弹框|小窗|浮窗|浮层|对话框|提示框|横幅|广告)的?(?:右上角|左上角|右上方|角上)?(?:的|上的|里的)?(?:关闭按钮|关闭图标|关闭|叉号|叉|×)$/;

/**
 * "close the dialog": the popup's own close control. "close the utils tab", "close button of the
 * in-call messages panel", "关闭utils.ts标签": the close control right of that thing's name.
 */
function closeOfNamed(s: string): FormReading | undefined {
  // "close the dialog", "dismiss the cookie banner", "关闭弹窗": the popup's own close control.
  if (/^(?:close|dismiss|exit|shut)\s+(?:the\s+|this\s+)?(?:[\w-]+\s+){0,2}(?:dialog(?:\s+box)?|pop-?up|modal(?:\s+window)?|window|banner|overlay|notice|toast|alert|panel|drawer|sheet)$/i.test(s) || /^(?:关闭|关掉|关上)\s*(?:这个|该)?\s*(?:弹窗|弹框|对话框|窗口|提示框|提示|浮层|横幅|广告)$/.test(s) || POPUP_CORNER_CLOSE.test(s) || ZH_POPUP_CORNER_CLOSE.test(s)) {
    return { step: { click: '"×"' }, alternatives: [{ click: '"Close"' }, { click: '"关闭"' }, { click: 'close icon' }, { click: '"x"' }] };
  }
  const m = s.match(CLOSE_BUTTON_OF) ?? s.match(CLOSE_KIND_QUOTED) ?? s.match(CLOSE_NAMED) ?? s.match(RPA_CLOSE) ?? s.match(/^(?:关闭|关掉)\s*(.+?)\s*(?:标签页|标签|面板|窗口|页签)$/) ?? s.match(CHIP_OFF);
  if (!m || /^(?:this|current|active|that)$/i.test(m[1])) return undefined;
  const name = lit(m[1]);
  // Right of the name, the nearest: a tab's × follows its name (the next tab's × is further on), a
  // panel's close icon ends its title's row.
  return { step: { click: `close icon right of ${name}` }, alternatives: [{ click: `"×" right of ${name}` }, { click: `"x" right of ${name}` }] };
}

/** Acts said after their object with 把, and the labels that do them. */
const BA_ACTS: Record<string, string[]> = { ...ZH_ACTION_LABELS, 标记为已解决: ['解决', '已解决'], 标为已解决: ['解决', '已解决'], 解决: ['解决'], 驳回: ['驳回', '拒绝'], 退回: ['退回', '驳回'], 同意: ['同意', '通过'], 批准: ['通过', '同意'], 发: ['发放', '发送'], 发放: ['发放'], 转交: ['转交'], 撤回: ['撤回'], 归档: ['归档'] };
const BA = new RegExp(`^(?:把|将)\\s*(.+?)\\s*(${Object.keys(BA_ACTS).sort((a, b) => b.length - a.length).join('|')})(?:掉|了|出去|出来|吧)*$`);

/**
 * 把张伟那条请假驳回, 把赵磊这个月的工资发了: the act's label in the row of the one named; 把这个列表导出:
 * nothing named, the label alone. (把…打开/关掉 is a switch, read elsewhere.)
 */
function baReading(s: string): FormReading | undefined {
  // "把同意协议前面那个框勾上": the box before those words, ticked.
  const tick = s.match(/^(?:把|将)\s*(.+?)\s*(?:勾上|勾选上?|选上|打上勾|打勾)$/);
  if (tick) {
    const label = tick[1].replace(/(?:前面|旁边|左边|后面)?的?(?:那个|这个)?(?:复选框|勾选框|选框|框)$/, '').replace(/(?:那|这)(?:条|项|个|行)$/, '').trim();
    return label ? { step: { click: `the checkbox next to ${lit(label)}` } } : undefined;
  }
  const m = s.match(BA);
  if (!m) return undefined;
  const labels = BA_ACTS[m[2]];
  // "张伟那条请假", "赵磊这个月的工资": the name before the demonstrative says which row.
  const anchor = m[1].replace(/(?:那|这|本)(?:条|个|笔|项|份|张|一?行|月|周).*$/, '').replace(ZH_OBJECT_TAIL, '').replace(/的$/, '').trim();
  if (!anchor) return { step: { click: labels[0] }, alternatives: labels.slice(1).map((l) => ({ click: l })) };
  const make = (label: string): Step => ({ click: `${quoteLiteral(label)} in the row with ${lit(anchor)}` });
  // A card (a comment, a message) puts its buttons under the name, not on its row; a table's
  // row is never left for its neighbour's.
  const near = (label: string): Step => ({ click: `${quoteLiteral(label)} near ${lit(anchor)}` });
  const card = /评论|留言|消息|帖子|笔记|回复/.test(m[1]);
  return { step: make(labels[0]), alternatives: [...labels.slice(1).map(make), ...(card ? labels.map(near) : [])] };
}

/** 点击第二行的删除 → the second 删除; 第三行操作列中的转交链接: the column is where the link is, the row says which. */
function countedRowStep(s: string): FormReading | undefined {
  const m = s.match(/^(?:点击|单击|点)?\s*(第\s*(?:[0-9]+|[一二两三四五六七八九十]+)|倒数第\s*(?:[0-9]+|[一二两三四五六七八九十]+)|最后一)\s*行\s*的?\s*(.+)$/);
  if (!m) return undefined;
  const what = m[2].replace(/^\S{1,6}?(?:列|栏)(?:中|里|内)?的/, '').replace(/(?:链接|按钮)$/, '') || m[2];
  // A table's rows counted from its first data row; the Nth occurrence is the fallback (a list
  // whose rows the image does not show as one column).
  const digits = m[1].replace(/^第\s*/, '');
  const n = /^\d+$/.test(digits) ? Number(digits) : chineseNumber(digits);
  const nth: Step = { click: `${m[1]}个${lit(what)}` };
  if (!m[1].startsWith('第') || !n) return { step: nth };
  return { step: { click: `${lit(what)} in the ${ordinalWord(n)} row` }, alternatives: [nth] };
}

function unq(s: string): string {
  return s.trim().replace(/^["“'‘「『](.*)["”'’」』]$/, '$1');
}
