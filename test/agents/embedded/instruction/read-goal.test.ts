import { describe, expect, it } from 'vitest';
import { GoalParseError } from '../../../../agents/embedded/goal-parser.ts';
import { readGoal, tidyGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { anchorOf } from '../../../../agents/embedded/instruction/reduced.ts';
import { isMind2WebActions, mind2WebSteps } from '../../../../agents/embedded/instruction/mind2web.ts';
import { isGoalEcho, keepLines, tokens, withoutGoalEcho } from '../../../../agents/embedded/instruction/goal-echo.ts';
import type { OcrResult } from '../../../../kernels/ocr/types.ts';

describe('readGoal: goals as people write them', () => {
  it('keeps what the grammar reads', () => {
    const r = readGoal('Click on the "OK" button.');
    expect(r.readAs).toBe('grammar');
    expect(r.steps).toEqual([{ click: '"OK"' }]);
  });

  it("reads a pager's page number, a thing's button whose label starts with 选, and the details of a thing", () => {
    for (const g of ['翻到第3页', '跳到第 3 页', 'go to page 3', 'Go to page 3 of the results']) {
      expect(readGoal(g), g).toMatchObject({ steps: [{ click: 'page 3 in the pager' }], alternatives: [[{ click: '"Page 3"' }, { click: '"第3页"' }]] });
    }
    expect(readGoal('酸菜鱼的选规格按钮').steps[0]).not.toHaveProperty('select');
    expect(readGoal('省份选浙江省').steps).toEqual([{ select: { option: '"浙江省"', in: '"省份"' } }]);
    expect(readGoal('open the details of cache-redis-1').alternatives[0]).toContainEqual({ click: '"cache-redis-1"' });
  });

  it('reads a control named before the quoted thing it belongs to, in English and Chinese', () => {
    expect(readGoal("Open the three-dot menu of the 'Bump pg from 8.11.3 to 8.12.0' run")).toMatchObject({
      steps: [{ click: 'three-dot menu in the row with "Bump pg from 8.11.3 to 8.12.0"' }],
      alternatives: [[{ click: 'three-dot menu near "Bump pg from 8.11.3 to 8.12.0"' }]],
    });
    expect(readGoal("点击'刘芳'医生卡片右上角的星形收藏图标").steps).toEqual([{ click: '星形收藏图标 near "刘芳"' }]);
    expect(readGoal('点击“张伟”那一行的删除按钮').steps).toEqual([{ click: '删除按钮 in the row with "张伟"' }]);
    // A quoted label with only a role word after it is that label; a bare role word names no control.
    expect(readGoal('点击“保存”按钮').steps).toEqual([{ click: '"保存"' }]);
    expect(readGoal('click the link for "Pricing"').steps[0]).toEqual({ click: 'link for "Pricing"' });
  });

  it('reads a target then, after a comma, where it is; a second instruction after a comma stays one', () => {
    expect(readGoal('kebab menu, top-right toolbar').steps).toEqual([{ click: 'kebab menu in the top-right toolbar' }]);
    expect(readGoal('edit (pencil) icon, Lodging row').steps).toEqual([{ click: 'edit icon in the row with "Lodging"' }]);
    expect(readGoal('sliders icon btn, right of search').steps).toEqual([{ click: 'sliders icon btn right of search' }]);
    expect(readGoal('Merge btn, ticket header').steps).toEqual([{ click: 'Merge btn near "ticket"' }]);
    expect(() => readGoal('Click OK, then juggle the buttons')).toThrow(/juggle the buttons/);
  });

  it("reads Chinese: the second quote of 'X'的'Y', and a remark after the comma", () => {
    expect(readGoal("点击'陈志强'医生的'预约'按钮").steps).toEqual([{ click: '"预约" near "陈志强"' }]);
    const r = readGoal('点日期那一排最右边的箭头，看看下周的号');
    expect(r.steps).toEqual([{ click: '日期那一排最右边的箭头' }]);
    expect(r.asides).toEqual(['看看下周的号']);
  });

  it('sets politeness and asides apart', () => {
    expect(tidyGoal('Could you please click "Save" for me?')).toEqual({ text: 'click "Save"', asides: [] });
    const t = tidyGoal('Click Sign in (the blue one), not the SSO one');
    expect(t.text).toBe('Click Sign in');
    expect(t.asides).toEqual(['the blue one', 'not the SSO one']);
    expect(tidyGoal('请帮我点击“保存”吧').text).toBe('点击“保存”');
    // The user's own purpose, said after what to do.
    expect(tidyGoal('tap the heart on the Casa Azul card so I can find it later')).toEqual({ text: 'tap the heart on the Casa Azul card', asides: ['so I can find it later'] });
    expect(tidyGoal('Click Export in order to download the report').text).toBe('Click Export');
    // What the thing should do is no purpose of the user's: it stays.
    expect(tidyGoal('filter the activity so it only shows emails').text).toBe('filter the activity so it only shows emails');
  });

  it('reads a verb that is a button label, placed by its object', () => {
    const r = readGoal('Approve the request from Dana');
    expect(r.readAs).toBe('intent');
    expect(r.steps).toEqual([{ click: 'Approve in the row with "Dana"' }]);
    // Other labels in the row first, then the same labels on a card headed by the anchor.
    expect(r.alternatives[0]).toEqual([
      { click: 'Accept in the row with "Dana"' },
      { click: 'Approve near "Dana"' },
      { click: 'Accept near "Dana"' },
      // Last, the words whole: the verb may begin a label ("Deploy to staging").
      { click: 'Approve the request from Dana' },
    ]);
    expect(readGoal('remove Jane Roe').steps).toEqual([{ click: 'Remove in the row with "Jane Roe"' }]);
    expect(readGoal('Archive on the Billing card').steps).toEqual([{ click: 'Archive near "Billing"' }]);
    expect(readGoal('Delete invoice INV-2001').steps).toEqual([{ click: 'Delete in the row with "INV-2001"' }]);
    expect(readGoal('Refresh').steps).toEqual([{ click: 'Refresh' }]);
  });

  it('reads "set X to Y" as a list to pick from, or a field to type into, whichever the value suggests', () => {
    const list = readGoal('Set Paper size to Legal');
    expect(list.steps).toEqual([{ select: { option: '"Legal"', in: '"Paper size"' } }]);
    expect(list.alternatives[0]).toEqual([{ type: { text: 'Legal', into: 'the field labelled "Paper size"' } }]);
    const field = readGoal('change the Qty to 25');
    expect(field.steps).toEqual([{ type: { text: '25', into: 'the field labelled "Qty"' } }]);
    expect(field.alternatives[0]).toEqual([{ select: { option: '"25"', in: '"Qty"' } }]);
    // In a goal of several clauses, and with the next instruction after "and".
    expect(readGoal('Set Paper size to Legal, choose Greyscale for Ink, then click Print').steps).toEqual([
      { select: { option: 'Legal', in: 'Paper size' } },
      { select: { option: 'Greyscale', in: 'Ink' } },
      { click: 'Print' },
    ]);
    expect(readGoal('set the Qty field to 25 and click Save').steps).toEqual([{ type: { text: '25', into: 'field labelled Qty' } }, { click: 'Save' }]);
    expect(readGoal('pick a plan for my team').steps).toEqual([{ select: { option: 'a plan for my team' } }]);
  });

  it('reads a slider and its value: a percentage, max or min, or a number', () => {
    expect(readGoal('set the Volume slider to 70%').steps).toEqual([{ click: 'the slider next to "Volume" at 70%' }]);
    expect(readGoal('Set Brightness to max').steps).toEqual([{ click: 'the slider next to "Brightness" at 100%' }]);
    expect(readGoal('drag the price slider to 200').steps).toEqual([{ click: 'the slider next to "price" at value 200' }]);
    expect(readGoal('把音量调到最小').steps).toEqual([{ click: 'the slider next to "音量" at 0%' }]);
    expect(readGoal('set the Price slider to 200, then set Volume to 0%').steps).toEqual([
      { click: 'the slider next to "Price" at value 200' },
      { click: 'the slider next to "Volume" at 0%' },
    ]);
    // A value that is no slider value stays a list or a field; "set up" is no instruction of its own.
    expect(readGoal('Set Paper size to Legal').steps).toEqual([{ select: { option: '"Legal"', in: '"Paper size"' } }]);
    expect(readGoal('click Save and set up later').steps).toEqual([{ click: 'Save and set up later' }]);
  });

  it('reads "find X and click Y" as Y on what was found, and a thing found by its name as that name', () => {
    const r = readGoal('Find the email by Marcia and click the star icon to mark it as important');
    expect(r.steps).toEqual([{ click: 'star icon in the row with "Marcia"' }]);
    expect(r.alternatives[0]).toEqual([{ click: 'star icon near "Marcia"' }]);
    expect(readGoal('Find the folder named Contracts in the tree').steps).toEqual([{ click: '"Contracts"' }]);
    expect(readGoal('find the file called report.pdf').steps).toEqual([{ click: '"report.pdf"' }]);
    // Finding out is no click on anything named.
    expect(readGoal('find out the price').readAs).not.toBe('form');
  });

  it('reads a thing placed by what it belongs to ("for", "of", "on", "by") as a second reading, after the literal one', () => {
    const box = readGoal('tick the checkbox for the Stark Logistics invoice');
    expect(box.steps).toEqual([{ click: 'checkbox for the Stark Logistics invoice' }]);
    expect(box.alternatives[0]).toContainEqual({ click: 'the checkbox in the row with "Stark Logistics"' });
    expect(readGoal('Click the retweet button on the tweet by @mali.').alternatives[0]).toEqual([{ click: 'retweet button near "@mali"' }]);
    // Labels use the same words: no second reading splits them at "in" or "with", or at a place or an ordinal.
    for (const goal of ['Sign in with Google', 'the trash icon on the third row', 'the Delete button on the right', 'Search for flights']) {
      expect(readGoal(goal).alternatives.flat().filter(Boolean), goal).not.toContainEqual(expect.objectContaining({ click: expect.stringContaining(' near ') }));
    }
  });

  it('reads the instruction after a remark that says why, and lets the remark place its target', () => {
    const ssh = readGoal('I need a shell on the bastion host, hit SSH for it');
    expect(ssh.steps).toEqual([{ click: 'SSH' }]);
    expect(ssh.asides).toEqual(['I need a shell on the bastion host']);
    expect(ssh.alternatives[0]).toEqual([{ click: 'SSH in the row with "bastion host"' }, { click: 'SSH near "bastion host"' }]);
    expect(readGoal("Before anything gets deleted I'd like a backup, can you download one?").steps).toEqual([{ click: 'Download' }]);
    expect(readGoal('我已经有账号了，直接去登录吧').steps).toEqual([{ click: '"登录"' }]);
    // A clause that could be an instruction is no remark, and a sequence is read whole or refused.
    expect(() => readGoal('Click OK, then juggle the buttons')).toThrow(/juggle/);
    expect(() => readGoal("It's broken, then frobnicate")).toThrow();
  });

  it('reads a Chinese thing named by its owner (X的Y, X那一栏) as a second reading: Y near X, X\'s field or switch', () => {
    const alt = (goal: string) => readGoal(goal).alternatives[0];
    expect(alt('区域销售排行右上角的查看全部')).toContainEqual({ click: '"查看全部" near "区域销售排行"' });
    expect(alt('刷新一下今日销售额卡片的数据')).toContainEqual({ click: '刷新 icon near "今日销售额"' });
    // A pager's arrow is the pager's (ground/pager.ts), not an icon near the word 分页.
    expect(alt('分页那里的下一页箭头')).toContainEqual({ click: "the pager's next arrow" });
    expect(alt('自动更新的开关')).toContainEqual({ click: 'the switch next to "自动更新"' });
    expect(alt('点击设置页面的保存按钮')).toContainEqual({ click: '"保存" near "设置"' });
    // 验证码 is a verification code, not "verify 码".
    expect(readGoal('验证码那一栏').steps).not.toContainEqual(expect.objectContaining({ assert: expect.anything() }));
    expect(alt('验证码那一栏')).toContainEqual({ click: 'the field labelled "验证码"' });
    expect(readGoal('验证登录成功').steps).toEqual([{ assert: expect.stringContaining('登录成功') }]);
    // 那个 after the owner says "its" as 的 does; a place's marker on a map is its label.
    expect(alt('星巴克那个导航按钮点一下')).toContainEqual({ click: '"导航" near "星巴克"' });
    expect(alt('地图上浙江省人民医院的标注')).toContainEqual({ click: '"浙江省人民医院"' });
  });

  it('reads Chinese acts on what is on screen, fields set to a value, switches turned off and choices switched to', () => {
    expect(readGoal('收藏这家店').steps).toEqual([{ click: '收藏' }]);
    expect(readGoal('关注这个UP主').steps).toEqual([{ click: '关注' }]);
    expect(readGoal('给这个视频点个赞').steps).toEqual([{ click: '点赞' }]);
    expect(readGoal('给可乐加一').steps).toEqual([{ click: 'plus icon near "可乐"' }]);
    // "-1" ending a name is no "one less".
    expect(readGoal("Click 'Start' in row where Name = db-replica-1").steps[0]).toEqual({ click: '"Start" in row where Name = db-replica-1' });
    expect(readGoal('把金额填成500').steps).toEqual([{ type: { text: '500', into: '金额' } }]);
    expect(readGoal('把右侧的自动连播关掉').steps).toEqual([{ click: 'the switch next to 自动连播' }]);
    expect(readGoal('我想自己去店里拿，改成到店自取').steps).toEqual([{ click: '到店自取' }]);
    // 点赞 is one word, not 点 + 赞; an icon opened is no switch turned on.
    expect(readGoal('点赞').steps).toEqual([{ click: '点赞' }]);
    expect(readGoal('打开底部的购物车图标').steps[0]).not.toEqual(expect.objectContaining({ click: expect.stringContaining('switch') }));
  });

  it('reads "the box for X" as X\'s checkbox, and "in the list" as no place', () => {
    expect(readGoal('Check the box for 3 stars.').steps).toEqual([{ click: 'the checkbox next to 3 stars' }]);
    expect(readGoal('tick the box next to Remember me').steps).toEqual([{ click: 'the checkbox next to Remember me' }]);
    const second = readGoal('could you press the second Reject button in the list?');
    expect(second.alternatives[0] ?? []).toEqual([]);
  });

  it('tries an aside that names the target plainly when the reading fails, and sets apart a trailing "not X"', () => {
    expect(readGoal('delete selected instances (trash can in the toolbar)').alternatives[0]).toContainEqual({ click: 'trash can in the toolbar' });
    const personal = readGoal('hide my personal calendar (uncheck Personal, not Work)');
    expect(personal.alternatives[0]).toContainEqual({ click: 'the checkbox next to Personal' });
    // "(the blue one)" says which, and names nothing to click.
    expect(readGoal('click Save (the blue one)').alternatives[0] ?? []).toEqual([]);
    expect(readGoal('Click Cancel, not Delete')).toMatchObject({ steps: [{ click: 'Cancel' }], asides: ['not Delete'] });
    expect(readGoal('turn on deletion protection for this VM').steps).toEqual([{ click: 'the switch next to "deletion protection"' }]);
    expect(readGoal('Please turn on the Free cancellation filter').steps).toEqual([{ click: 'the switch next to "Free cancellation"' }]);
    expect(readGoal('Can you open the email from Dana Whitfield about the Q3 budget?').alternatives[0]).toEqual([{ click: '"Dana Whitfield"' }]);
  });

  it('reads a stepper\'s increase/decrease as its plus/minus by the name, and "next track" as the control named whole', () => {
    expect(readGoal('increase guests')).toMatchObject({ steps: [{ click: 'plus in the row with "guests"' }] });
    expect(readGoal('increase guests').alternatives[0]).toContainEqual({ click: 'plus near "guests"' });
    expect(readGoal('decrease guests').steps).toEqual([{ click: 'minus in the row with "guests"' }]);
    expect(readGoal('next track').steps).toEqual([{ click: 'next track' }]);
  });

  it("reads a calendar's or a pager's move as its own arrows, not the browser's Back", () => {
    const back = readGoal('go back one week');
    expect(back.steps).toEqual([{ click: 'previous' }]);
    expect(back.alternatives[0]).toContainEqual({ click: '"‹"' });
    expect(readGoal('next month').steps).toEqual([{ click: 'next' }]);
    expect(readGoal('下一页').steps).toEqual([{ click: 'next' }]);
    expect(readGoal('上个月').steps).toEqual([{ click: 'previous' }]);
    expect(readGoal('go back').steps).toEqual([{ back: true }]);
  });

  it("closes a popup with its own close control", () => {
    for (const goal of ['close the dialog', 'dismiss the cookie banner', '关闭弹窗']) {
      const r = readGoal(goal);
      expect(r.steps, goal).toEqual([{ click: '"×"' }]);
      expect(r.alternatives[0], goal).toContainEqual({ click: 'close icon' });
    }
    // Told how, the grammar reads it as said.
    expect(readGoal('Close the dialog box by clicking the "x".').steps).toEqual([{ click: '"x"' }]);
  });

  it('reads a table cell set by its column and row', () => {
    expect(readGoal('Set Role dropdown to Admin in the row where Name = Priya Nair').steps).toEqual([
      { select: { option: '"Admin"', in: 'the cell in column "Role" of the row with "Priya Nair"' } },
    ]);
    const qty = readGoal('Set Qty to 25 in line 2');
    expect(qty.steps).toEqual([{ type: { text: '25', into: 'the cell in column "Qty" of row 2' } }]);
    expect(qty.alternatives[0]).toEqual([{ select: { option: '"25"', in: 'the cell in column "Qty" of row 2' } }]);
  });

  it('keeps words joined by hyphens whole, and the kinds of thing when nothing else names it', () => {
    expect(readGoal('stop api-server-1').steps).toEqual([{ click: 'Stop in the row with "api-server-1"' }]);
    expect(anchorOf('the state-of-the-art one')).toBe('state-of-the-art');
    expect(readGoal('edit icon of the meeting activity').steps).toEqual([{ click: 'Edit in the row with "meeting activity"' }]);
    // A role word and a place: a description of the control, not an act on an object.
    expect(readGoal('refresh button in the top bar').steps).toEqual([{ click: 'refresh button in the top bar' }]);
    // "this board" is the screen the user is on: no anchor to look for.
    expect(readGoal('star this board').steps).toEqual([{ click: 'Star' }]);
    expect(readGoal('Share this doc with my team please').steps).toEqual([{ click: 'Share' }]);
    // 勾选周杰那一行的复选框: the checkbox of the row, not a label "周杰那一行的复选框".
    expect(readGoal('勾选周杰那一行的复选框').steps).toEqual([{ click: 'the checkbox in the row with "周杰"' }]);
  });

  it('reads a destination as the control that sends the product there', () => {
    expect(readGoal('add the blue asics to the cart').steps).toEqual([{ click: 'Add to cart in the row with "blue asics"' }]);
    expect(readGoal('add to cart of the Samba OG').steps).toEqual([{ click: 'Add to cart in the row with "Samba OG"' }]);
    // Not typing: the grammar alone reads "put X in Y" as typing X into Y.
    expect(readGoal('put the grey New Balance 990v6 in my cart').steps).toEqual([{ click: 'Add to cart in the row with "grey New Balance 990v6"' }]);
    const saved = readGoal('save the Puma Suede Classic to my wishlist');
    expect(saved.steps).toEqual([{ click: 'Add to wishlist in the row with "Puma Suede Classic"' }]);
    expect(saved.alternatives[0]).toContainEqual({ click: 'favorite near "Puma Suede Classic"' });
    expect(readGoal('Put John in group A').steps).toEqual([{ type: { text: 'John', into: 'group A' } }]);
  });

  it('types a search into the search field, short queries only', () => {
    expect(readGoal('Search for wireless earbuds').steps).toEqual([{ type: { text: 'wireless earbuds', into: 'the search box' } }]);
    expect(readGoal('搜索 耳机').steps).toEqual([{ type: { text: '耳机', into: '搜索框' } }]);
    expect(readGoal('search button').steps).toEqual([{ click: 'search button' }]);
    expect(readGoal('search for trains from Boston to New York').steps).not.toContainEqual(expect.objectContaining({ type: expect.anything() }));
  });

  it('sets a remark after a comma apart before the grammar reads it as part of the target', () => {
    const r = readGoal('点取消，不保存了');
    expect(r.steps).toEqual([{ click: '取消' }]);
    expect(r.asides).toEqual(['不保存了']);
    expect(readGoal("Click Save, it's at the bottom").steps).toEqual([{ click: 'Save' }]);
    expect(readGoal("Type 'Hello, we are here' into Message").steps).toEqual([{ type: { text: 'Hello, we are here', into: 'Message' } }]);
    expect(readGoal('Click OK, then click Next').steps).toEqual([{ click: 'OK' }, { click: 'Next' }]);
  });

  it('marks a name picked out by a Chinese form, which must then match well', () => {
    const r = readGoal('打开和李娜的聊天');
    expect(r.readAs).toBe('name');
    expect(r.steps).toEqual([{ click: '"李娜"' }]);
  });

  it('flips the switch beside the words for turn on / enable / 开启', () => {
    expect(readGoal('turn on Dark mode').steps).toEqual([{ click: 'the switch next to "Dark mode"' }]);
    expect(readGoal('Please enable two-factor authentication').steps).toEqual([{ click: 'the switch next to "two-factor authentication"' }]);
    expect(readGoal('开启消息通知的开关').steps).toEqual([{ click: 'the switch next to "消息通知"' }]);
  });

  it('reads RPA and Chinese forms the grammar misreads', () => {
    expect(readGoal('Set Status dropdown to Closed').steps).toEqual([{ select: { option: '"Closed"', in: '"Status"' } }]);
    expect(readGoal('省份选浙江省').steps).toEqual([{ select: { option: '"浙江省"', in: '"省份"' } }]);
    expect(readGoal('切到通讯录').steps).toEqual([{ click: '"通讯录"' }]);
    expect(readGoal('打开和张伟的聊天').steps).toEqual([{ click: '"张伟"' }]);
    expect(readGoal('删除王芳的对话').steps).toEqual([{ click: '"删除" in the row with "王芳"' }]);
    expect(readGoal('点击第二行的删除')).toMatchObject({ steps: [{ click: '"删除" in the 2nd row' }], alternatives: [[{ click: '第二个"删除"' }]] });
    expect(readGoal('打开深色模式').steps).toEqual([{ click: 'the switch next to "深色模式"' }]);
    // Several clauses stay with the grammar.
    expect(readGoal('在“语言”中选择“日本語”，然后点击“保存”').readAs).toBe('grammar');
  });

  it('drops a remark after the instruction and tries the name of a kind of thing', () => {
    const r = readGoal("pls archive the data warehouse one, we're done with it");
    expect(r.steps).toEqual([{ click: 'Archive in the row with "data warehouse"' }]);
    expect(r.asides).toContain("we're done with it");
    expect(readGoal('Click on the email from Cora.').alternatives[0]).toEqual([{ click: '"Cora"' }]);
    expect(readGoal('Shoes category').alternatives[0]).toEqual([{ click: '"Shoes"' }]);
  });

  it('clicks a bare description', () => {
    const r = readGoal('search button');
    expect(r.readAs).toBe('target');
    expect(r.steps).toEqual([{ click: 'search button' }]);
    expect(readGoal('Email field').steps).toEqual([{ click: 'Email field' }]);
    // A short name that starts like an instruction the grammar cannot read is a name.
    expect(readGoal('fill color')).toMatchObject({ readAs: 'target', steps: [{ click: 'fill color' }] });
    expect(readGoal('在线客服')).toMatchObject({ readAs: 'target', steps: [{ click: '在线客服' }] });
  });

  it('leaves out a sound before the instruction, an act of the user\'s as an anchor, and a Chinese click said last', () => {
    expect(readGoal('oops, undo that last edit please').steps).toEqual([{ click: 'Undo' }]);
    expect(readGoal('undo my last change').steps).toEqual([{ click: 'Undo' }]);
    expect(readGoal('Ok, click Save').steps).toEqual([{ click: 'Save' }]);
    expect(readGoal('OK').steps).toEqual([{ click: 'OK' }]);
    expect(readGoal('星巴克那个导航按钮点一下').steps).toEqual([{ click: '星巴克那个导航按钮' }]);
    expect(readGoal('列表里第二家店的路线帮我点一下').steps).toEqual([{ click: '列表里第二家店的路线' }]);
  });

  it('reads a Chinese sentence to its full stop, 全选 as no choice, and a counted row past its column', () => {
    expect(readGoal('勾选"张伟"所在行的复选框。').steps).toEqual([{ click: 'the checkbox in the row with "张伟"' }]);
    expect(readGoal('表头的全选复选框').steps[0]).not.toHaveProperty('select');
    expect(readGoal('第三行操作列中的转交链接')).toMatchObject({ steps: [{ click: '"转交" in the 3rd row' }], alternatives: [[{ click: '第三个"转交"' }]] });
  });

  it('reads 把 with the act last: the act\'s labels in the named one\'s row, or alone for "this list"', () => {
    expect(readGoal('把张伟那条请假驳回')).toMatchObject({ steps: [{ click: '"驳回" in the row with "张伟"' }], alternatives: [[{ click: '"拒绝" in the row with "张伟"' }]] });
    expect(readGoal('帮我把赵磊这个月的工资发一下').steps).toEqual([{ click: '"发放" in the row with "赵磊"' }]);
    expect(readGoal('帮我把这个列表导出一下').steps).toEqual([{ click: '导出' }]);
    // 把…打开 is still a switch, 把…改成 a choice.
    expect(readGoal('把长者模式打开').steps).toEqual([{ click: 'the switch next to 长者模式' }]);
    expect(readGoal('把语言改成英文').steps).toEqual([{ select: { option: '"英文"', in: '"语言"' } }]);
    // 把…勾上 ticks the box of the words before it.
    expect(readGoal('把同意协议前面那个框勾上，不然提交不了').steps).toEqual([{ click: 'the checkbox next to "同意协议"' }]);
    // A box said to come before a quoted name starts the name's row.
    expect(readGoal("勾选'优衣库官方旗舰店'店铺名前面的复选框").steps).toEqual([{ click: 'the checkbox in the row with "优衣库官方旗舰店"' }]);
    expect(readGoal('勾选记住我').steps).toEqual([{ click: 'the checkbox next to 记住我' }]);
  });

  it('reads the control said after with/using as the target, the act before it as why', () => {
    expect(readGoal('add a new role with the little plus next to Roles')).toMatchObject({ readAs: 'instrument', steps: [{ click: 'the little plus next to Roles' }], asides: ['add a new role'] });
    // A point on a bar the act names is that point; a bar alone is its thumb.
    expect(readGoal('skip to about the middle of the song using the progress bar').steps).toEqual([{ click: 'the slider next to "progress" at 50%' }]);
    expect(readGoal('skip ahead using the progress bar')).toMatchObject({ steps: [{ click: 'the slider next to "progress"' }], asides: ['skip ahead'] });
    // Typing with the words is no instrument.
    expect(readGoal('Fill in the form with the details').steps[0]).toHaveProperty('type');
  });

  it('toggles a camera or microphone by its icon when no switch is beside the word, and "mute me" mutes', () => {
    expect(readGoal('turn off camera')).toMatchObject({ steps: [{ click: 'the switch next to "camera"' }], alternatives: [[{ click: 'camera icon' }]] });
    expect(readGoal("mute me please, my dog won't stop barking")).toMatchObject({ steps: [{ click: 'Mute' }], asides: ["my dog won't stop barking"] });
  });

  it('closes a named tab or panel by the close control beside its name', () => {
    expect(readGoal('close the utils.ts tab')).toMatchObject({ steps: [{ click: 'close icon right of "utils.ts"' }], alternatives: [[{ click: '"×" right of "utils.ts"' }, { click: '"x" right of "utils.ts"' }]] });
    expect(readGoal('close the second tab, the utils one').steps).toEqual([{ click: 'close icon right of "utils"' }]);
    expect(readGoal('close button of the in-call messages panel').steps).toEqual([{ click: 'close icon right of "in-call messages"' }]);
    // A popup with no name is still closed by its own control.
    expect(readGoal('close the dialog').steps).toEqual([{ click: '"×"' }]);
  });

  it('sets apart a Chinese remark after the comma that places nothing, and keeps a short place', () => {
    expect(readGoal('帮我把长者模式打开，字太小了看不清')).toMatchObject({ steps: [{ click: 'the switch next to 长者模式' }], asides: ['字太小了看不清'] });
    expect(readGoal('把实时路况关掉吧，地图上红红绿绿的看着太乱了').asides).toEqual(['地图上红红绿绿的看着太乱了']);
    expect(readGoal('设置，右上角').steps[0]).toEqual({ click: '设置 near "右上角"' });
  });

  it('still names the part of a longer goal it did not understand', () => {
    expect(() => readGoal('Click "OK", then juggle the buttons')).toThrow(/could not understand "juggle the buttons"/);
    expect(() => readGoal('   ')).toThrow(GoalParseError);
    expect(() => readGoal('Could you please?')).toThrow(/no instruction found/);
  });

  it('finds the anchor of an object phrase', () => {
    expect(anchorOf('the request from Dana')).toBe('Dana');
    expect(anchorOf("Sam Lee's row")).toBe('Sam Lee');
    expect(anchorOf('order #10261')).toBe('10261');
    expect(anchorOf('the "Q3 plan" card')).toBe('Q3 plan');
    expect(anchorOf('the row')).toBeUndefined();
  });
});

describe('Mind2Web action strings', () => {
  it('become steps', () => {
    const text = '[textbox]  From -> TYPE: New York\n[combobox]  Sort by -> SELECT: Price: low to high\n[button]  Search -> CLICK\n[link]  Deals -> HOVER\n[textbox]  To -> ENTER';
    expect(isMind2WebActions(text)).toBe(true);
    expect(mind2WebSteps(text).steps).toEqual([
      { type: { text: 'New York', into: 'the field labelled "From"' } },
      { select: { option: '"Price: low to high"', in: '"Sort by"' } },
      { click: '"Search"' },
      { hover: '"Deals"' },
      { press: 'Enter' },
    ]);
    expect(readGoal('[checkbox]  Remember me -> CLICK').steps).toEqual([{ click: 'the checkbox next to "Remember me"' }]);
  });

  it('refuses an element with no text and a TYPE without a value, naming the line', () => {
    expect(() => readGoal('[svg]   -> CLICK')).toThrow(/could not act on "\[svg\]   -> CLICK": the svg has no text/);
    expect(() => readGoal('[textbox]  From -> TYPE:')).toThrow(/TYPE needs a value/);
    expect(isMind2WebActions('Click [Search]')).toBe(false);
  });
});

describe('goal echo', () => {
  const line = (text: string, y: number) => ({ text, box: [0, y, 400, y + 20] as [number, number, number, number], confidence: 1 });
  const ocr: OcrResult = {
    width: 800,
    height: 600,
    lines: [
      { ...line('Your task: click the Save button in the toolbar', 0), words: [0], groups: [0] },
      { ...line('Save', 100), words: [1], groups: [1] },
    ],
    words: [
      { ...line('Your task: click the Save button in the toolbar', 0), line: 0 },
      { ...line('Save', 100), line: 1 },
    ],
    groups: [
      { ...line('Your task: click the Save button in the toolbar', 0), line: 0, words: [0] },
      { ...line('Save', 100), line: 1, words: [1] },
    ],
  };

  it('drops a line that repeats the goal and renumbers the rest', () => {
    const r = withoutGoalEcho(ocr, 'Click the Save button in the toolbar');
    expect(r.dropped).toEqual(['Your task: click the Save button in the toolbar']);
    expect(r.ocr.lines).toHaveLength(1);
    expect(r.ocr.lines[0]).toMatchObject({ text: 'Save', words: [0], groups: [0] });
    expect(r.ocr.groups[0]).toMatchObject({ line: 0, words: [0] });
  });

  it('keeps lines that only share a word or that are what a quoted goal looks for', () => {
    expect(isGoalEcho('Save', new Set(tokens('click the Save button')))).toBe(false);
    expect(withoutGoalEcho(ocr, 'Verify "Your task: click the Save button in the toolbar" is shown').dropped).toEqual([]);
    expect(tokens('点击保存 OK')).toEqual(['点', '击', '保', '存', 'ok']);
    // A short Chinese label made of the goal's characters is the target, not an echo of the goal.
    expect(isGoalEcho('深色模式', new Set(tokens('打开深色模式')))).toBe(false);
    expect(isGoalEcho('任务：打开深色模式开关', new Set(tokens('打开深色模式开关')))).toBe(true);
    expect(keepLines(ocr, () => true)).toEqual({ ...ocr });
  });

  it("keeps a row's long title that the step names as its anchor, though the goal holds all of it", () => {
    const title = '第一次尝试做广式早茶虾饺（失败版）';
    const rows: OcrResult = {
      width: 800,
      height: 600,
      lines: [{ ...line(title, 0), words: [0], groups: [0] }],
      words: [{ ...line(title, 0), line: 0 }],
      groups: [{ ...line(title, 0), line: 0, words: [0] }],
    };
    const goal = `Click on the trash icon in the row for ${title}.`;
    expect(withoutGoalEcho(rows, goal, ['trash icon in the row for 第一次尝试做广式早茶虾饺']).dropped).toEqual([]);
    // Without the step's words it is an echo of the goal.
    expect(withoutGoalEcho(rows, goal, ['trash icon']).dropped).toEqual([title]);
    // A banner made of the step's finding words ("the checkbox in the row with") is still an echo.
    const banner = 'Task: tick the checkbox in the row with Q3 report';
    const shown: OcrResult = { width: 800, height: 600, lines: [{ ...line(banner, 0), words: [0], groups: [0] }], words: [{ ...line(banner, 0), line: 0 }], groups: [{ ...line(banner, 0), line: 0, words: [0] }] };
    expect(withoutGoalEcho(shown, 'tick the checkbox in the row with Q3 report', ['the checkbox in the row with Q3 report']).dropped).toEqual([banner]);
  });
});

describe('readGoal: a wish in the user\'s words, then the click that does it', () => {
  const steps = (g: string) => readGoal(g);

  it('sets the wish apart and reads the click, its pronoun standing for what the wish named', () => {
    const zh = steps('把这件T恤收藏起来，点它那行的小爱心');
    expect(zh.steps).toEqual([{ click: 'T恤那行的小爱心' }]);
    expect(zh.alternatives[0]?.[0]).toEqual({ click: '爱心 in the row with "T恤"' });
    expect(zh.asides).toContain('把这件T恤收藏起来');
    expect(steps('any new notifications? open them for me').steps).toEqual([{ click: 'new notifications' }]);
    const en = steps('I want to narrow down the list, can you open the filter thing next to the refresh button?');
    expect(JSON.stringify(en.steps)).toMatch(/filter/);
    // A wish names no place: no alternatives in "the list".
    expect(en.alternatives[0]).toBeUndefined();
  });

  it('does not take an instruction for a wish: a clause it cannot read after a verb is still named', () => {
    expect(() => steps('Click OK, then juggle the buttons')).toThrow(/juggle the buttons/);
    expect(() => steps('juggle the buttons, click OK')).not.toThrow();
  });
});

describe('readGoal: a verb that may begin a label', () => {
  it('keeps the words whole as the last reading ("Deploy to staging workflow in sidebar")', () => {
    const r = readGoal('Deploy to staging workflow in sidebar');
    expect(r.readAs).toBe('intent');
    expect(r.alternatives[0]?.at(-1)).toEqual({ click: 'Deploy to staging workflow in sidebar' });
    // Quoted words are the user's own target: no whole-words reading is added.
    expect(readGoal('Approve the "Q3 budget" request').alternatives[0]?.some((a) => JSON.stringify(a).includes('Approve the'))).toBeFalsy();
  });
});

describe('readGoal: Chinese steppers and remarks about a thing', () => {
  it('reads one more or one less of a counted item as its stepper, its count word left out when the name stays long enough', () => {
    expect(readGoal('买入数量再加一手').steps).toEqual([{ click: 'plus icon near "买入数量"' }]);
    // "买入" alone is too short a name to place a plus by.
    expect(JSON.stringify(readGoal('买入数量再加一手').alternatives)).not.toContain('"买入"');
    const pork = readGoal('猪肉脯数量加一');
    expect(pork.steps).toEqual([{ click: 'plus icon near "猪肉脯数量"' }]);
    expect(pork.alternatives[0]).toContainEqual({ click: 'plus icon near "猪肉脯"' });
    expect(readGoal('每日坚果少买一袋，不是猪肉脯哈').steps).toEqual([{ click: 'minus icon near "每日坚果"' }]);
  });

  it('places the click by the thing a remark is about, with the screen\'s word for the act', () => {
    const r = readGoal('那件亚麻衬衫不要了，帮我删掉');
    expect(r.steps).toEqual([{ click: '删掉' }]);
    expect(r.alternatives[0]).toContainEqual({ click: '删除 in the row with "亚麻衬衫"' });
    expect(readGoal('AirPods先不买了，麻烦帮我移入收藏').alternatives[0]).toContainEqual({ click: '移入收藏 in the row with "AirPods"' });
    // A remark about the user places nothing.
    expect(readGoal('我已经有账号了，直接去登录').alternatives[0]).toBeUndefined();
  });
});

describe('readGoal: containers described, not named; acts on a record; a row\'s cell', () => {
  it('never drops a described container (measured: as many wrong clicks as right ones), but reads a list\'s pager', () => {
    expect(readGoal('rewind 10 seconds button in the player controls').alternatives[0] ?? []).not.toContainEqual({ click: 'rewind 10 seconds button' });
    expect(readGoal('表格工具栏右侧的列设置按钮').alternatives[0] ?? []).not.toContainEqual({ click: '列设置' });
    expect(readGoal('订单列表下一页').alternatives[0]).toEqual([{ click: "the pager's next arrow" }]);
  });

  it('never drops a row or an owner that says which one', () => {
    const row = readGoal('表格中周婷那一行的截止日期');
    expect(row.alternatives[0]).toEqual([{ click: '截止日期 in the row with "周婷"' }, { click: 'the cell in column "截止日期" of the row with "周婷"' }]);
    expect(readGoal('显示余额的小眼睛').alternatives[0]).not.toContainEqual({ click: '小眼睛' });
  });

  it('reads an act on a named person\'s record as that act\'s button in the row', () => {
    expect(readGoal('给买家“小鱼爱吃鱼”那单发货').steps).toEqual([{ click: '"发货" in the row with "小鱼爱吃鱼"' }]);
    expect(readGoal('给张伟那条申请通过').steps).toEqual([{ click: '"通过" in the row with "张伟"' }]);
    // A table's record is never left for its neighbour's; 预订记录 is a label, not a booking.
    expect(readGoal('给买家“小鱼爱吃鱼”那单发货').alternatives[0]).toBeUndefined();
    expect(readGoal('预订记录').steps).toEqual([{ click: '预订记录' }]);
    // "this one" is still the screen's own act.
    expect(readGoal('给这个视频点个赞').steps).toEqual([{ click: '点赞' }]);
  });
});

describe('readGoal: Chinese word order, sorting, going to a place, RPA closes', () => {
  it('reads a place said before the act as the thing in that place', () => {
    expect(readGoal('在目录里跳到待办事项那一节').steps).toEqual([{ click: '目录里的待办事项' }]);
    const day = readGoal('在日期栏中点击周日那天。');
    expect(day.steps).toEqual([{ click: '日期栏里的周日' }]);
  });

  it('leaves out "and see" after an act and a demonstrative after a name', () => {
    expect(readGoal('展开全部频道看看').steps).toEqual([{ click: '全部频道' }]);
    expect(readGoal('刷新下余票看看').steps).toEqual([{ click: '刷新余票' }]);
    // 下一页 keeps its 下.
    expect(readGoal('点下一页').steps).toEqual([{ click: '下一页' }]);
  });

  it('books on the named train\'s row, and keeps a place said before the act when it is no container', () => {
    expect(readGoal('帮我订G107那趟车').steps).toEqual([{ click: '"预订" in the row with "G107"' }]);
    // A named panel is never dropped, nor a place relative to a name.
    expect(readGoal('click Save in the Settings panel').alternatives[0] ?? []).not.toContainEqual({ click: 'Save' });
    expect(readGoal('张三右侧的删除').alternatives[0] ?? []).not.toContainEqual({ click: '删除' });
    // A pointer after a lone verb is kept: "点击那天" names 那天.
    expect(readGoal('点击那天').steps).toEqual([{ click: '那天' }]);
    // An icon's name alone is no guess for an act with no object.
    expect(readGoal('hide this post').alternatives[0] ?? []).not.toContainEqual({ click: 'eye' });
  });

  it('sorts by clicking the key, with the sort list as the fallback', () => {
    expect(readGoal('按耗时排序').steps).toEqual([{ click: '"耗时"' }]);
    const en = readGoal('sort by size descending');
    expect(en.steps).toEqual([{ click: '"size"' }]);
    expect(en.alternatives[0]).toContainEqual({ select: { option: 'size', in: 'Sort by' } });
  });

  it('clicks the view said after "switch to", and still navigates to a URL', () => {
    expect(readGoal('switch to grid layout').steps).toEqual([{ click: 'grid layout' }]);
    expect(readGoal('switch board to list view').steps).toEqual([{ click: 'list view' }]);
    expect(readGoal('go to https://example.com').steps).toEqual([{ navigate: 'https://example.com' }]);
  });

  it('reads an RPA close on a named tab and a 把 act said as "mark as resolved"', () => {
    expect(readGoal("Click button 'Close' on tab 'logo-draft.png'").steps).toEqual([{ click: 'close icon right of "logo-draft.png"' }]);
    const ba = readGoal('把陈浩那条评论标记为已解决');
    expect(ba.steps).toEqual([{ click: '"解决" in the row with "陈浩"' }]);
    expect(ba.alternatives[0]).toContainEqual({ click: '"解决" near "陈浩"' });
  });

  it('tries a thing picked from no list by its name without its kind', () => {
    expect(readGoal('select the sun glow layer').alternatives[0]).toEqual([{ click: '"sun glow"' }]);
  });
});
