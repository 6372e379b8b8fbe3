import { describe, expect, it } from 'vitest';
import { locate, LocateResultSchema } from '../../../../agents/embedded/ground/locate.ts';
import { buildOcr } from './ocr-builder.ts';

const inside = ([x, y]: [number, number], [x1, y1, x2, y2]: number[]) => x >= x1 && x <= x2 && y >= y1 && y <= y2;

describe('locate: text matching', () => {
  const ocr = buildOcr([
    { text: 'Sign in to continue', x: 100, y: 40, h: 24, charW: 12 },
    { text: 'Username  Sign in  Help', x: 100, y: 200 },
    { text: 'Credit  Cancel', x: 100, y: 300 },
  ]);

  it('finds an exact label and acts at the centre of its box', () => {
    const r = LocateResultSchema.parse(locate(ocr, 'Cancel'));
    const g = ocr.groups.find((x) => x.text === 'Cancel')!;
    expect(r.match?.box).toEqual(g.box);
    expect(r.match?.point).toEqual([(g.box[0] + g.box[2]) / 2, (g.box[1] + g.box[3]) / 2]);
    expect(r.match?.score).toBe(1);
    expect(r.match?.kind).toBe('text');
  });

  it('prefers a whole widget label over the same words inside a longer line', () => {
    const r = locate(ocr, 'the "Sign in" button');
    const button = ocr.groups.find((g) => g.text === 'Sign in')!;
    expect(r.match?.box).toEqual(button.box);
    // The heading's "Sign in" is listed as the next best alternative.
    expect(r.candidates[0].text).toBe('Sign in to continue');
  });

  it('is case-insensitive, scoring the exact case a little higher', () => {
    const r = locate(ocr, 'cancel');
    expect(r.match?.text).toBe('Cancel');
    expect(r.match!.score).toBeLessThan(1);
    expect(r.match!.score).toBeGreaterThan(0.95);
  });

  it('tolerates OCR dropping a space or misreading i as l, with a lower score', () => {
    for (const misread of ['Signin', 'Sign ln', 'Slgn in']) {
      const o = buildOcr([{ text: `Home  ${misread}  Help`, x: 10, y: 10 }]);
      const r = locate(o, '"Sign in"');
      expect(r.match?.text.replace(/\s/g, '')).toBe(misread.replace(/\s/g, ''));
      expect(r.match!.score).toBeGreaterThan(0.8);
    }
    const r = locate(buildOcr([{ text: 'Sign ln', x: 10, y: 10 }]), 'Sign in');
    expect(r.match!.score).toBeLessThan(locate(buildOcr([{ text: 'Sign in', x: 10, y: 10 }]), 'Sign in').match!.score);
  });

  it('bounds the edit distance: a different word is not a match, and the closest texts are listed', () => {
    const r = locate(ocr, '"Sign up"');
    expect(r.match).toBeUndefined();
    expect(r.message).toMatch(/no text matching "Sign up"/);
    expect(r.message).toMatch(/"Sign in"/);
    expect(r.candidates.length).toBeGreaterThan(0);
    expect(r.candidates[0].text).toMatch(/Sign in/);
  });

  it('never changes a number: digits match exactly, letters may still be misread', () => {
    // A scrolled list where OCR dropped a space ("Item21"); "Item 23" and "Item 20" are not on screen.
    const list = buildOcr(['Item 19', 'Item21', 'Item 22', 'Item 24', 'Item 123', 'Iten 25'].map((text, i) => ({ text, x: 20, y: 20 + 30 * i })));
    for (const target of ['Item 23', '"Item 23"', '"Item 20"', 'Item 2', '"Item 2"', '"3"']) {
      const r = locate(list, target);
      expect(r.match, target).toBeUndefined();
    }
    // The message still lists the near misses, for the person reading it.
    expect(locate(list, '"Item 23"').message).toMatch(/closest on screen: "Item2[12]"|closest on screen: "Item 2[24]"/);
    expect(locate(list, '"Item 22"').match?.text).toBe('Item 22');
    expect(locate(list, '"Item 21"').match?.text).toBe('Item21');
    expect(locate(list, '"Item 123"').match?.text).toBe('Item 123');
    // "n" read for "m" is a letter misread: still found.
    expect(locate(list, '"Item 25"').match?.text).toBe('Iten 25');
    // "0" and "o" are one glyph misread, not another number.
    expect(locate(buildOcr([{ text: 'Page 1O', x: 10, y: 10 }]), '"Page 10"').match?.text).toBe('Page 1O');
  });

  it('treats close glyphs alike: "×", "✕", "x" and "X"', () => {
    for (const seen of ['x', 'X', '×', '✕']) {
      const o = buildOcr([{ text: `Contact support  ${seen}`, x: 10, y: 10 }, { text: 'Export  Box', x: 10, y: 60 }]);
      for (const target of ['×', '"×"', 'the "x" button', '✕']) {
        const r = locate(o, target);
        expect(r.match?.text, `${target} on ${seen}`).toBe(seen);
      }
    }
  });

  it('does not match inside another word ("Edit" in "Credit")', () => {
    const r = locate(ocr, 'Edit');
    expect(r.match).toBeUndefined();
  });

  it('matches a span across consecutive words, with a box covering just those words', () => {
    const o = buildOcr([{ text: 'Terms of service and privacy', x: 0, y: 0 }]);
    const r = locate(o, 'click "of service"');
    const [of, service] = [o.words[1].box, o.words[2].box];
    expect(r.match?.box).toEqual([of[0], of[1], service[2], service[3]]);
  });

  it('reports an empty or target-less description clearly', () => {
    expect(locate(ocr, '   ').message).toMatch(/empty description/);
    expect(locate(ocr, 'click the button').message).toMatch(/no target/);
  });
});

