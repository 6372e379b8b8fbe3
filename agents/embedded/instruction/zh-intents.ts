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
const ONE_MORE = /^(?:给|帮我给)?([^\s]*[\u4e00-\u9fff])(?:再)?(?:加一份|加一个|加一|加1|\+1|多来一份)$/;
const ONE_LESS = /^(?:给|帮我给)?([^\s]*[\u4e00-\u9fff])(?:减一份|减一个|减一|减1|-1|少来一份)$/;

export function zhIntentReading(text: string): { step: Step; alternatives?: Step[] } | undefined {
  const s = text.replace(/[。！!]+$/, '').trim();
  let m = s.match(ACT_ON_THIS);
  if (m) return { step: { click: m[1] } };
  if (GIVE_THIS.test(s)) return { step: { click: '点赞' } };
  if ((m = s.match(ONE_MORE)) && !/^(?:这|该)/.test(m[1])) return { step: { click: `plus icon near ${quoteLiteral(m[1].trim())}` }, alternatives: [{ click: `"+" near ${quoteLiteral(m[1].trim())}` }] };
  if ((m = s.match(ONE_LESS)) && !/^(?:这|该)/.test(m[1])) return { step: { click: `minus icon near ${quoteLiteral(m[1].trim())}` }, alternatives: [{ click: `"-" near ${quoteLiteral(m[1].trim())}` }] };
  return undefined;
}
