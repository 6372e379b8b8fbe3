import { StepSchema, type Step } from '../../src/core/task.ts';
import { quoteLiteral } from './quotes.ts';
import { keyChord } from './key-chord.ts';
import {
  extractGoalQuotes,
  GoalParseError,
  ONE_PLACEHOLDER,
  placeholders,
  restoreBare,
  restoreQuoted,
  stripFiller,
  targetDescription,
} from './goal-text.ts';

export { GoalParseError } from './goal-text.ts';
import { sliderStep } from './instruction/forms.ts';

/**
 * Simple English (and Chinese) goals to a plan of task steps:
 *   Click on the "OK" button.                → click "OK"
 *   Enter "bob" into the text field and press Submit.
 *   Scroll down to "Item 80" and click it    → scroll until "Item 80", click "Item 80"
 *   在“用户名”中输入“alice”，然后点击“登录”
 * Clauses are split on commas, "then", "and" (and 然后/并/再…); a piece that does not start
 * with a verb belongs to the clause before it ("the username "a" and the password "b"").
 * Anything not understood is an error naming the piece: the agent never guesses.
 */

export interface ParsedGoal {
  steps: Step[];
  /** For each step, the clause of the goal it came from (quotes restored). */
  clauses: string[];
}

const ADVERBS = /^(?:(?:please|now|first|firstly|then|next|finally|lastly|also|and|after\s+that|afterwards|to|请|先|再|然后|最后|接着)\s*)+/i;
const EN_VERB =
  /^(?:double[-\s]?click|right[-\s]?click|click|tap|hit|push|press|enter|type|input|write|put|key\s+in|fill|select|choose|pick|check|uncheck|tick|untick|scroll|wait|verify|make\s+sure|ensure|confirm|assert|go|navigate|open|visit|hover|mouse\s+over|expand|collapse|show|toggle|close|dismiss|activate|follow|turn\s+(?:on|off)|switch\s+(?:on|off|to)|enable|disable|(?:set|change|adjust)\b(?=.*\s(?:to|=)\s))\b(?!-)/i;
const ZH_VERB = /^(?:改成|改为|切换成|切换为|换成|把|将|拖动|拖拽|拖放|拖|点击|单击|双击|右击|右键单击|点按|轻触|点(?!赞)|看看|瞧瞧|看一下|按下|按|敲|输入|填写|填入|键入|选择|选中|勾选|取消勾选|滚动|向[上下左右]滚动|往[上下左右]滚动|等待|确认|检查|验证(?!码)|确保|在|往|向|打开|展开|关闭|开启|启用|禁用|悬停)/;
const ZH_CONNECTOR_AHEAD = '(?=\\s*(?:请)?(?:把|将|拖动|拖拽|拖放|拖|点击|单击|双击|右击|点按|点|按|输入|填写|键入|选择|勾选|滚动|向|往|等待|确认|检查|在|展开|关闭|打开))';
const SPLIT = new RegExp(
  `(\\s*(?:[,;]|\\.(?=\\s|$))\\s*(?:and\\s+then\\s+|then\\s+|and\\s+)?|\\s+(?!(?<=\\bdrag\\s+)and\\s+drop\\b)(?:and\\s+then|then|and|after\\s+that|afterwards)\\s+|\\s*[，；。！]\\s*|(?:然后|接着|随后|之后|并且|并|再|和)${ZH_CONNECTOR_AHEAD})`,
  'gi',
);

/**
 * "Drag", "drop" and "move" also occur in labels ("Save and Move On", "Drag and Drop Demo"): after
 * another clause they start one only when they say what is moved (quoted, or "the …") and where.
 */
const EN_DRAG_CLAUSE = /^(?:drag(?:\s+and\s+drop)?|drop|move)\s+(?:(?:the|a|an|this|that|it|my|your)\s|\u0002).*\s(?:onto|on\s+to|into|in\s+to|to|over|on|in)\s/i;

const DROP_IT = /^(?:then\s+)?drop\s+(?:it|them)\b/i;