describe('locate: Chinese', () => {
  const ocr = buildOcr([
    { text: '用户名  登录  帮助', x: 100, y: 100 },
    { text: '确定删除此文件吗', x: 100, y: 200 },
    { text: '编辑  删除', x: 100, y: 300 },
    { text: '编辑  删除', x: 100, y: 340 },
  ]);

  it('finds a whole Chinese label', () => {
    const r = locate(ocr, '点击「登录」按钮');
    expect(r.match?.box).toEqual(ocr.groups.find((g) => g.text === '登录')!.box);
  });

  it('finds characters inside an unspaced run, with a box over just those characters', () => {
    const r = locate(ocr, '第一个「删除」');
    // Whole labels win over the substring of the sentence.
    expect(r.match?.box).toEqual(ocr.groups.find((g) => g.text === '删除')!.box);
    // Two equal labels and nothing to choose between them: no answer, both named.
    const tie = locate(ocr, '「删除」');
    expect(tie.match).toBeUndefined();
    expect(tie.ambiguous).toBe(true);
    expect(tie.candidates.map((c) => c.box[1])).toEqual([300, 340]);
    const o = buildOcr([{ text: '确定删除此文件吗', x: 100, y: 200, charW: 8 }]);
    const s = locate(o, '「文件」');
    // Characters 5-6 of 8, each 16 px wide.
    expect(s.match?.box[0]).toBeCloseTo(100 + 5 * 16, 5);
    expect(s.match?.box[2]).toBeCloseTo(100 + 7 * 16, 5);
    expect(s.match!.score).toBeLessThan(1);
  });

  it('understands Chinese ordinals', () => {
    const second = locate(ocr, '第二个「编辑」');
    expect(second.match?.box[1]).toBe(340);
    const last = locate(ocr, '最后一个删除');
    expect(last.match?.box[1]).toBe(340);
  });

  it('understands a Chinese row hint', () => {
    const o = buildOcr([
      { text: 'alice  编辑  删除', x: 10, y: 10 },
      { text: 'bob  编辑  删除', x: 10, y: 40 },
    ]);
    expect(locate(o, '「bob」所在行的「删除」').match?.box[1]).toBe(40);
  });
});

