import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DescriptionError, parseDescription } from '../../../../agents/embedded/ground/describe.ts';
import { approximateOccurrences, DIGIT_EDIT_COST, editCost, maxCostFor } from '../../../../agents/embedded/ground/text-match.ts';

describe('parseDescription', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['Click on the "OK" button', { text: 'OK', quoted: true, kind: 'text' }],
    ["'OK'", { text: 'OK', quoted: true }],
    ['“OK”', { text: 'OK', quoted: true }],
    ['「确定」', { text: '确定', quoted: true }],
    ['click the Submit button', { text: 'Submit', quoted: false, kind: 'text' }],
    ['the second Reject button in the list', { text: 'Reject', ordinal: 2, role: 'button' }],
    ['Snapshots in the Compute Engine menu', { text: 'Snapshots', anchor: { text: 'Compute Engine', relation: 'near' } }],
    ['顶部栏的上传图标', { text: '上传', region: 'top' }],
    ['click Sign in', { text: 'Sign in' }],
    ['open the Settings tab', { text: 'Settings' }],
    ['the "Log in" link', { text: 'Log in' }],
    ['"Button"', { text: 'Button', quoted: true }],
    ['click Link', { text: 'Link' }],
    ["don't save", { text: "don't save" }],
    ["the second 'Edit'", { text: 'Edit', ordinal: 2 }],
    ['the last "Delete"', { text: 'Delete', ordinal: -1 }],
    ['the 3rd Edit button', { text: 'Edit', ordinal: 3 }],
    ['第二个「编辑」', { text: '编辑', ordinal: 2 }],
    ['点击第三个删除按钮', { text: '删除', ordinal: 3 }],
    ['最后一个「删除」', { text: '删除', ordinal: -1 }],
    ["'Delete' in the row with 'alice'", { text: 'Delete', anchor: { text: 'alice', relation: 'row' } }],
    ['Delete in the same row as alice@example.com', { text: 'Delete', anchor: { text: 'alice@example.com', relation: 'row' } }],
    ['「alice」所在行的「删除」', { text: '删除', anchor: { text: 'alice', relation: 'row' } }],
    ['the "Save" button next to "Notes"', { text: 'Save', anchor: { text: 'Notes', relation: 'near' } }],
    ["the Edit button below 'Profile'", { text: 'Edit', anchor: { text: 'Profile', relation: 'below' } }],
    ["the field labelled 'Email'", { text: 'Email', kind: 'field' }],
    ['the Email field', { text: 'Email', kind: 'field' }],
    ['the input for Email', { text: 'Email', kind: 'field' }],
    ['the Search box', { text: 'Search', kind: 'field' }],
    ['the text field', { text: '', kind: 'field' }],
    ['the second text field', { text: '', kind: 'field', ordinal: 2 }],
    ['「邮箱」输入框', { text: '邮箱', kind: 'field' }],
    ["the checkbox next to 'Remember me'", { text: 'Remember me', kind: 'checkbox' }],
    ['check Remember me', { text: 'Remember me', kind: 'checkbox' }],
    ['「记住我」复选框', { text: '记住我', kind: 'checkbox' }],
    ['Sort by name', { text: 'Sort by name', anchor: undefined }],
    ['the button labelled "Next step"', { text: 'Next step' }],
    // A row named before the word "row"; "the same row" names none.
    ['tick the checkbox in the API migration row', { text: '', kind: 'checkbox', anchor: { text: 'API migration', relation: 'row' }, role: 'checkbox' }],
    ["the Edit link in Bob's row", { text: 'Edit', anchor: { text: 'Bob', relation: 'row' } }],
    ['click Delete in the same row', { anchor: undefined }],
    // The kind of control, when the words say.
    ['Click on the "Email" button', { text: 'Email', role: 'button' }],
    ['the switch next to "Dark mode"', { kind: 'checkbox', role: 'switch' }],
    ['自动更新的开关', { kind: 'checkbox', role: 'switch' }],
    ['tick the box in the row with "Nina Park"', { kind: 'checkbox', role: undefined }],
    // "of this …" is where the user already is.
    ['the Attachments tab of this PO', { text: 'Attachments', anchor: undefined }],
  ];
  for (const [desc, want] of cases) {
    it(JSON.stringify(desc), () => {
      expect(parseDescription(desc)).toMatchObject(want);
    });
  }

  it('rejects descriptions with no target', () => {
    expect(() => parseDescription('')).toThrow(DescriptionError);
    expect(() => parseDescription('click the button')).toThrow(/no target in "click the button"/);
  });
});

