import { describe, expect, it } from 'vitest';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { parseDescription } from '../../../../agents/embedded/ground/describe.ts';
import { foundAsIcon, placesTarget } from '../../../../agents/embedded/alternatives.ts';

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

describe('readGoal: kinds, measure words, bars and rows named by count', () => {
  it('tries a name without the kind of thing it is, when the whole is not on screen', () => {
    expect(readGoal('open shakshuka recipe').alternatives[0]).toEqual([{ click: '"shakshuka"' }]);
    expect(readGoal('Display settings').alternatives[0]).toEqual([{ click: '"Display"' }]);
    expect(readGoal('Payment – Mobile frame title').alternatives[0]).toEqual([{ click: '"Payment – Mobile"' }]);
  });

  it('reads a Chinese measure word after a name as its kind (a column that kind heads), or a name after it as the thing', () => {
    const album = readGoal('帮我打开七里香这张专辑');
    expect(album.steps).toEqual([{ click: 'the switch next to "七里香这张专辑"' }]);
    expect(album.alternatives[0]).toEqual(expect.arrayContaining([{ click: '"七里香" in the 专辑 column' }, { click: '"七里香"' }]));
    expect(readGoal('周杰伦那首稻香').alternatives[0]).toEqual([{ click: '"稻香" near "周杰伦"' }]);
    // 点开 opens; 点开始 clicks 开始.
    expect(readGoal('点开罗技那款').steps).toEqual([{ click: '罗技那款' }]);
    expect(readGoal('点开始按钮').steps).toEqual([{ click: '开始' }]);
    // 打开 a thing that may be an icon: its words, unquoted, so that an icon can answer.
    expect(readGoal('打开播放列表').alternatives[0]).toContainEqual({ click: '播放列表' });
  });

  it("reads a player's or a setting's bar as a slider: its thumb, or the point the words say", () => {
    expect(readGoal('the volume slider').steps).toEqual([{ click: 'the slider next to "volume"' }]);
    expect(readGoal('progress slider').steps).toEqual([{ click: 'the slider next to "progress"' }]);
    expect(readGoal('拖动播放进度条').steps).toEqual([{ click: 'the slider next to "progress"' }]);
    expect(readGoal('音量条').steps).toEqual([{ click: 'the slider next to "volume"' }]);
    // A search bar or a tab bar is no slider.
    expect(readGoal('search bar').steps).toEqual([{ click: 'search bar' }]);
  });

  it("reads a value of a quoted row as that row's cell in the value's column", () => {
    expect(readGoal('Click on the instance ID of the instance named "payments-worker-2".')).toMatchObject({
      steps: [{ click: 'the cell in column "instance ID" of the row with "payments-worker-2"' }],
      alternatives: [[{ click: '"instance ID" in the row with "payments-worker-2"' }]],
    });
    // A control of a quoted row stays a control.
    expect(readGoal("Click the link for 'Pricing'").steps).toEqual([{ click: 'link for "Pricing"' }]);
  });

  it('sets apart a question thought aloud before the instruction, and what is to be seen after a Chinese click', () => {
    const r = readGoal('theres a 2nd page of instances right? go to the next page');
    expect(r.asides).toEqual(['theres a 2nd page of instances right?']);
    expect(r.steps).toEqual([{ click: 'next' }]);
    // A pronoun points back at the question: it stays one goal.
    expect(readGoal('any new notifications? open them for me').steps).toEqual([{ click: 'new notifications' }]);
    expect(readGoal('can u open the design teamspace, i need the new mockups from there').alternatives[0]).toEqual([{ click: '"design"' }]);
    expect(readGoal('点开25号那笔美团外卖看看详情').steps).toEqual([{ click: '25号那笔美团外卖' }]);
    expect(readGoal('切到直播那栏看看有没有人在播').steps).toEqual([{ click: '"直播"' }]);
    expect(readGoal('看看小鹿酱发的那篇').alternatives[0]).toEqual([{ click: '"小鹿酱"' }]);
    expect(readGoal('看一下全季那家的详情').alternatives[0]).toEqual([{ click: '"详情" near "全季"' }]);
    // 看看 that is the target's own first word stays.
    expect(readGoal('点击看看更多').steps).toEqual([{ click: '看看更多' }]);
  });

  it('reads writing in a box as typing there, the words after the colon all typed, commas too', () => {
    expect(readGoal('在审批意见里帮我写上：同意，请按公司差旅标准报销').steps).toEqual([{ type: { text: '同意，请按公司差旅标准报销', into: '审批意见' } }]);
    // A hyphenated name that starts like a verb is a name.
    expect(readGoal('check-in date').steps).toEqual([{ click: 'check-in date' }]);
    expect(readGoal('在用户名中输入alice，然后点击登录').steps).toEqual([{ type: { text: 'alice', into: '用户名' } }, { click: '登录' }]);
  });

  it("reads a tree node's arrow as the node the verb expands, and ticking off as ticking", () => {
    expect(readGoal('expand arrow of Engineering Wiki in sidebar').steps).toEqual([{ click: 'Engineering Wiki in sidebar' }]);
    expect(readGoal('tick off the onboarding doc item').steps).toEqual([{ click: 'the checkbox next to onboarding doc item' }]);
  });
});