/** Whether a piece of a goal starts with an instruction verb the grammar knows. */
export function startsClause(piece: string): boolean {
  const s = piece.replace(ADVERBS, '').trim();
  return EN_VERB.test(s) || EN_DRAG_CLAUSE.test(s) || ZH_VERB.test(s);
}

/** Splits the skeleton into clauses, gluing verb-less pieces back onto the clause before. */
function splitClauses(skeleton: string, quotes: string[]): string[] {
  const parts = skeleton.split(SPLIT);
  const clauses: string[] = [];
  let pendingSep = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i % 2 === 1) {
      pendingSep = part;
      continue;
    }
    if (!part.trim()) continue;
    // "Drag "A" and drop it on "B"": the drop finishes the drag before it.
    const finishesDrag = clauses.length > 0 && /^drag\b/i.test(clauses[clauses.length - 1]) && DROP_IT.test(part.trim());
    // "写上：同意，请按公司差旅标准报销": after a typing verb's colon, the rest is what to type.
    const typed = clauses.length > 0 && /(?:写上|写下|写|填上|填写|填|输入|键入)\s*[：:]/.test(clauses[clauses.length - 1]);
    if (clauses.length && (finishesDrag || typed || !startsClause(part))) {
      const prev = clauses[clauses.length - 1];
      // A verb-less piece continues a list ("the password "b"") or an unquoted label ("Terms and
      // Conditions"); after "then", or bare words after a quoted target, it is an instruction we do not know.
      if (!finishesDrag && (/\bthen\b|然后|接着/i.test(pendingSep) || (placeholders(prev).length > 0 && placeholders(part).length === 0))) {
        const fragment = restoreQuoted(part, quotes).trim();
        throw new GoalParseError(`could not understand "${fragment}": it does not start with an instruction I know (click, press, type/enter, select, check, drag, scroll, wait, verify…)`, fragment);
      }
      clauses[clauses.length - 1] += pendingSep + part;
    } else clauses.push(part.trim());
  }
  return clauses;
}

interface ClauseContext {
  quotes: string[];
  fragment: string;
  /** The last target named, for "click it". */
  previous?: string;
}

function desc(phrase: string, c: ClauseContext): string {
  return targetDescription(phrase, c.quotes, c.fragment, c.previous);
}

function fail(c: ClauseContext, why: string): never {
  throw new GoalParseError(`could not understand "${c.fragment}": ${why}`, c.fragment);
}

const CHECKED_PLACE = /^(?:(?:my|the|any|for)\s+)?(?:new\s+)?(?:notifications|messages|inbox|e-?mails?|mail|alerts|updates|cart)$/i;
const GERUNDS: Record<string, string> = {
  clicking: 'click', tapping: 'tap', pressing: 'press', hitting: 'hit', typing: 'type', entering: 'enter',
  selecting: 'select', choosing: 'choose', checking: 'check', scrolling: 'scroll', 'double-clicking': 'double-click',
};