describe('locate: disambiguation', () => {
  const table = buildOcr([
    { text: 'Edit profile', x: 10, y: 10, h: 20, charW: 10 },
    { text: 'alice  alice@example.com  Edit  Delete', x: 10, y: 60 },
    { text: 'bob  bob@example.com  Edit  Delete', x: 10, y: 100 },
    { text: 'carol  carol@example.com  Edit  Delete', x: 10, y: 140 },
  ]);

  it('orders equally good matches in reading order for ordinals', () => {
    expect(locate(table, "the second 'Edit'").match?.box[1]).toBe(100);
    expect(locate(table, 'the last "Delete"').match?.box[1]).toBe(140);
    expect(locate(table, 'the 1st "Delete" link').match?.box[1]).toBe(60);
    // Without an ordinal three equal "Edit" labels are no answer (the heading "Edit profile" is
    // not one of them: it matches less well).
    const tie = locate(table, 'Edit');
    expect(tie.match).toBeUndefined();
    expect(tie.message).toMatch(/"Edit" is on screen more than once, equally well/);
    expect(tie.candidates.map((c) => c.box[1])).toEqual([60, 100, 140]);
  });

  it('says how many there are when the ordinal is too large', () => {
    const r = locate(table, 'the fifth "Delete"');
    expect(r.match).toBeUndefined();
    expect(r.message).toMatch(/5th "Delete" but the screen shows 3/);
  });

  it('finds the target in the row of another text', () => {
    const r = locate(table, "'Delete' in the row with 'bob'");
    expect(r.match?.box[1]).toBe(100);
    expect(inside(r.match!.point, table.groups.find((g) => g.text === 'Delete' && g.box[1] === 100)!.box)).toBe(true);
    expect(locate(table, 'Edit in the same row as carol@example.com').match?.box[1]).toBe(140);
  });

  it('finds a row button level with the middle of a two-line cell, and not in a paragraph or the next row', () => {
    // A name over a job title; the row's buttons sit at the pair's middle, level with neither line.
    const cells = buildOcr([
      { text: 'Maria Gonzalez', x: 300, y: 100, h: 11 },
      { text: 'Approve', x: 1100, y: 109, h: 12 },
      { text: 'Engineering', x: 300, y: 116, h: 13 },
      { text: 'Liam Chen', x: 300, y: 150, h: 11 },
      { text: 'Approve', x: 1100, y: 159, h: 12 },
      { text: 'Product Design', x: 300, y: 166, h: 13 },
    ]);
    expect(locate(cells, "'Approve' in the row with 'Liam Chen'").match?.box[1]).toBe(159);
    expect(locate(cells, 'Approve in the row with Engineering').match?.box[1]).toBe(109);
    // Three lines so close are a paragraph: its first line's row is that line alone.
    const para = buildOcr([
      { text: 'Liam Chen wrote', x: 300, y: 150, h: 11 },
      { text: 'Approve', x: 1100, y: 159, h: 12 },
      { text: 'a long note that', x: 300, y: 166, h: 11 },
      { text: 'runs on and on', x: 300, y: 182, h: 11 },
    ]);
    expect(locate(para, "'Approve' in the row with 'Liam Chen wrote'").match).toBeUndefined();
    // Two one-line rows close together: the next row's button is level with the next row's text.
    const tight = buildOcr([
      { text: 'Ava Johnson', x: 300, y: 150, h: 12 },
      { text: 'Stopped', x: 1100, y: 150, h: 12 },
      { text: 'Lucas Muller', x: 300, y: 168, h: 12 },
      { text: 'Approve', x: 1100, y: 168, h: 12 },
    ]);
    expect(locate(tight, "'Approve' in the row with 'Ava Johnson'").match).toBeUndefined();
  });

  it('explains a row anchor that is not on screen', () => {
    const r = locate(table, "'Delete' in the row with 'dave'");
    expect(r.match).toBeUndefined();
    expect(r.message).toMatch(/"dave"/);
  });

  it('picks the target nearest a "next to" anchor', () => {
    const o = buildOcr([
      { text: 'Save  Export', x: 10, y: 10 },
      { text: 'Notes  Save', x: 400, y: 300 },
    ]);
    expect(locate(o, '"Save" next to "Notes"').match?.box[0]).toBeGreaterThan(400);
    expect(locate(o, '"Save" next to "Export"').match?.box[0]).toBe(10);
  });
});

describe('locate: fields and checkboxes without a screenshot', () => {
  const ocr = buildOcr([
    { text: 'Email:', x: 100, y: 100 },
    { text: 'Remember me', x: 130, y: 200 },
  ]);

  it('guesses a field right of a "Label:" when there is no image', () => {
    const r = locate(ocr, 'the field labelled "Email"');
    expect(r.match?.kind).toBe('field');
    expect(r.match!.box[0]).toBeGreaterThan(ocr.lines[0].box[2]);
    expect(r.match!.score).toBeLessThan(1);
  });

  it('guesses a checkbox left of its label', () => {
    const r = locate(ocr, 'the checkbox next to "Remember me"');
    expect(r.match!.box[2]).toBeLessThanOrEqual(130);
  });

  it('needs the screenshot for "the text field" without a label', () => {
    expect(locate(ocr, 'the text field').message).toMatch(/needs the screenshot/);
  });
});