describe('readGoal: phrasings from the eighth tuning batch', () => {
  it('reads a verb before a kind word alone as the control of that name, and a popup corner as the popup\'s', () => {
    expect(readGoal('关闭按钮').steps).toEqual([{ click: '关闭' }]);
    expect(readGoal('点击展开图标').steps).toEqual([{ click: '展开' }]);
    // The verb still acts on a thing named after it.
    expect(readGoal('展开全部').steps).toEqual([{ click: '全部' }]);
    for (const g of ['日程详情弹窗右上角的关闭按钮', '点击直播小窗右上角的关闭按钮', 'the close button in the top right corner of the popup']) {
      expect(readGoal(g).steps, g).toEqual([{ click: '"×"' }]);
    }
  });

  it('reads the box that selects every row, however it is said', () => {
    for (const g of ["Check checkbox 'Select all' in the table header", 'header checkbox', 'select all rows on this page', '表头的全选复选框', '把这一页的人全选上', '全选框']) {
      expect(readGoal(g).steps, g).toEqual([{ click: 'the select-all checkbox' }]);
    }
    // The word alone is a label to find.
    expect(readGoal('全选').steps).toEqual([{ click: '全选' }]);
  });

  it("reads a quoted name's row and the control said after it, a slider by its row's label", () => {
    expect(readGoal('作品表格中“5 块钱的土豆做出饭店味道”一行操作列里的编辑').steps).toEqual([{ click: '编辑 in the row with "5 块钱的土豆做出饭店味道"' }]);
    expect(readGoal('音频设置页“输入音量”一行中的音量滑块').steps).toEqual([{ click: 'the slider next to "输入音量"' }]);
    expect(readGoal('输入音量的滑块').steps).toEqual([{ click: 'the slider next to "输入音量"' }]);
  });

  it('reads checking a place as looking at it, a switch turned off for this one, a chip taken off, and an RPA dropdown', () => {
    expect(readGoal('did anything come in? check my notifications').steps).toEqual([{ click: 'notifications' }]);
    expect(readGoal('check Remember me').steps).toEqual([{ click: 'the checkbox next to Remember me' }]);
    expect(readGoal('turn comments off on this one, dont feel like moderating trolls').steps).toEqual([{ click: 'the switch next to "comments"' }]);
    const chip = readGoal('take the summer tag off, its not a seasonal thing anymore');
    expect(chip.steps).toEqual([{ click: 'close icon right of "summer"' }]);
    expect(chip.asides).toEqual(['its not a seasonal thing anymore']);
    expect(readGoal('get rid of the status filter').steps).toEqual([{ click: 'close icon right of "status"' }]);
    expect(readGoal('选择下拉框「每页条数」为「20 条/页」').steps).toEqual([{ select: { option: '"20 条/页"', in: '"每页条数"' } }]);
  });

  it('reads a group expanded with 把 on the side said, what is to be seen after a space, and following the author', () => {
    expect(readGoal('把左边变现中心展开一下 看看有没有星图任务').steps).toEqual([{ click: '左侧变现中心' }]);
    expect(readGoal('关注作者').steps).toEqual([{ click: '"关注"' }]);
    expect(readGoal('私信博主').steps).toEqual([{ click: '"私信"' }]);
  });

  it("reads a view switched by its name or by the dropdown showing another view, and a tab by whose it is", () => {
    const month = readGoal('switch this to month view');
    expect(month.steps).toEqual([{ click: '"month view"' }]);
    expect(month.alternatives[0]).toEqual([{ click: '"month"' }, { select: { option: '"month"' } }]);
    expect(readGoal('切到月视图看看这个月都有啥')).toMatchObject({ steps: [{ click: '"月视图"' }], alternatives: [[{ click: '"月"' }]] });
    expect(readGoal('Click on the passenger tab for Lucas Walker.').alternatives[0]?.[0]).toEqual({ click: '"Lucas Walker"' });
    // A comma inside quotes is no place to set a remark apart: not half the text typed, but a refusal.
    expect(() => readGoal("Type 'Sounds good, I'll update it' in the chat box")).toThrow(/put each value in quotes/);
  });

  it("reads the pager's arrow said in Chinese", () => {
    const r = readGoal('分页那里的下一页箭头');
    expect(r.steps).toEqual([{ click: 'next' }]);
    expect(r.alternatives[0]).toContainEqual({ click: "the pager's next arrow" });
  });

  it('reads "insert link" as the chain to insert, "the Privacy link" as a link saying Privacy', () => {
    expect(parseDescription('insert link')).toMatchObject({ text: 'insert link' });
    // 第一次, 第11次 ("the 11th time") are a name's words, no ordinal.
    expect(parseDescription('第11次迭代的编辑').ordinal).toBeUndefined();
    expect(parseDescription('第一次尝试做虾饺').ordinal).toBeUndefined();
    expect(parseDescription('第2个编辑').ordinal).toBe(2);
    expect(parseDescription('the Privacy link')).toMatchObject({ text: 'Privacy' });
  });
});

