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
// "给买家“小鱼爱吃鱼”那单发货": the act's button on the record (order, request) of the one named.
const ACT_ON_RECORD =
  /^(?:给|帮|替|为)(?:买家|客户|用户|顾客|卖家|员工|同事)?\s*[“"「『]?([^“”"「」『』\s]{2,20}?)[”"」』]?\s*(?:的?那|的这)一?(?:单|笔|条|份)(?:订单|记录|申请)?(\p{Script=Han}{2,4})$/u;
const SWAP = /^(?:把|将)(\S{2,8}?)和(\S{2,8}?)(?:互换|交换|对调|换)(?:一下|过来|位置)?$/;
// 订 alone starts many words (订单, 订阅): only before a number or a counted seat or room.
// What is booked is named by its code (G107, MU5137, 1208): 预订记录, 预订须知 are labels.
const BOOK = /^(?:预订|预定|订)(?:一张|一间)?([A-Za-z]{0,3}\d{2,5}[A-Za-z]?)(?:次|号)?(?:的票|的车票|车票|的房间|房间)?$/u;
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
  let m = s.match(ACT_ON_RECORD);
  if (m) {
    const [name, act] = [quoteLiteral(m[1].trim()), quoteLiteral(m[2].replace(/^(?:加个|加上|添加|写个|做个)/, ''))];
    return { step: { click: `${act} in the row with ${name}` } };
  }
  // "把出发地和目的地换一下": the swap control between the two.
  if ((m = s.match(SWAP))) {
    const [a, b] = [quoteLiteral(m[1].trim()), quoteLiteral(m[2].trim())];
    return { step: { click: `swap icon near ${a}` }, alternatives: [{ click: `"⇄" near ${a}` }, { click: `swap icon near ${b}` }] };
  }
  // "帮我订G107那趟车": the booking button on that train's (room's, flight's) row.
  if ((m = s.match(BOOK))) {
    const name = quoteLiteral(m[1].trim());
    return { step: { click: `"预订" in the row with ${name}` }, alternatives: [{ click: `"预定" in the row with ${name}` }] };
  }
  m = s.match(ACT_ON_THIS);
  if (m) return { step: { click: m[1] } };
  if (GIVE_THIS.test(s)) return { step: { click: '点赞' } };
  if ((m = s.match(ONE_MORE)) && !/^(?:这|该)/.test(m[1])) return stepper('plus', '+', m[1]);
  if ((m = s.match(ONE_LESS)) && !/^(?:这|该)/.test(m[1])) return stepper('minus', '-', m[1]);
  return undefined;
}
