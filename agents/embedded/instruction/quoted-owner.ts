/**
 * A control named with the quoted thing it belongs to: "the three-dot menu of the 'Bump pg' run",
 * "点击'陈志强'医生的'预约'按钮", "'刘芳'医生卡片右上角的星形收藏图标". The grammar would click the
 * quoted text; the control is meant, in the quoted one's row or card.
 */
import type { Step } from '../../../src/core/task.ts';
import { HAS_QUOTES, quoteLiteral, unquote } from '../quotes.ts';
import { cellDescription } from '../ground/table-cell.ts';

const ZH_QUOTED_OF_QUOTED = /^(["“'「][^"”'」]+["”'」])[^"”'」]{0,8}?的(["“'「][^"”'」]+["”'」])(?:按钮|链接|图标)?$/;
const ZH_CONTROL_OF_QUOTED = /^(["“'「][^"”'」]+["”'」])[^"”'」]{0,16}?的([^的"“'「]{1,12}(?:图标|按钮|链接|箭头|复选框|开关))$/;
/** A control, named before the quoted thing it belongs to. */
const CONTROL_HEAD = /^(?:the\s+)?(.*\b(?:menu|button|icon|link|checkbox|check\s*box|switch|toggle|dots|kebab|arrow|chevron))\s+(?:of|for|on|in)\s+(?:the\s+)?(["“'][^"”']+["”'])(?:\s+(?:row|run|item|entry|line|card|ticket|task|file|email|message|job|build|order|record))?$/i;

/**
 * "the three-dot menu of the 'Bump pg' run", "the edit icon for 'Lodging'": the quotes name the
 * row the control is in, not the target (the grammar would click the quoted text).
 */
export function controlOfQuoted(step: Step): Step[] | undefined {
  if (!('click' in step) || typeof step.click !== 'string') return undefined;
  // "点击'陈志强'医生的'预约'按钮": the second quote is the target, in the first one's card or row.
  const two = step.click.match(ZH_QUOTED_OF_QUOTED);
  if (two) return [{ click: `${two[2]} near ${two[1]}` }, { click: `${two[2]} in the row with ${two[1]}` }];
  // "'刘芳'医生卡片右上角的星形收藏图标": a control of the quoted one's (its card, its row).
  const zh = step.click.match(ZH_CONTROL_OF_QUOTED);
  if (zh) {
    const [near, row] = [{ click: `${zh[2]} near ${zh[1]}` }, { click: `${zh[2]} in the row with ${zh[1]}` }];
    return /行/.test(zh[0]) ? [row, near] : [near, row];
  }
  const m = step.click.match(CONTROL_HEAD);
  // "the link for 'Pricing'" is the link Pricing: a bare role word names no control of its own.
  if (!m || HAS_QUOTES.test(m[1]) || (!/\s/.test(m[1].trim()) && !/kebab|dots|checkbox|switch|toggle|chevron|arrow/i.test(m[1]))) return valueOfQuoted(step.click);
  return [{ click: `${m[1]} in the row with ${m[2]}` }, { click: `${m[1]} near ${m[2]}` }];
}

/** A value named before the quoted thing it belongs to: "the instance ID of the instance named 'web-1'". */
const VALUE_HEAD = /^(?:the\s+)?([\p{L}][\p{L}\d -]{0,24}?)\s+(?:of|for)\s+(?:the\s+)?(?:[\p{L}-]+\s+)?(?:named|called|titled|labell?ed)?\s*(["“'][^"”']+["”'])$/iu;
const NOT_A_VALUE = /\b(?:button|btn|link|icon|menu|tab|row|line|entry|item|option|card|text|label|name)$/i;

/**
 * "the instance ID of the instance named 'payments-worker-2'", "the price of 'Blue Shirt'": the
 * quoted one names the row; the value is that row's cell in the column the words head (or those
 * words in its row). Clicking the quoted name itself would be the wrong cell.
 */
function valueOfQuoted(d: string): Step[] | undefined {
  const m = d.match(VALUE_HEAD);
  if (!m || NOT_A_VALUE.test(m[1].trim())) return undefined;
  const [column, row] = [m[1].trim(), unquote(m[2])];
  return [{ click: cellDescription(column, { text: row }, quoteLiteral) }, { click: `${quoteLiteral(column)} in the row with ${quoteLiteral(row)}` }];
}