describe('parseDescription: navigation places and counted rows', () => {
  it('reads a breadcrumb and a pager as where the name is, with the kind words left out', () => {
    expect(parseDescription('Payments in breadcrumb')).toMatchObject({ text: 'Payments', trail: true });
    expect(parseDescription('Projects folder in the breadcrumb')).toMatchObject({ text: 'Projects', trail: true });
    expect(parseDescription('面包屑里的项目')).toMatchObject({ text: '项目', trail: true });
    expect(parseDescription('分页中的 "3" 号页码')).toMatchObject({ text: '3', pager: true });
    expect(parseDescription('page 3 in the pagination')).toMatchObject({ text: '3', pager: true });
  });

  it('reads a row named by its count and kind as that row, and an owner in a named row as the row', () => {
    expect(parseDescription('"收藏" in the row with "第一家酒店"')).toMatchObject({ text: '收藏', row: 1 });
    expect(parseDescription('Save in the row with "the second recipe"')).toMatchObject({ text: 'Save', row: 2 });
    expect(parseDescription("同意 button in 王芳's overtime request row")).toMatchObject({ text: '同意', anchor: { text: '王芳', relation: 'row' } });
  });

  it('reads a left or right navigation as a side, a navigation with no side as the top', () => {
    expect(parseDescription('Security Groups in left navigation')).toMatchObject({ region: 'left' });
    expect(parseDescription('Security Groups in the top navigation')).toMatchObject({ region: 'top' });
    expect(parseDescription('Billing in the navigation bar')).toMatchObject({ region: 'top' });
  });
});

describe('foundAsIcon: when an icon found for a stand-in reading may stand in', () => {
  it("accepts the step's own target words found as an icon, not an aside's nor a quoted label's", () => {
    const step = { click: 'the switch next to "播放列表"' };
    expect(foundAsIcon(step, { click: '播放列表' }, 'list-video icon')).toBe(true);
    expect(foundAsIcon(step, { click: '"播放列表"' }, 'list-video icon')).toBe(false);
    expect(foundAsIcon(step, { click: '播放列表' }, '播放全部')).toBe(false);
    // "(gear)" was an aside of "icon 'Settings' in the diff toolbar": another gear is no answer.
    expect(foundAsIcon({ click: 'icon "Settings" in the diff toolbar' }, { click: 'gear' }, 'gear icon')).toBe(false);
  });
});