describe('locate: edge cases of OCR output', () => {
  it('matches lines that carry no word boxes, by the line text alone', () => {
    const ocr = buildOcr([{ text: 'Open settings', x: 0, y: 0 }]);
    ocr.lines[0].words = [];
    ocr.lines[0].groups = [];
    const r = locate(ocr, '"settings"');
    expect(r.match).toBeDefined();
    expect(r.match!.box[0]).toBeGreaterThan(ocr.lines[0].box[0]);
  });

  it('does not take one or two characters from inside a longer token', () => {
    const ocr = buildOcr([{ text: 'v2.1  12  Q3', x: 0, y: 0 }]);
    expect(locate(ocr, '"1"').match).toBeUndefined();
    expect(locate(ocr, '"12"').match?.text).toBe('12');
  });

  it('keeps symbols when the target is only symbols', () => {
    const ocr = buildOcr([{ text: 'Add  +  -', x: 0, y: 0 }]);
    expect(locate(ocr, '"+"').match?.box).toEqual(ocr.groups[1].box);
  });
});

describe('locate: a place on screen', () => {
  // 1280×720: "Settings" in the left sidebar, halfway down, and "Help" at the top right.
  const ocr = buildOcr([
    { text: 'Help', x: 1150, y: 20 },
    { text: 'Settings', x: 20, y: 340 },
    { text: 'Export', x: 900, y: 300 },
  ]);

  it('takes a text in the half of the screen the place names when none is right there', () => {
    // "Export" is right of centre and above the middle, though not in the top-right corner band.
    expect(locate(ocr, 'Export at the top right').match?.text).toBe('Export');
  });

  it('refuses a text on the other side of the screen from the place named', () => {
    const r = locate(ocr, 'Settings at the top right');
    expect(r.match).toBeUndefined();
    expect(locate(ocr, '右上角的设置').match).toBeUndefined();
    expect(locate(ocr, 'Settings in the left sidebar').match?.text).toBe('Settings');
  });
});

describe('locate: two equal labels in the place named', () => {
  it('takes the one by the edge the place names when it is clearly nearer it', () => {
    // Both left of a third of a 1440 px screen: the sidebar's at x≈90, the list's at x≈430.
    const ocr = buildOcr([{ text: 'Deploy to staging', x: 30, y: 270 }, { text: 'Deploy to staging', x: 366, y: 740 }], { width: 1440, height: 900 });
    expect(locate(ocr, 'Deploy to staging in the sidebar').match?.box[0]).toBe(30);
    // Side by side near the edge, neither is clearly nearer: say which.
    const close = buildOcr([{ text: 'Deploy', x: 20, y: 100 }, { text: 'Deploy', x: 40, y: 600 }], { width: 1440, height: 900 });
    expect(locate(close, 'Deploy in the sidebar').ambiguous).toBe(true);
  });
});

describe('findAnchor: a Chinese name said with a few of its title\'s words', () => {
  it('takes the one line that has both pieces in order, and no line when two have them', async () => {
    const { findAnchor } = await import('../../../../agents/embedded/ground/anchors.ts');
    const ocr = buildOcr([
      { text: '女装亚麻混纺长袖衬衫宽松休闲', x: 100, y: 100 },
      { text: '男士纯棉短袖T恤', x: 100, y: 200 },
    ]);
    const a = findAnchor(ocr, '亚麻衬衫');
    expect(a.hits).toHaveLength(1);
    expect(a.hits[0].box[1]).toBe(100);
    expect(findAnchor(ocr, '纯棉衬衫').hits).toHaveLength(0);
    const two = buildOcr([
      { text: '女装亚麻混纺长袖衬衫', x: 100, y: 100 },
      { text: '男装亚麻短袖衬衫', x: 100, y: 200 },
    ]);
    expect(findAnchor(two, '亚麻衬衫').hits).toHaveLength(0);
  });
});

describe('locate: an item in a menu named by its heading', () => {
  // A console's sidebar: two menus, each listing a "Snapshots" far below its heading (16 px text, 40 px rows).
  const ocr = buildOcr([
    { text: 'Compute Engine', x: 20, y: 40 },
    { text: 'VM instances', x: 36, y: 80 },
    { text: 'Instance groups', x: 36, y: 120 },
    { text: 'Machine images', x: 36, y: 160 },
    { text: 'Disks', x: 36, y: 200 },
    { text: 'Snapshots', x: 36, y: 240 },
    { text: 'Storage', x: 20, y: 300 },
    { text: 'Buckets', x: 36, y: 340 },
    { text: 'Snapshots', x: 36, y: 380 },
  ]);

  it('takes the item listed under the heading the menu is named by', () => {
    expect(locate(ocr, 'Snapshots in the Compute Engine menu').match?.box[1]).toBe(240);
    expect(locate(ocr, 'Snapshots in the Storage menu').match?.box[1]).toBe(380);
  });

  it('keeps "near" near: the same words without a menu are refused', () => {
    expect(locate(ocr, 'Snapshots near Compute Engine').match).toBeUndefined();
  });
});