function parseClause(clause: string, c: ClauseContext): Step[] {
  const s = clause.replace(ADVERBS, '').replace(/[.!?。！]+$/, '').trim();
  let m: RegExpMatchArray | null;

  // "Close the dialog box by clicking the "x"": the means is the instruction.
  if ((m = s.match(/^.*?\bby\s+(clicking|tapping|pressing|hitting|typing|entering|selecting|choosing|checking|scrolling|double-clicking)\b(.*)$/i))) {
    return parseClause(`${GERUNDS[m[1].toLowerCase()]}${m[2]}`, c);
  }
  const drag = parseDrag(s, c);
  if (drag) return drag;
  if ((m = s.match(/^(?:(double)[-\s]?click|(right)[-\s]?click|click|tap|hit|push|activate|follow)\b(?:\s+(?:on|at))?\s*(.*)$/i))) {
    const target = desc(m[3], c);
    if (m[1]) return [{ click: { target, count: 2 } }];
    if (m[2]) return [{ click: { target, button: 'right' } }];
    return [{ click: target }];
  }
  if ((m = s.match(/^press\b(?:\s+(?:on|down))?\s*(.*)$/i))) {
    const rest = m[1].trim();
    const saidKey = /\bkeys?\b|键$/i.test(rest);
    const bare = restoreBare(rest.replace(/^(?:the\s+)?/i, '').replace(/\s*\bkeys?\b\s*/i, ' ').replace(/\s*(?:button|btn)$/i, ''), c.quotes).trim();
    const quotedOnly = ONE_PLACEHOLDER.test(rest.replace(/^(?:the\s+)?/i, '').replace(/\s*\bkeys?\b\s*$/i, '').trim());
    const chord = (!quotedOnly || saidKey) && !/\s(?:button|btn)$/i.test(rest) ? keyChord(bare, saidKey) : undefined;
    if (chord) return [{ press: chord.length === 1 ? chord[0] : chord }];
    if (saidKey) fail(c, `"${bare}" is not a key name`);
    return [{ click: desc(rest, c) }];
  }
  if ((m = s.match(/^fill(?:\s+(?:in|out))?\s+(.+?)\s+with\s+(.+)$/i))) {
    return [typeStep(m[2], desc(m[1], c), c)];
  }
  if ((m = s.match(/^(?:enter|type|input|write|put|key\s+in)\b\s*(.*)$/i))) return parseType(m[1], c);
  // "Set Paper size to Legal" (in a goal of several clauses; alone, instruction/forms.ts reads it with a field as the fallback).
  const slider = sliderStep(restoreBare(s, c.quotes));
  if (slider) return [slider];
  // Not "Set Qty to 25 in line 2": a table cell is no field found by its column's label.
  if ((m = s.match(/^(?:set|change)\s+(?:the\s+)?(.+?)\s+(?:dropdown|drop-down|select|combo\s*box|combobox|list|menu|field|box)?\s*(?:to|=)\s+(.+)$/i)) && !/\s(?:in|on|at|for)\s+(?:the\s+)?(?:line|row|column|item|entry|record)\b/i.test(m[2])) {
    const typed = /\b(?:field|box)\s*(?:to|=)/i.test(s) || /\d/.test(m[2]);
    return [typed ? typeStep(m[2], desc(`the field labelled ${m[1]}`, c), c) : { select: { option: optionText(m[2], c), in: desc(m[1], c) } }];
  }
  if ((m = s.match(/^(?:select|choose|pick)\b\s*(.*)$/i))) {
    // "choose Greyscale for Ink": "for" names the list only before a name ("pick a plan for my team" is one option).
    const [, option, list] = m[1].match(/^(.+?)\s+(?:from|in|on|of)\s+(.+)$/i) ?? m[1].match(/^(.+?)\s+for\s+((?:["“'\u0002]|\p{Lu}).*)$/u) ?? [null, m[1], undefined];
    const opt = optionText(option, c);
    return [{ select: list ? { option: opt, in: desc(list, c) } : { option: opt } }];
  }
  // "tick off the onboarding item": off says done, not which ("check-in date" is a name, no tick).
  if ((m = s.match(/^(?:check|uncheck|tick|untick|mark)\b(?!-)(?:\s+off\b)?\s*(.*)$/i))) {
    if (/^(?:that|whether|if)\b/i.test(m[1])) return [{ assert: assertionText(m[1].replace(/^(?:that|whether|if)\s*/i, ''), c) }];
    if (/\b(?:check\s*box|checkbox|radio|toggle|switch)\b/i.test(m[1])) return [{ click: desc(m[1], c) }];
    // "check my notifications", "check the inbox": looking at them, not ticking a box.
    if (/^check$/i.test(s.split(/\s/)[0]) && CHECKED_PLACE.test(m[1])) return [{ click: desc(m[1].replace(/^(?:my|the|any|new|for)\s+(?:new\s+)?/i, ''), c) }];
    // "Check the box for 3 stars", "tick the box next to Remember me": the box's label follows.
    const label = m[1].replace(/^(?:the\s+)?(?:tick\s*)?box\s+(?:for|next\s+to|beside|labell?ed|of)\s+/i, '');
    return [{ click: `the checkbox next to ${desc(label, c)}` }];
  }
  if ((m = s.match(/^scroll\b(?:\s+(up|down|left|right))?(?:\s+(?:the\s+)?page)?(?:\s+(up|down|left|right))?(?:\s+(\d+)\s+times?)?(?:\s+(?:to|until|till|untill)\s+(?:you\s+(?:can\s+)?see\s+|reaching\s+|the\s+text\s+)?(.+))?$/i))) {
    const direction = (m[1] ?? m[2] ?? 'down').toLowerCase() as 'up' | 'down' | 'left' | 'right';
    if (m[4]) return [{ scroll: { direction, until: desc(m[4].replace(/\s+(?:appears|is\s+(?:visible|shown))$/i, ''), c) } }];
    return [{ scroll: m[3] ? { direction, amount: Number(m[3]) } : direction }];
  }
  if ((m = s.match(/^wait\b\s*(?:for\s+)?(.*)$/i))) return [waitStep(m[1], c)];
  if ((m = s.match(/^(?:verify|make\s+sure|ensure|confirm|assert)\b\s*(?:that\s+)?(.*)$/i))) return [{ assert: assertionText(m[1], c) }];
  if ((m = s.match(/^go\s+back$/i))) return [{ back: true }];
  if ((m = s.match(/^(?:go\s+to|navigate\s+to|open|visit)\s+(?:the\s+)?(?:page\s+)?(\S+)$/i)) && isUrl(restoreBare(m[1], c.quotes))) {
    return [{ navigate: restoreBare(m[1], c.quotes) }];
  }
  // "switch to grid layout", "switch the board to list view": the view's control is clicked ("go to my profile" is read against the screen).
  if ((m = s.match(/^switch(?:\s+(?:the\s+)?(?:board|view|layout|display|page|screen|list|files|gallery))?\s+to\s+(\S.*?\s+(?:view|layout|mode|tab)|grid|list|board)$/i))) return [{ click: desc(m[1], c) }];
  if ((m = s.match(/^(?:hover|mouse\s+over)\b(?:\s+(?:over|on))?\s*(.*)$/i))) return [{ hover: desc(m[1], c) }];
  const fold = foldStep(s, c);
  if (fold) return fold;
  // A switch is flipped by clicking it (its label toggles it too); its current state is not read.
  if ((m = s.match(/^(?:turn\s+(?:on|off)|switch\s+(?:on|off)|enable|disable)\b\s*(.*)$/i))) return [{ click: desc(m[1], c) }];
  if ((m = s.match(/^(?:close|dismiss)\b\s*(.*)$/i))) {
    if (placeholders(m[1]).length) return [{ click: desc(m[1], c) }];
    fail(c, 'say what to click to close it, e.g. Close the dialog by clicking "x"');
  }
  return parseChineseClause(s, c);
}

/** Expanding and collapsing: a card's expand icon, a tree node's expander, a folding row's name. */
function foldStep(s: string, c: ClauseContext): Step[] | undefined {
  let m: RegExpMatchArray | null;
  // "expand the Countries card": a card or chart opens larger from its own expand icon, not its title.
  if ((m = s.match(/^(?:expand|maximi[sz]e|enlarge)\s+(?:the\s+)?(.+?)\s+(?:card|chart|graph|panel|widget|tile)$/i))) return [{ click: `expand icon near ${quoteLiteral(restoreBare(m[1], c.quotes))}` }];
  // "expand arrow of Engineering Wiki": the node's own expander is what the verb clicks.
  // "expand Database row", "collapse the Billing section": the name heads what folds (a column's fold is a button of its own).
  if ((m = s.match(/^(?:expand|collapse|open|show|toggle)\b\s*(.*)$/i))) return [{ click: desc(m[1].replace(/^(?:the\s+)?(?:arrow|chevron|triangle|caret|toggle|expander|twisty)\s+(?:of|for|next\s+to|beside|by)\s+/i, '').replace(/^(?=\S)(?!(?:the\s+)?(?:row|section|group)$)((?:the\s+)?\S.*?)\s+(?:row|section|group)$/i, /^(?:expand|collapse)/i.test(s) ? '$1' : '$&'), c) }];
  return undefined;
}

/** Words naming what kind of thing is dragged or dropped on: "the "Done" column" is just "Done". */
const DRAG_ROLE = /\b(?:card|item|file|column|list|lane|zone|drop\s*zone|area|bin|folder|box|tile|row|section|panel|icon|button)s?\b/gi;
const ZH_DRAG_ROLE = /(?:的)?(?:卡片|列|栏|文件夹|文件|区域|区|图标|项)$/;
const POINTER = /^(?:(?:the|your|my)\s+)?(?:mouse(?:\s+(?:pointer|cursor))?|cursor|pointer)$/i;
const ZH_POINTER = /^(?:鼠标|光标|指针|鼠标指针)$/;

function dragTarget(phrase: string, c: ClauseContext): string {
  // ""File" from "Downloads"": the thing is named first; where it is now is only context.
  const from = phrase.match(/^(.+?)\s+from\s+\S.*$/i);
  const p = (from && placeholders(from[1]).length ? from[1] : phrase).trim().replace(/[.!?。！]+$/, '').replace(/\s*(?:上|中|里|内|里面|上面)$/, '');
  if (placeholders(p).length === 1) {
    const roleless = p.replace(DRAG_ROLE, ' ').replace(ZH_DRAG_ROLE, '').replace(/\s+/g, ' ').trim();
    return desc(roleless, c);
  }
  return desc(p.replace(ZH_DRAG_ROLE, '') || p, c);
}

/**
 * "Drag "Report.pdf" onto "Trash"", "drag and drop X into Y", "move the card X to Y",
 * 把“X”拖到“Y”: a press on one target, a move in steps, a release on the other.
 */
function parseDrag(s: string, c: ClauseContext): Step[] | undefined {
  const en = s.match(/^(drag(?:\s+and\s+drop)?|drop|move)\b\s*(.*)$/i);
  const zh = s.match(/^(?:请)?(?:(?:把|将)\s*(.+?)\s*(?:拖动|拖拽|拖放|拖|移动|移)\s*(?:到|至|进|入)|(?:拖动|拖拽|拖放|拖)\s*(.+?)\s*(?:到|至|进))\s*(.+)$/);
  if (zh && ZH_POINTER.test((zh[1] ?? zh[2]).trim())) return [{ hover: dragTarget(zh[3], c) }];
  if (zh) return [{ drag: { from: dragTarget(zh[1] ?? zh[2], c), to: dragTarget(zh[3], c) } }];
  if (!en) {
    if (/^(?:把|将|拖动|拖拽|拖放|拖)/.test(s) && /拖|移/.test(s)) fail(c, '说明拖动什么、拖到哪里，例如 把“报告.pdf”拖到“回收站”');
    return undefined;
  }
  const rest = en[2].replace(/(?:\s*,|\s+and|\s+then)+\s+drop\s+(?:it|them)\b/i, '');
  const verb = en[1].toLowerCase().replace(/\s+and\s+drop$/, '');
  const pointer = rest.match(/^(.+?)\s+(?:onto|on\s+to|to|over|on)\s+(.+)$/i);
  if (verb === 'move' && pointer && POINTER.test(pointer[1].trim())) return [{ hover: desc(pointer[2], c) }];
  // The last "to/onto/into" splits best ("the file in Downloads to Trash"); "on/over/in" only when there is none.
  const split = rest.match(/^(.+)\s+(?:onto|on\s+to|into|in\s+to|to)\s+(.+)$/i) ?? (verb === 'move' ? null : rest.match(/^(.+?)\s+(?:on|over|in)\s+(.+)$/i));
  if (!split) fail(c, `say what to ${verb} and where, e.g. Drag "Report.pdf" onto "Trash"`);
  return [{ drag: { from: dragTarget(split[1], c), to: dragTarget(split[2], c) } }];
}

function parseChineseClause(s: string, c: ClauseContext): Step[] {
  let m: RegExpMatchArray | null;
  const t = s.replace(/^请/, '').trim();
  // "在消息输入框中输入 …": the verb is the 输入 not followed by 框 or 栏.
  if ((m = t.match(/^(?:在|往|向)\s*(.+?)\s*(?:中|里|内|里面|上|处)?\s*(?:输入(?![框栏])|填写|填入|键入)\s*(.+)$/))) return [typeStep(m[2], desc(m[1], c), c)];
  // "在审批意见里写上：同意", "评论框里写 发票抬头不对": writing in a box is typing there.
  if ((m = t.match(/^(?:在|往|向)?\s*(.+?)\s*(?:中|里|内|里面)\s*(?:帮我)?(?:写上|写下|写|填上|填)\s*[：:]?\s*(.+)$/))) return [typeStep(m[2], desc(m[1], c), c)];
  if ((m = t.match(/^(?:输入|填写|填入|键入)\s*(.+?)\s*(?:到|至|进|在)\s*(.+?)\s*(?:中|里|内|里面)?$/))) return [typeStep(m[1], desc(m[2], c), c)];
  // "确认密码那一栏输入 abc12345", "备注框里填 加急": the field named first, no 在.
  if ((m = t.match(/^(\S{2,12}?)\s*(?:那一?栏|这一?栏|一栏|框|栏)(?:里|中|内)?\s*(?:输入(?![框栏])|填写|填入|填|键入)\s*(.+)$/))) return [typeStep(m[2], desc(`${m[1]}输入框`, c), c)];
  if ((m = t.match(/^(?:输入|填写|键入)\s*(.+)$/))) return [typeStep(m[1], undefined, c)];
  // 把金额填成500, 把备注改为"生活费": the field first, then its new value.
  if ((m = t.match(/^(?:把|将)\s*(.+?)\s*(?:填成|填为|填写为|改成|改为|设为|设置为|设成)\s*(.+)$/))) return [typeStep(m[2], desc(m[1], c), c)];
  // 把自动连播关掉, 把深色模式打开: the switch beside the words.
  if ((m = t.match(/^(?:把|将)\s*(.+?)\s*(?:关掉|关闭|关上|打开|开启|开起来)$/))) return [{ click: `the switch next to ${desc(m[1].replace(/^(?:右侧|左侧|顶部|底部|上方|下方)的?/, ''), c)}` }];
  // 把左边变现中心展开: the group's name, on the side said (左边 is 左侧).
  if ((m = t.match(/^(?:把|将)\s*(.+?)\s*(?:展开|收起|折叠)(?:一下)?$/))) return [{ click: desc(m[1].replace(/^(左|右)边的?/, '$1侧'), c) }];
  // 改成到店自取, 切换成列表视图: the choice named.
  if ((m = t.match(/^(?:改成|改为|切换成|切换为|换成)\s*(.+)$/))) return [{ click: desc(m[1], c) }];
  if ((m = t.match(/^双击\s*(.+)$/))) return [{ click: { target: desc(m[1], c), count: 2 } }];
  if ((m = t.match(/^(?:右击|右键单击)\s*(.+)$/))) return [{ click: { target: desc(m[1], c), button: 'right' } }];
  // "关闭按钮", "点击展开图标": a verb before a kind word only is the control's name.
  if ((m = t.match(/^(?:点击|单击|点按|轻触|点开(?![始关通启户])|点(?!赞)|看看|瞧瞧|看一下|((?:打开|展开|关闭|开启|启用|禁用)(?=\s*(?:按钮|图标|键)$))|打开|展开|关闭|开启|启用|禁用)\s*(.+)$/))) return [{ click: desc((m[1] ?? '') + m[2], c) }];
  if ((m = t.match(/^(?:按下|按|敲)\s*(.+?)$/))) {
    const saidKey = /键$/.test(m[1]);
    const name = restoreBare(m[1].replace(/键$/, ''), c.quotes).trim();
    const chord = ONE_PLACEHOLDER.test(m[1]) && !saidKey ? undefined : keyChord(name, saidKey);
    if (chord) return [{ press: chord.length === 1 ? chord[0] : chord }];
    return [{ click: desc(m[1], c) }];
  }
  if ((m = t.match(/^(?:从|在)\s*(.+?)\s*(?:中|里)\s*(?:选择|选中|选)\s*(.+)$/))) return [{ select: { option: optionText(m[2], c), in: desc(m[1], c) } }];
  if ((m = t.match(/^(?:选择|选中)\s*(.+)$/))) return [{ select: optionText(m[1], c) }];
  // "勾选'优衣库官方旗舰店'店铺名前面的复选框": the box said after the name it goes with starts that
  // name's row (a shop's icon may sit between them).
  if ((m = t.match(/^(?:勾选|取消勾选)\s*(.+)$/))) {
    const name = m[1].replace(/(?<=\u0002)\s*[\u4e00-\u9fff]{0,4}?(?:前面|左边)的?(?:复选框|勾选框|选框|框)$|(?<=\S)\s*(?:前面|左边)的?(?:复选框|勾选框|选框|框)$/, '');
    return [{ click: name === m[1] ? `the checkbox next to ${desc(m[1], c)}` : `the checkbox in the row with ${desc(name, c)}` }];
  }
  if ((m = t.match(/^(?:(?:向|往)([上下左右]))?滚动(?:页面)?(?:到|至|直到)?\s*(.*?)(?:出现)?$/))) {
    const direction = ({ 上: 'up', 下: 'down', 左: 'left', 右: 'right' } as const)[(m[1] ?? '下') as '上'];
    return [m[2] ? { scroll: { direction, until: desc(m[2], c) } } : { scroll: direction }];
  }
  if ((m = t.match(/^等待\s*(.+)$/))) return [waitStep(m[1], c)];
  // 验证码 is a verification code, not "verify 码".
  if ((m = t.match(/^(?:确认|检查|验证(?!码)|确保)\s*(.+?)\s*(?:已?(?:出现|显示)|可见)?$/))) return [{ assert: assertionText(m[1], c) }];
  const known = 'click, press, type/enter, fill in … with, select, check, drag, scroll, wait, verify, hover, expand, go back';
  fail(c, `it does not start with an instruction I know (${known}; 点击, 输入, 按, 选择, 勾选, 拖到, 滚动, 等待, 确认)`);
}

function typeStep(valuePhrase: string, into: string | undefined, c: ClauseContext): Step {
  const v = valuePhrase.trim().replace(/[.!?。！]+$/, '');
  const text = ONE_PLACEHOLDER.test(v) ? restoreBare(v, c.quotes) : restoreBare(v, c.quotes).trim();
  if (!v) fail(c, 'no text to type');
  return { type: into ? { text, into } : { text } };
}

const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

/** "Enter "a" into X", "Enter the username "a" and the password "b" into the text fields". */
function parseType(rest: string, c: ClauseContext): Step[] {
  const r = rest.trim();
  if (!r) fail(c, 'no text to type');
  const split = r.match(/^(.*\S)\s+(?:into|in|inside|to|on)\s+(.+)$/i);
  const valuePart = split ? split[1] : r;
  const fieldPart = split ? split[2] : undefined;
  const items = valuePart.split(/\s*,\s*(?:and\s+)?|\s+and\s+/i).filter((x) => x.trim());
  const plural = fieldPart !== undefined && /\b(?:fields|boxes|inputs|textboxes)\b/i.test(fieldPart);
  const steps: Step[] = [];
  items.forEach((item, k) => {
    const ids = placeholders(item);
    if (ids.length > 1) fail(c, `"${restoreQuoted(item, c.quotes)}" has more than one quoted value`);
    if (ids.length === 1) {
      const label = stripFiller(item.replace(/\u0002\d+\u0002/, ' ').replace(/\b(?:enter|type)\b/gi, ' '));
      const text = c.quotes[ids[0]];
      if (label) return steps.push({ type: { text, into: label } });
      if (!fieldPart) return steps.push({ type: { text } });
      if (items.length > 1 && plural) {
        const generic = fieldPart.replace(/\b(fields|boxes|inputs|textboxes)\b/i, (w) => w.replace(/e?s$/i, ''));
        return steps.push({ type: { text, into: `the ${ORDINAL_WORDS[k] ?? `${k + 1}th`} ${generic.replace(/^(?:the|all)\s+/i, '').trim()}` } });
      }
      return steps.push({ type: { text, into: desc(fieldPart, c) } });
    }
    if (items.length > 1) fail(c, `put each value in quotes ("${restoreQuoted(item, c.quotes)}" is not quoted)`);
    steps.push({ type: fieldPart ? { text: item.trim(), into: desc(fieldPart, c) } : { text: item.trim() } });
  });
  return steps;
}

function optionText(phrase: string, c: ClauseContext): string {
  const p = phrase.trim().replace(/[.!?。！]+$/, '');
  if (ONE_PLACEHOLDER.test(p.replace(/^(?:the\s+)?(?:option\s+)?/i, '').replace(/\s+option$/i, ''))) {
    return quoteLiteral(c.quotes[placeholders(p)[0]]);
  }
  const bare = p.replace(/^(?:the\s+)?(?:option\s+)?/i, '').replace(/\s+option$/i, '').trim();
  if (!bare) fail(c, 'no option named');
  return restoreQuoted(bare, c.quotes);
}

function assertionText(phrase: string, c: ClauseContext): string {
  const p = phrase
    .replace(/\s+(?:is|are)\s+(?:shown|visible|displayed|on\s+(?:the\s+)?(?:screen|page))$/i, '')
    .replace(/\s+(?:appears|shows|exists)$/i, '')
    .replace(/^(?:the\s+)?(?:text|message)\s+/i, '')
    .trim();
  if (!p) fail(c, 'nothing to look for');
  const ids = placeholders(p);
  return ids.length === 1 && ONE_PLACEHOLDER.test(p) ? quoteLiteral(c.quotes[ids[0]]) : restoreQuoted(p, c.quotes);
}

function waitStep(phrase: string, c: ClauseContext): Step {
  const p = phrase.trim();
  const n = p.match(/^(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|秒|毫秒)?$/i);
  if (n) {
    const ms = /^(?:ms|millisecond|毫秒)/i.test(n[2] ?? '') ? Number(n[1]) : Number(n[1]) * 1000;
    return { wait: Math.round(ms) };
  }
  if (/^(?:a\s+(?:moment|second|bit)|一下|片刻)$/i.test(p)) return { wait: 1000 };
  const target = p.replace(/\s*(?:to\s+(?:appear|be\s+(?:shown|visible))|appears?|出现|显示)$/i, '').replace(/^(?:until\s+)?/i, '');
  if (!target.trim()) fail(c, 'say how long to wait or what to wait for');
  return { wait: { for: assertionText(target, c) } };
}

function isUrl(s: string): boolean {
  return /^(?:https?:\/\/|\/)\S+$/i.test(s) || /^\S+\.html?(?:[?#]\S*)?$/i.test(s);
}

/** The last thing a step pointed at, for pronouns in later clauses ("… and click it"). */
function lastTarget(steps: Step[]): string | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const st = steps[i] as Record<string, unknown>;
    const v = Object.values(st)[0];
    if ('click' in st || 'hover' in st) return typeof v === 'string' ? v : (v as { target: string }).target;
    if ('drag' in st) return (v as { from: string }).from;
    if ('scroll' in st && typeof v === 'object' && (v as { until?: string }).until) return (v as { until: string }).until;
    if ('select' in st) return typeof v === 'string' ? v : (v as { option: string }).option;
  }
  return undefined;
}

/** Parses a goal into steps; throws GoalParseError naming the part it did not understand. */
export function parseGoal(goal: string): ParsedGoal {
  const trimmed = goal.trim();
  if (!trimmed) throw new GoalParseError('the goal is empty: say what to do, e.g. Click on the "OK" button', '');
  const sk = extractGoalQuotes(trimmed);
  const steps: Step[] = [];
  const clauses: string[] = [];
  for (const clause of splitClauses(sk.skeleton, sk.quotes)) {
    const fragment = restoreQuoted(clause, sk.quotes).trim();
    const made = parseClause(clause, { quotes: sk.quotes, fragment, previous: lastTarget(steps) });
    for (const st of made) {
      const r = StepSchema.safeParse(st);
      if (!r.success) throw new GoalParseError(`could not understand "${fragment}": ${r.error.issues[0]?.message ?? 'invalid step'}`, fragment);
      steps.push(r.data);
      clauses.push(fragment);
    }
  }
  if (!steps.length) throw new GoalParseError(`no instruction found in "${trimmed}"`, trimmed);
  return { steps, clauses };
}