describe('readGoal: phrasings from the ninth tuning batch', () => {
  const first = (goal: string) => readGoal(goal).steps[0];
  it('reads an RPA close of a kind then a quoted name, a comma inside the quotes being part of it', () => {
    expect(first("Close tab 'Chen, Robert K.' in the patient workspace tab bar")).toEqual({ click: 'close icon right of "Chen, Robert K."' });
    expect(first('close tab "Inbox"')).toEqual({ click: 'close icon right of "Inbox"' });
  });

  it("reads selecting a row as ticking the row's box, known by its number, not as a list to open", () => {
    expect(first("Select row with item 30 in table 'Item Overview' using the row selector")).toEqual({ click: 'the checkbox in the row with "30"' });
  });

  it('reads a state an RPA step sets on a switch or a checkbox as the act', () => {
    expect(readGoal('将「专车」复选框设为选中').clauses[0]).toBe('勾选"专车"复选框');
    expect(first('把通知开关设为关闭')).toEqual({ click: 'the switch next to "通知"' });
    expect(readGoal('将订单「#21」的「出餐」开关设为开启').clauses[0]).toMatch(/^打开订单/);
  });

  it("tries an aside that spells the target's look in the sentence's place, and not alone when that place was not understood", () => {
    expect(readGoal('右上角的更多按钮（三个点）').alternatives[0]).toEqual([{ click: '三个点 at the top right' }]);
    expect(readGoal('the overflow (⋯) menu at the end of the failed $15.00 payment row').alternatives[0]).toBeUndefined();
    // An aside with a place of its own is tried as it is.
    expect(readGoal('delete selected instances (trash can in the toolbar)').alternatives[0]).toContainEqual({ click: 'trash can in the toolbar' });
  });

  it("reads an RPA table's or window's name after a row as which screen, a numbered thing as its owner", () => {
    expect(parseDescription('link "Edit" in row "Heparin" of table "Active Medications"')).toMatchObject({ text: 'Edit', anchor: { text: 'Heparin', relation: 'row' } });
    expect(parseDescription('订单 #25 的"打印"按钮')).toMatchObject({ text: '打印', anchor: { text: '#25', relation: 'near' } });
    expect(parseDescription('订单 #25 的"打印"按钮').ordinal).toBeUndefined();
    expect(parseDescription('订单「#21」的「出餐」')).toMatchObject({ text: '出餐', anchor: { text: '#21' } });
  });

  it("reads 右侧 after a thing's name as beside it, and alone as the screen's side", () => {
    expect(parseDescription('麦克风下拉框右侧的刷新设备按钮').region).toBeUndefined();
    expect(parseDescription('右侧的刷新按钮')).toMatchObject({ text: '刷新', region: 'right' });
  });
});

describe('readGoal: a question or a negation after the comma is a remark, not a place', () => {
  it('reads the instruction before it, and keeps the remark aside', () => {
    const r = readGoal('take me to my weekly meal plan, not the home feed');
    expect(r.clauses).toEqual(['take me to my weekly meal plan']);
    expect(r.asides).toContain('not the home feed');
    expect(readGoal('i need to look at the EBS snapshots, where do i find them').asides).toContain('where do i find them');
    expect(readGoal('stop the metoprolol, her HR dropped into the 40s overnight').clauses).toEqual(['stop the metoprolol']);
    // A place after the comma is still a place.
    expect(readGoal('kebab menu, top-right toolbar').steps).toEqual([{ click: 'kebab menu in the top-right toolbar' }]);
  });

  it('reads "expand X row" as the row named X, and leaves a column\'s own fold button to its words', () => {
    expect(readGoal('expand Database row').steps).toEqual([{ click: 'Database' }]);
    expect(readGoal('collapse the Done column').steps).toEqual([{ click: 'Done column' }]);
  });
});

describe('parseDescription: between two things, a post and its author', () => {
  it('reads "between A and B" as beside the first, and leaves "between" inside a name alone', () => {
    expect(parseDescription('the swap button between From and To')).toMatchObject({ text: 'swap', anchor: { text: 'From', relation: 'near' } });
    expect(parseDescription('Search between dates')).toMatchObject({ text: 'Search between dates' });
  });
  it("reads a post's author after 'by' or before 's as the place of its action", () => {
    expect(parseDescription('retweet button on the tweet by @mali')).toMatchObject({ text: 'retweet', anchor: { text: '@mali', relation: 'near' } });
    expect(parseDescription("like button on Emile's tweet")).toMatchObject({ text: 'like', anchor: { text: 'Emile' } });
    expect(parseDescription('第一个视频卡片右下角的"⋮"更多按钮').region).toBeUndefined();
  });
});

describe('parseDescription: a role word before a bare number', () => {
  it('keeps "Heading 1" and "Item 3" whole, and still reads "the 3" and "button 2" as the number', () => {
    expect(parseDescription('Heading 1').text).toBe('Heading 1');
    expect(parseDescription('Item 3').text).toBe('Item 3');
    expect(parseDescription('the 3').text).toBe('3');
    expect(parseDescription('button 2')).toMatchObject({ text: '2', role: 'button' });
  });
});

