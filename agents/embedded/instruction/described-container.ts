import type { Step } from '../../../src/core/task.ts';

/** Containers named by what they hold or do ("the player controls", "the editor title bar"), which rarely show their name. */
const DESCRIBED_CONTAINER =
  /^(.+?)\s+(?:in|on|at|inside|within|from)\s+(?:the\s+)?((?:[\w-]+\s+){0,3}(?:bar|toolbar|controls|header|footer|panel|pane|drawer|rail|strip|ribbon|palette|tray|breadcrumbs?))$/i;
/** Words that name a container (a row is none: it says which one; 右侧 or 下面 says where, relative to what is named). */
const ZH_CONTAINER = /工具栏|导航栏|栏|列表|面板|抽屉|区域|卡片|弹窗|对话框|窗口|菜单|浮层|侧边栏/;
/** "订单列表下一页", "日期栏向后翻页": the thing right after a container's word, with no 的. */
const ZH_CONTAINER_THEN = /^(\p{Script=Han}{1,8}?(?:列表|工具栏|导航栏|栏|面板|菜单))(\p{Script=Han}{2,8})$/u;
/** "列设置" of "表格工具栏右侧的列设置", "小眼睛" of "显示余额的小眼睛": the thing after the last 的. */
const ZH_TAIL = /^(\p{Script=Han}.*)的(\p{Script=Han}{2,8})$/u;

/**
 * "raise hand button in the bottom control bar", "表格工具栏右侧的列设置按钮": a container
 * described, not named, is looked for by its name first; when that is not on screen, the thing
 * alone (a tie among several is still refused).
 */
export function withoutDescribedContainer(d: string): Step | undefined {
  const en = d.match(DESCRIBED_CONTAINER);
  // A container with a name ("the Settings panel") is looked for by that name, never dropped.
  if (en && !/\p{Lu}|\d/u.test(en[2])) {
    const thing = en[1].trim();
    const place = en[2].match(/\b(top|bottom)\b/i)?.[1].toLowerCase();
    return thing.replace(/\b(?:button|btn|icon|link|symbol|the|a|an)\b/gi, ' ').trim() ? { click: place ? `${thing} at the ${place}` : thing } : undefined;
  }
  const zh = d.replace(/(?:按钮|图标|链接)$/, '').match(ZH_TAIL) ?? d.replace(/(?:按钮|图标|链接)$/, '').match(ZH_CONTAINER_THEN);
  if (!zh || /^(?:那个|这个|按钮|图标)$/.test(zh[2]) || !ZH_CONTAINER.test(zh[1]) || /行$/.test(zh[1])) return undefined;
  // "订单列表下一页": the list's pager.
  const paging = zh[2].match(/^(上|下)一页$/);
  if (paging) return { click: `the pager's ${paging[1] === '下' ? 'next' : 'previous'} arrow` };
  return { click: `${zh[2]}${/图标$/.test(d) ? '图标' : ''}` };
}
