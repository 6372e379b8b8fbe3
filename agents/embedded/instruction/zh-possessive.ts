import type { Step } from '../../../src/core/task.ts';
import { quoteLiteral } from '../quotes.ts';

/**
 * Chinese names a thing by what it belongs to: "产品设计群的群头像" (the group's avatar),
 * "区域销售排行右上角的查看全部" ("查看全部" at the top right of the ranking), "验证码那一栏" (the
 * code's field), "刷新今日销售额卡片的数据" (refresh the card's data). A second reading, tried when
 * the words are not on screen as written: the thing after the last 的 (or the role word), near
 * the owner before it, with the owner's container and place words left out.
 */

const CONTAINER = /(?:卡片|面板|区域|模块|页面|列表|窗口|弹窗|对话框|栏目|这一行|那一行)$/;
const PLACE = /(?:那里|这里|那儿|这儿|上面|下面|里面|右上角|左上角|右下角|左下角|顶部|底部|左侧|右侧|旁边|上|里|中)$/;
/** What the thing is, when that is all the words after 的 say. */
const ROLES: Array<[RegExp, (owner: string) => string]> = [
  [/^(?:开关|切换开关)$/, (o) => `the switch next to ${o}`],
  [/^(?:复选框|勾选框|选框)$/, (o) => `the checkbox next to ${o}`],
  [/^(?:那?一?栏|输入框|文本框|框|输入栏)$/, (o) => `the field labelled ${o}`],
];
const ICON_TAIL = /(?:图标|箭头|头像|按钮)$/;
/** Verbs whose control is an icon or button of that name on the owner ("刷新…卡片的数据"). */
const ACTS = /^(刷新|删除|编辑|分享|下载|收藏|复制|置顶|关闭|展开|折叠)/;

/** A place's marker or pin on a map, clicked by its label. */
const MARKER = /^(?:标注|标记|图钉|定位点|位置点)$/;
/** Where the owner is said to be, before it: "地图上", "列表里". */
const WHERE_FIRST = /^(?:地图|列表|页面|屏幕|表格|表|右侧|左侧)(?:上|里|中|内)/;

function owner(s: string): string {
  let o = s.trim().replace(WHERE_FIRST, '');
  // "全季那家的详情": the demonstrative and its measure word point at the owner.
  for (let i = 0; i < 3; i++) o = o.replace(PLACE, '').replace(CONTAINER, '').replace(/的$/, '').replace(/(?<=.{2})(?:那|这)(?:家|个|款|条|笔|位|件|张|篇|首)$/, '').trim();
  return o;
}

