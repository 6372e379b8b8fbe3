import { describe, expect, it } from 'vitest';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { parseDescription } from '../../../../agents/embedded/ground/describe.ts';
import { placesTarget } from '../../../../agents/embedded/alternatives.ts';

describe('readGoal: phrasings from the sixth tuning batch', () => {
  it('types into a field whose name holds 输入框, the verb being the 输入 that follows', () => {
    expect(readGoal('在消息输入框中输入 收到').steps).toEqual([{ type: { text: '收到', into: '消息输入框' } }]);
    expect(readGoal('在搜索框中输入 北京').steps).toEqual([{ type: { text: '北京', into: '搜索框' } }]);
    expect(readGoal('在用户名中输入alice，然后点击登录').steps).toEqual([{ type: { text: 'alice', into: '用户名' } }, { click: '登录' }]);
  });

  it("reads a player's seek by its seconds, in English and Chinese", () => {
    const r = readGoal('go back 15 seconds, i missed that');
    expect(r.steps).toEqual([{ click: 'back 15 seconds icon' }]);
    expect(r.asides).toEqual(['i missed that']);
    expect(readGoal('skip ahead 30 secs').steps).toEqual([{ click: 'forward 30 seconds icon' }]);
    expect(readGoal('快退15秒').steps).toEqual([{ click: 'back 15 seconds icon' }]);
    // A browser's back stays a browser's back.
    expect(readGoal('go back').steps).toEqual([{ back: true }]);
  });

  it('reads the kind an RPA script names before a switch, and "create new X" as the button that makes one', () => {
    expect(readGoal("Switch off toggle 'Show closed deals'").steps).toEqual([{ click: "the switch next to 'Show closed deals'" }]);
    const made = readGoal('create new event');
    expect(made.steps).toEqual([{ click: 'New event' }]);
    expect(made.alternatives[0]).toEqual(expect.arrayContaining([{ click: 'Create event' }, { click: 'Create' }]));
    // An object that is a record keeps its row.
    expect(readGoal('delete the design review event').steps).toEqual([{ click: 'Delete in the row with "design review"' }]);
  });

  it('reads a corner after a comma as a place on screen, and a rail without "the" as a side', () => {
    expect(readGoal('calendar settings gear, top right').steps).toEqual([{ click: 'calendar settings gear at the top-right' }]);
    expect(parseDescription('calendar settings gear at the top-right')).toMatchObject({ text: 'calendar settings gear', region: 'top-right' });
    expect(parseDescription('reports from left rail')).toMatchObject({ text: 'reports', region: 'left' });
  });

  it("reads a Chinese chat to someone, a section's thing, and a thing inside a field", () => {
    expect(readGoal('给张伟回个消息').steps).toEqual([{ click: '"张伟"' }]);
    expect(readGoal('评价区 查看全部').alternatives[0]).toContainEqual({ click: '"查看全部" in the "评价" list' });
    expect(readGoal('点击出发日期框里的日历图标。').alternatives[0]).toContainEqual({ click: '日历 icon near "出发日期"' });
  });

  it('reads an input box that places an icon as a place, and 上方 after a thing as relative to it', () => {
    expect(parseDescription('输入框上方工具栏中的图标"文件"')).toMatchObject({ text: '文件', kind: 'text', anchor: { text: '输入框', relation: 'above' } });
    expect(parseDescription('用户名输入框')).toMatchObject({ text: '用户名', kind: 'field' });
    expect(parseDescription('页面上方的搜索')).toMatchObject({ text: '搜索', region: 'top' });
    expect(parseDescription('工具栏里的加粗')).toMatchObject({ text: '加粗', region: 'top' });
  });

  it('tells an alternative that says where its target is from one that only spells it again', () => {
    expect(placesTarget({ click: '"<"' })).toBe(false);
    expect(placesTarget({ click: 'Previous' })).toBe(false);
    expect(placesTarget({ click: '移入收藏 in the row with "AirPods"' })).toBe(true);
    expect(placesTarget({ click: 'the second "Edit"' })).toBe(true);
  });

  it('reads a remark before or after the instruction, a switch turned off at the end, and a tab to switch to', () => {
    const off = readGoal("turn dark mode off, can't read anything outside in the sun");
    expect(off.steps).toEqual([{ click: 'the switch next to "dark mode"' }]);
    expect(off.asides).toEqual(["can't read anything outside in the sun"]);
    expect(readGoal('i need help with this, tap the little question mark next to the three dots').steps).toEqual([{ click: 'little question mark next to the three dots' }]);
    expect(readGoal('切换到公式选项卡').steps).toEqual([{ click: '"公式"' }]);
    // "三个点" keeps its 点: the trailing click verb is not the dots' 点.
    expect(readGoal('点一下右上角那三个点').steps).toEqual([{ click: '右上角的三个点' }]);
    expect(readGoal('cellular signal indicator, status bar').steps).toEqual([{ click: 'cellular signal indicator at the top' }]);
  });

  it("keeps a Mind2Web element's parenthesis as part of its name", () => {
    const r = readGoal('[link]  雷蛇（Razer）黑寡妇蜘蛛V3 机械键盘 -> CLICK');
    expect(r.steps).toEqual([{ click: '"雷蛇（Razer）黑寡妇蜘蛛V3 机械键盘"' }]);
    expect(r.alternatives[0] ?? []).toEqual([]);
  });
});
