import type { Step } from '../../../src/core/task.ts';

/**
 * "订单列表下一页", "日志列表上一页": a list's pager, said with the list's name before it and no
 * 的. The list's name is not on screen as such; its pager's arrow is meant.
 *
 * (Dropping a described container in general, "rewind button in the player controls" → the
 * thing alone, was measured on the frozen half: one more right answer and one more wrong click,
 * so it is not done.)
 */
const LIST_PAGER = /^\p{Script=Han}{1,8}?(?:列表|表格|栏)(上|下)一页$/u;

export function listPager(d: string): Step | undefined {
  const m = d.replace(/(?:按钮|图标|链接)$/, '').match(LIST_PAGER);
  return m ? { click: `the pager's ${m[1] === '下' ? 'next' : 'previous'} arrow` } : undefined;
}