export function zhPossessiveAlternative(d: string): Step | undefined {
  if (!/[\u4e00-\u9fff]/.test(d) || /["“”「」]/.test(d)) return undefined;
  const s = d.trim();
  // "验证码那一栏": the field of the words before 那一栏, with no 的.
  const field = s.match(/^(.+?)(?:那|这)一?栏$/);
  if (field && owner(field[1])) return { click: `the field labelled ${quoteLiteral(owner(field[1]))}` };
  // "星巴克那个导航按钮": 那个 after the owner says "its", as 的 does.
  const demonstrative = s.includes('的') ? undefined : s.match(/^(.{2,}?)(?:那个|这个)(?=.)/);
  const cut = demonstrative ? demonstrative[1].length : s.lastIndexOf('的');
  const skip = demonstrative ? 2 : 1;
  if (cut <= 0 || cut + skip >= s.length) return undefined;
  // "T恤那行的小爱心", "张伟所在行的编辑": the thing in the owner's row.
  const row = s.slice(0, cut).replace(WHERE_FIRST, '').match(/^(.+?)(?:那|这)?一?(?:所在的?)?行$/);
  if (row && row[1].length >= 2) {
    const thing = s.slice(cut + skip).replace(/^小/, '');
    const icon = ICON_TAIL.test(thing) || !/按钮$/.test(thing);
    const name = thing.replace(ICON_TAIL, '');
    return name ? { click: `${icon ? name : quoteLiteral(name)} in the row with ${quoteLiteral(row[1])}` } : undefined;
  }
  const act = s.match(ACTS);
  const head = owner(act ? s.slice(act[0].length, cut) : s.slice(0, cut));
  const thing = s.slice(cut + skip).trim();
  if (!head || head.length < 2) return undefined;
  const o = quoteLiteral(head);
  // "地图上浙江省人民医院的标注": a place's marker is its label on the map.
  if (MARKER.test(thing)) return { click: o };
  if (act) return { click: `${act[1]} icon near ${o}` };
  const role = ROLES.find(([re]) => re.test(thing));
  if (role) return { click: role[1](o) };
  const name = /头像$/.test(thing) ? '头像' : thing.replace(ICON_TAIL, '');
  if (!name) return undefined;
  if (ICON_TAIL.test(thing) && !/按钮$/.test(thing)) return { click: `${name} icon near ${o}` };
  // "目录里的待办事项": inside what the owner heads (a panel's title, a list's heading), listed under it.
  // (A card or panel said by its kind, "户籍迁移卡片中的", holds its buttons anywhere: near.)
  // "出发日期框里的日历": inside a field is an icon or a value of that field, beside its label.
  const box = head.match(/^(.{2,}?)(?:输入框|文本框|框)$/);
  if (box) return { click: `${name} icon near ${quoteLiteral(box[1])}` };
  const inside = /(?:里面|里|中|内)$/.test(s.slice(0, cut)) && !CONTAINER.test(s.slice(0, cut).replace(/(?:里面|里|中|内)$/, ''));
  return { click: inside ? `${quoteLiteral(name)} in the ${o} list` : `${quoteLiteral(name)} near ${o}` };
}

/**
 * "七里香这张专辑", "稻香那首歌", "罗技那款": a demonstrative with a measure word after a name says
 * what kind of thing the name is, not where it is. The name is the target; when its kind is said,
 * first in the column that kind heads (a song list's 专辑 column holds the album of that name, where
 * the title column may hold a song of the same name).
 */
const CLASSIFIED = /^(.{2,}?)(?:这|那)(?:张|首|款|篇|部|本|家|条|笔|位|份|件|台|支|只|间|辆|封|场|集|期|段)((?!的)[\u4e00-\u9fff]{0,4})$/;

/** What kind of thing a name is: a list's column may be headed by the word. */
const ZH_KINDS = /^(?:专辑|歌|歌曲|单曲|歌单|视频|文章|笔记|帖子|动态|商品|宝贝|店|店铺|餐厅|订单|账单|表格|文件|文档|群|群聊|电影|电视剧|书|课|课程|酒店|航班|车次|机票|票|会议|日程|邮件|消息|项目|任务|流程|审批|单子|报销单|快递|包裹|键盘|鼠标|手机|耳机|衣服|鞋)$/;

export function zhClassifiedAlternatives(d: string): Step[] {
  // "那个讲原神的视频", "右侧推荐里那个讲量子计算的视频": the one about that, known by its title's words.
  const about = d.trim().match(/(?:那个|这个|那条|那篇)?(?:讲|关于|介绍|有关)(.{2,12}?)的(?:视频|文章|笔记|帖子|课程?|新闻|直播|专辑|歌单|书)$/);
  if (about) return [{ click: quoteLiteral(about[1]) }];
  // "小鹿酱发的那篇": the one its author posted, known on screen by the author's name.
  const by = d.trim().match(/^(.{2,}?)(?:发|写|上传|分享|转发|拍|唱|做)的(?:(?:那|这)(?:篇|个|条|首|张|部|段))?$/);
  if (by) return [{ click: quoteLiteral(by[1]) }];
  const m = d.trim().match(CLASSIFIED);
  if (!m || /[的里中上]$/.test(m[1])) return [];
  const name = quoteLiteral(m[1].trim());
  if (!m[2]) return [{ click: name }];
  // "周杰伦那首稻香": what follows is a name, and the words before say whose.
  if (!ZH_KINDS.test(m[2])) return [{ click: `${quoteLiteral(m[2])} near ${name}` }];
  return [{ click: `${name} in the ${m[2]} column` }, { click: name }];
}
