/**
 * Chinese phrasings put in the order the readers expect, before anything is read:
 * - "在目录里跳到待办事项" (in the outline, jump to the to-dos): the place said first, then the act;
 *   read as the act on the thing in that place ("点击目录里的待办事项").
 * - 跳到, 转到 (jump, go to) are clicks on where to go.
 * - "展开全部频道看看", "刷新下余票看看": 看看 after an act is "and see", no part of the target.
 * - "周日那天", "待办事项那一节", "G107那趟车": 那 + a measure word after a name points at it.
 * - "给张伟回个消息": that person's chat; "评价区 查看全部": the thing under the section's name.
 */

// (跳到第3页 is the pager's; 切换到 is read as a tab's switch elsewhere.)
const GO_TO = /^(?:跳到|跳转到|转到)(?=\S)(?!第\s*\S+\s*页)/;
const PLACE_FIRST = /^在([^，,。]{1,12}?)(?:里面|里|中|内|上)[，,]?\s*(点击|点一下|点|跳到|跳转到|转到)(.+)$/;
// "点开25号那笔美团外卖看看详情", "切到直播那栏看看有没有人在播": what is to be seen after it, too.
const SEE_AFTER = /(?<=(?:\p{Script=Han}|[A-Za-z0-9]){2})\s*(?:看看|瞧瞧|看一看|看一下)[^，。,]{0,14}$/u;
const POINTED = /(?<=(?:\p{Script=Han}|[A-Za-z0-9]){2})(?:那|这)一?(?:天|节|章|趟车|趟|篇|首|部|张|本|位)$/u;

export function tidyChinese(text: string): string {
  let s = text;
  const placed = s.match(PLACE_FIRST);
  if (placed) s = `${placed[2]}${placed[1]}里的${placed[3]}`;
  s = s.replace(GO_TO, '点击').replace(/^(点击|点)(?:跳到|跳转到|转到)(?!第\s*\S+\s*页)/, '$1');
  const unseen = s.replace(SEE_AFTER, '');
  if (unseen.replace(/^(?:点击|点一下|点开|点|打开|切到|切换到|进入)/, '').length >= 2) s = unseen;
  s = s.replace(/^刷新下(?=\p{Script=Han})/u, '刷新');
  // Only when a name is left: "点击那天" keeps its words.
  const unpointed = s.replace(POINTED, '');
  if (unpointed.replace(/^(?:点击|点一下|点|选择|打开|勾选)/, '').length >= 2) s = unpointed;
  // "切换到公式选项卡": the tab of that name.
  const tab = s.match(TAB_SWITCH);
  if (tab) s = `点击「${tab[1]}」`;
  // "右上角那三个点": 那 before a count points at the thing counted.
  s = s.replace(/(?<=\p{Script=Han})那(?=[一二两三四五六七八九十]个)/u, '的');
  // "给张伟回个消息": in a chat app, that person's chat.
  const chat = s.match(MESSAGE_TO);
  if (chat) s = `点击「${chat[1]}」`;
  // "评价区 查看全部" (ScreenSpot's "section target"): the thing in the section the first words name.
  const section = s.match(IN_SECTION);
  if (section) s = `${section[1]}里的${section[2]}`;
  // RPA: "将「专车」复选框设为选中", "将订单「#21」的「出餐」开关设为开启": the state said is the act.
  const state = s.match(SET_STATE);
  if (state) s = `${ON_STATE.test(state[3]) ? (state[2] === '开关' ? '打开' : '勾选') : state[2] === '开关' ? '关闭' : '取消勾选'}${state[1]}${state[2]}`;
  return s;
}

const SET_STATE = /^(?:将|把)\s*(.+?)\s*(开关|复选框|勾选框|选择框)\s*(?:设为|设置为|设成|改为|改成|调为|切换为)\s*[「“"]?(开启|打开|开|启用|选中|勾选|已勾选|关闭|关|禁用|未选中|不选|取消勾选)[」”"]?(?:状态)?$/;
const ON_STATE = /^(?:开启|打开|开|启用|选中|勾选|已勾选)$/;

const TAB_SWITCH = /^(?:点击|点)?(?:切换到|切到|切换至)\s*「?([^」\s]{1,8}?)」?\s*(?:选项卡|标签页|页签|标签|那栏|那一栏|这栏|频道)$/;
const MESSAGE_TO = /^(?:帮我)?(?:给|跟|和)\s*([^\s，,的]{1,8}?)\s*(?:回|发|回复)(?:个|一条|条)?(?:消息|信息|微信)$/;
const IN_SECTION = /^(\p{Script=Han}{2,8}?)(?:区|区域|栏|模块|板块)\s+(\S{2,12})$/u;
