import type { Step } from '../../../src/core/task.ts';
import { quoteLiteral } from '../quotes.ts';

/**
 * Chinese acts on what the user is looking at: "收藏这家店" (favourite this shop), "关注这个UP主"
 * (follow this uploader), "给这个视频点个赞" (like this video): the object is the screen itself,
 * so the act's own control is meant (its label or icon). "给可乐加一" (one more cola): the plus
 * beside the item.
 */

const ACTS = '收藏|关注|点赞|分享|转发|举报|下载|置顶|订阅|投币';
const THIS = '(?:这|该|此)(?:个|家|条|篇|首|部|位|款|张)?[\\u4e00-\\u9fffA-Za-z]{0,5}';
const ACT_ON_THIS = new RegExp(`^(${ACTS})(?:一下)?${THIS}$`);
const GIVE_THIS = new RegExp(`^给${THIS}(?:点个?赞|点赞)$`);
// The item's name ends in a Chinese character: "db-replica-1" is no "one less".
// "加一袋", "再加一手", "多买一件": one more of what the user counts in.
const COUNTED = '(?:一|1)(?:份|个|件|袋|手|瓶|盒|箱|杯|包|只|本)?';
const ONE_MORE = new RegExp(`^(?:给|帮我给)?([^\\s]*?[\\u4e00-\\u9fff])(?:再)?(?:(?:加|多买|多来|多要)${COUNTED}|\\+1)$`);
const ONE_LESS = new RegExp(`^(?:给|帮我给)?([^\\s]*?[\\u4e00-\\u9fff])(?:再)?(?:(?:减|少买|少来|少要)${COUNTED}|-1)$`);

/** "猪肉脯数量" is the item's count: the item's name is what its row shows; "买入数量" is a stepper's own label. */
function countedItem(name: string): string[] {
  const item = name.replace(/(?:的)?(?:数量|个数|件数)$/, '');
  // Too short a name ("买入") is no item: it would place the plus anywhere.
  return item && item !== name && [...item].length >= 3 ? [name, item] : [name];
}

function stepper(icon: 'plus' | 'minus', glyph: string, name: string): { step: Step; alternatives?: Step[] } {
  const [first, ...rest] = countedItem(name.trim()).map(quoteLiteral);
  return { step: { click: `${icon} icon near ${first}` }, alternatives: [{ click: `"${glyph}" near ${first}` }, ...rest.flatMap((n) => [{ click: `${icon} icon near ${n}` }, { click: `"${glyph}" near ${n}` }])] };
}

export function zhIntentReading(text: string): { step: Step; alternatives?: Step[] } | undefined {
  const s = text.replace(/[。！!]+$/, '').trim();
  let m = s.match(ACT_ON_THIS);
  if (m) return { step: { click: m[1] } };
  if (GIVE_THIS.test(s)) return { step: { click: '点赞' } };
  if ((m = s.match(ONE_MORE)) && !/^(?:这|该)/.test(m[1])) return stepper('plus', '+', m[1]);
  if ((m = s.match(ONE_LESS)) && !/^(?:这|该)/.test(m[1])) return stepper('minus', '-', m[1]);
  return undefined;
}