describe('approximateOccurrences', () => {
  // The slow obvious reference: the cheapest edit cost of the pattern against any non-empty substring.
  const bruteBest = (p: string[], t: string[]) => {
    let best = Infinity;
    for (let s = 0; s < t.length; s++) for (let e = s + 1; e <= t.length; e++) best = Math.min(best, editCost(p, t.slice(s, e)));
    return best;
  };
  const alphabet = fc.constantFrom('a', 'b', 'c', 'i', 'l', '1', 'o', '0', '2');

  it('finds the same cheapest alignment as trying every substring', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 6 }), fc.array(alphabet, { minLength: 1, maxLength: 14 }), (p, t) => {
        // Alignments that delete the whole pattern (empty spans) are not substrings; searchText skips them too.
        const occ = approximateOccurrences(p, t, p.length).filter((o) => o.end > o.start);
        const best = occ.length ? Math.min(...occ.map((o) => o.cost)) : Infinity;
        const brute = bruteBest(p, t);
        // Digit edits cost more than any bound: then nothing may come back.
        if (brute > p.length) expect(occ).toEqual([]);
        else expect(best).toBeCloseTo(brute, 9);
        for (const o of occ) expect(editCost(p, t.slice(o.start, o.end))).toBeCloseTo(o.cost, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('never changes, adds or drops a digit within a bound; letters stay fuzzy', () => {
    const chars = (s: string) => Array.from(s);
    expect(editCost(chars('item23'), chars('item21'))).toBeGreaterThanOrEqual(DIGIT_EDIT_COST);
    expect(editCost(chars('item2'), chars('item23'))).toBeGreaterThanOrEqual(DIGIT_EDIT_COST);
    expect(editCost(chars('item23'), chars('iten23'))).toBe(1);
    expect(editCost(chars('page10'), chars('page1o'))).toBeLessThan(1);
    expect(approximateOccurrences(chars('item23'), chars('xitem21x'), 4)).toEqual([]);
    // Without exact digits (listing near misses for messages) a digit is an ordinary edit.
    expect(editCost(chars('item23'), chars('item21'), false)).toBe(1);
    expect(approximateOccurrences(chars('item23'), chars('xitem21x'), 4, false)[0]).toMatchObject({ start: 1, end: 7, cost: 1 });
  });

  it('allows more edits for longer targets, none for one or two characters', () => {
    expect(maxCostFor(2)).toBeLessThan(1);
    expect(maxCostFor(7)).toBeGreaterThanOrEqual(1);
    expect(maxCostFor(20)).toBeGreaterThan(maxCostFor(7));
  });
});

describe('places on screen and containers', () => {
  it("reads X's name or title as X, what the screen shows", () => {
    expect(parseDescription("Grace Kim's name in the Sales Rep column")).toMatchObject({ text: 'Grace Kim', anchor: { text: 'Sales Rep' } });
    expect(parseDescription("Dana Ortiz's record")).toMatchObject({ text: 'Dana Ortiz' });
    expect(parseDescription("today's tasks").text).toBe("today's tasks");
  });

  it('keeps a relation word that starts the label when it would leave nothing to find', () => {
    expect(parseDescription('Under 30 min filter chip')).toMatchObject({ text: 'Under 30 min filter chip' });
    expect(parseDescription('Under 30 min filter chip').anchor).toBeUndefined();
    // Said after the target it is still a relation, and a description with no target still says so.
    expect(parseDescription('Archive below the Inbox heading')).toMatchObject({ text: 'Archive', anchor: { text: 'Inbox', relation: 'below' } });
    expect(() => parseDescription('the button below Save')).toThrow(/no target/);
  });

  it('reads a region as a place, not as words to find', async () => {
    const { parseDescription } = await import('../../../../agents/embedded/ground/describe.ts');
    expect(parseDescription('the gear icon in the top bar')).toMatchObject({ text: 'gear', region: 'top' });
    expect(parseDescription('Conversions in the sidebar')).toMatchObject({ text: 'Conversions', region: 'left' });
    expect(parseDescription('the bell at the top right corner')).toMatchObject({ text: 'bell', region: 'top-right' });
    expect(parseDescription('右上角的设置图标')).toMatchObject({ text: '设置', region: 'top-right' });
    expect(parseDescription('Sign in')).toEqual({ text: 'Sign in', quoted: false, kind: 'text' });
  });

  it('reads a panel named with its side as the side, and Chinese quotes beside Han characters', async () => {
    const { parseDescription } = await import('../../../../agents/embedded/ground/describe.ts');
    expect(parseDescription('Timeline in the outline on the left')).toMatchObject({ text: 'Timeline', region: 'left' });
    expect(parseDescription('the \'Export\' item in the left menu')).toEqual({ text: 'Export', quoted: true, kind: 'text', region: 'left' });
    expect(parseDescription('Save in the dialog on the right')).toMatchObject({ text: 'Save', region: 'right' });
    expect(parseDescription("左侧菜单中的'转账记录'")).toEqual({ text: '转账记录', quoted: true, kind: 'text', region: 'left' });
    expect(parseDescription('顶部导航栏里的设置')).toMatchObject({ text: '设置', region: 'top' });
    // An apostrophe is still no quote: "user's".
    expect(parseDescription("the user's 'OK' button")).toMatchObject({ text: 'OK', quoted: true });
  });

  it('reads "on the X card" as a neighbour to look near', async () => {
    const { parseDescription } = await import('../../../../agents/embedded/ground/describe.ts');
    expect(parseDescription('"Archive" button on the Help center card')).toMatchObject({ text: 'Archive', anchor: { text: 'Help center', relation: 'near' } });
    expect(parseDescription('the "View deal" button for Reykjavík')).toMatchObject({ text: 'View deal', anchor: { text: 'Reykjavík', relation: 'near' } });
  });
});

describe('parseDescription: Chinese places and neighbours', () => {
  it('reads a toolbar or status bar as a place, and drops the demonstrative', () => {
    expect(parseDescription('工具栏上那个铃铛')).toMatchObject({ text: '铃铛', region: 'top' });
    expect(parseDescription('最底下状态栏里的上证指数')).toMatchObject({ text: '上证指数', region: 'bottom' });
    expect(parseDescription('右上角那个放大镜')).toMatchObject({ text: '放大镜', region: 'top-right' });
    // A menu that is all the words name is the target, not the place's container.
    expect(parseDescription('左上角的菜单按钮')).toMatchObject({ text: '菜单', region: 'top-left', role: 'button' });
    expect(parseDescription('左侧菜单中的订单管理')).toMatchObject({ text: '订单管理', region: 'left' });
  });

  it('reads "X旁边的Y" as Y placed by X, but keeps a bare role word after it as part of the text', () => {
    expect(parseDescription('价格旁边的减号')).toMatchObject({ text: '减号', anchor: { text: '价格', relation: 'near' } });
    expect(parseDescription('搜索框后面的清除')).toMatchObject({ text: '清除', anchor: { text: '搜索框', relation: 'right' } });
    expect(parseDescription('搜索框后面的按钮').anchor).toBeUndefined();
    // Under someone's comment: placed below the name the screen shows; 下载 is no "under".
    expect(parseDescription('李娜评论下的"回复"按钮')).toMatchObject({ text: '回复', anchor: { text: '李娜', relation: 'below' } });
    expect(parseDescription('附件下载').anchor).toBeUndefined();
    // A checkbox before a name stays the name's checkbox.
    expect(parseDescription('店铺名前面的复选框')).toMatchObject({ text: '店铺名', kind: 'checkbox' });
  });

  it('keeps 在 that starts a word, and reads a destination as no place', () => {
    expect(parseDescription('在线客服')).toMatchObject({ text: '在线客服' });
    expect(parseDescription('在搜索框中').text).not.toMatch(/^在/);
    expect(parseDescription('回到顶部')).toMatchObject({ text: '回到顶部' });
    expect(parseDescription('回到顶部').region).toBeUndefined();
    expect(parseDescription('顶部的设置')).toMatchObject({ text: '设置', region: 'top' });
    // A navigation bar at the bottom is at the bottom.
    expect(parseDescription("底部导航栏中的'我的'")).toMatchObject({ text: '我的', region: 'bottom' });
    expect(parseDescription('导航栏里的首页')).toMatchObject({ text: '首页', region: 'top' });
  });
});
