import { describe, expect, it } from 'vitest';
import { GoalParseError, parseGoal } from '../../../agents/embedded/goal-parser.ts';
import { keyChord } from '../../../agents/embedded/key-chord.ts';
import { parseDescription } from '../../../agents/embedded/ground/describe.ts';
import { StepSchema } from '../../../src/core/task.ts';

const steps = (goal: string) => parseGoal(goal).steps;

function parseError(goal: string): GoalParseError {
  try {
    parseGoal(goal);
  } catch (e) {
    expect(e).toBeInstanceOf(GoalParseError);
    return e as GoalParseError;
  }
  throw new Error(`expected ${JSON.stringify(goal)} to be refused`);
}

describe('parseGoal: the English forms', () => {
  it.each([
    ['Click on the "OK" button.', [{ click: '"OK"' }]],
    ['Click button ONE, then click button TWO.', [{ click: 'ONE' }, { click: 'TWO' }]],
    ['Enter "Agustina" into the text field and press Submit.', [{ type: { text: 'Agustina', into: 'text field' } }, { click: 'Submit' }]],
    ['Select AU and click Submit.', [{ select: { option: 'AU' } }, { click: 'Submit' }]],
    [
      'Enter the username "karrie" and the password "AU" into the text fields and press login.',
      [{ type: { text: 'karrie', into: 'username' } }, { type: { text: 'AU', into: 'password' } }, { click: 'login' }],
    ],
    ['Close the dialog box by clicking the "x".', [{ click: '"x"' }]],
    ['Click on the link "Eget".', [{ click: '"Eget"' }]],
    ['Expand the section below and click submit.', [{ click: 'section' }, { click: 'submit' }]],
    ['Type "hello" and press Enter', [{ type: { text: 'hello' } }, { press: 'Enter' }]],
    ['Scroll down to "Item 80" and click it', [{ scroll: { direction: 'down', until: '"Item 80"' } }, { click: '"Item 80"' }]],
    ['Check "Remember me"', [{ click: 'the checkbox next to "Remember me"' }]],
  ])('%s', (goal, expected) => {
    expect(steps(goal)).toEqual(expected);
  });

  it('produces steps the task schema accepts, with the clause each came from', () => {
    const r = parseGoal('Enter the username "karrie" and the password "AU" into the text fields and press login.');
    for (const s of r.steps) expect(StepSchema.safeParse(s).success).toBe(true);
    expect(r.clauses).toEqual([
      'Enter the username "karrie" and the password "AU" into the text fields',
      'Enter the username "karrie" and the password "AU" into the text fields',
      'press login',
    ]);
  });

  it('keeps quoted text literal: separators and verbs inside quotes are text', () => {
    expect(steps('Click "Save, then exit"')).toEqual([{ click: '"Save, then exit"' }]);
    expect(steps('Type "click and press" into the "Notes" field')).toEqual([{ type: { text: 'click and press', into: '"Notes" field' } }]);
    expect(steps("Click 'Sign in' and wait 2 seconds")).toEqual([{ click: '"Sign in"' }, { wait: 2000 }]);
  });

  it('keeps "and" inside an unquoted label', () => {
    expect(steps('Click Terms and Conditions')).toEqual([{ click: 'Terms and Conditions' }]);
  });

  it('tells keys from buttons after "press"', () => {
    expect(steps('press Tab')).toEqual([{ press: 'Tab' }]);
    expect(steps('press Escape')).toEqual([{ press: 'Escape' }]);
    expect(steps('press ctrl+a')).toEqual([{ press: ['Control', 'a'] }]);
    expect(steps('Press Ctrl-Shift-T')).toEqual([{ press: ['Control', 'Shift', 't'] }]);
    expect(steps('press Delete')).toEqual([{ click: 'Delete' }]);
    expect(steps('Press the Delete key')).toEqual([{ press: 'Delete' }]);
    expect(steps('press the "Enter" button')).toEqual([{ click: '"Enter"' }]);
    expect(steps('press OK')).toEqual([{ click: 'OK' }]);
    expect(keyChord('login', false)).toBeUndefined();
    expect(keyChord('return', false)).toEqual(['Enter']);
  });

  it('reads other verbs: fill in, double-click, right-click, hover, wait, verify, scroll, go back', () => {
    expect(steps('Fill in "Email" with "a@b.c"')).toEqual([{ type: { text: 'a@b.c', into: '"Email"' } }]);
    expect(steps('Double-click "notes.txt"')).toEqual([{ click: { target: '"notes.txt"', count: 2 } }]);
    expect(steps('Right-click on "Row 3"')).toEqual([{ click: { target: '"Row 3"', button: 'right' } }]);
    expect(steps('Hover over "Menu"')).toEqual([{ hover: '"Menu"' }]);
    expect(steps('Wait 500 ms, then wait for "Done" to appear')).toEqual([{ wait: 500 }, { wait: { for: '"Done"' } }]);
    expect(steps('Verify that "Welcome, alice" is shown')).toEqual([{ assert: '"Welcome, alice"' }]);
    expect(steps('Check that "Saved" appears')).toEqual([{ assert: '"Saved"' }]);
    expect(steps('Scroll down')).toEqual([{ scroll: 'down' }]);
    expect(steps('Scroll up 4 times')).toEqual([{ scroll: { direction: 'up', amount: 4 } }]);
    expect(steps('Go back')).toEqual([{ back: true }]);
    expect(steps('Select "Canada" from the "Country" list')).toEqual([{ select: { option: '"Canada"', in: '"Country" list' } }]);
  });

  it('passes structured targets (ordinals, rows) to the grounder whole', () => {
    expect(steps(`Click the second "Edit"`)).toEqual([{ click: 'second "Edit"' }]);
    const [s] = steps(`Click "Delete" in the row with "alice"`) as [{ click: string }];
    expect(parseDescription(s.click)).toMatchObject({ text: 'Delete', anchor: { text: 'alice', relation: 'row' } });
  });

  it('puts unlabelled values into the fields in order', () => {
    expect(steps('Enter "x" and "y" into the text fields')).toEqual([
      { type: { text: 'x', into: 'the first text field' } },
      { type: { text: 'y', into: 'the second text field' } },
    ]);
  });
});

describe('parseGoal: the bundled tasks\' goals', () => {
  it.each([
    ['Select "中文" in the "Language" list, turn on "Dark mode" and click "Save".', [{ select: { option: '"中文"', in: '"Language" list' } }, { click: '"Dark mode"' }, { click: '"Save"' }]],
    ['在“语言”中选择“日本語”，关闭“电子邮件通知”，然后点击“保存”。', [{ select: { option: '"日本語"', in: '"语言"' } }, { click: '"电子邮件通知"' }, { click: '"保存"' }]],
    [
      'Click "Contact us", enter "bob@example.com" into the "Email" field, enter "Where is my order?" into the "Message" field and click "Send".',
      [{ click: '"Contact us"' }, { type: { text: 'bob@example.com', into: '"Email" field' } }, { type: { text: 'Where is my order?', into: '"Message" field' } }, { click: '"Send"' }],
    ],
  ])('%s', (goal, expected) => {
    expect(steps(goal)).toEqual(expected);
  });
});

describe('parseGoal: Chinese', () => {
  it.each([
    ['点击“登录”', [{ click: '"登录"' }]],
    ['在“用户名”中输入“alice”', [{ type: { text: 'alice', into: '"用户名"' } }]],
    ['输入“alice”到用户名', [{ type: { text: 'alice', into: '用户名' } }]],
    ['在“用户名”中输入“alice”，然后点击“登录”', [{ type: { text: 'alice', into: '"用户名"' } }, { click: '"登录"' }]],
    ['输入“alice”并点击“登录”', [{ type: { text: 'alice' } }, { click: '"登录"' }]],
    ['双击「文件」', [{ click: { target: '"文件"', count: 2 } }]],
    ['按回车键', [{ press: 'Enter' }]],
    ['按“提交”', [{ click: '"提交"' }]],
    ['勾选“记住我”', [{ click: 'the checkbox next to "记住我"' }]],
    ['向下滚动到“第80项”', [{ scroll: { direction: 'down', until: '"第80项"' } }]],
    ['等待2秒', [{ wait: 2000 }]],
    ['点击登录按钮', [{ click: '登录' }]],
  ])('%s', (goal, expected) => {
    expect(steps(goal)).toEqual(expected);
  });
});

describe('parseGoal: what it refuses', () => {
  it('names the part it did not understand', () => {
    const e = parseError('Click on the "OK" button and sing a song');
    expect(e.fragment).toBe('sing a song');
    expect(e.message).toContain('sing a song');
    const e2 = parseError('Dance wildly, then click "OK"');
    expect(e2.fragment).toBe('Dance wildly');
    const e3 = parseError('Click "OK", then the "Cancel" one');
    expect(e3.fragment).toBe('the "Cancel" one');
  });

  it('refuses empty goals, missing targets, dangling pronouns and non-keys', () => {
    expect(parseError('   ').message).toMatch(/empty/);
    expect(parseError('Click on the').message).toMatch(/no target/);
    expect(parseError('Click it').message).toMatch(/refers to nothing/);
    expect(parseError('Press the Florp key').message).toMatch(/not a key name/);
    expect(parseError('Close the dialog').message).toMatch(/say what to click/);
    expect(parseError('Type').message).toMatch(/no text to type/);
    expect(parseError('Enter karrie and AU into the text fields').message).toMatch(/quotes/);
  });
});

describe('parseGoal: drag and drop', () => {
  it.each([
    ['Drag "Report.pdf" onto "Trash".', [{ drag: { from: '"Report.pdf"', to: '"Trash"' } }]],
    ['Drag the "Fix login bug" card to the "Done" column', [{ drag: { from: '"Fix login bug"', to: '"Done"' } }]],
    ['Drag and drop "a.txt" into the "Archive" folder, then click "Save"', [{ drag: { from: '"a.txt"', to: '"Archive"' } }, { click: '"Save"' }]],
    ['Drop "Photo.png" on "Trash"', [{ drag: { from: '"Photo.png"', to: '"Trash"' } }]],
    ['drag Budget.xlsx in Downloads to Trash', [{ drag: { from: 'Budget.xlsx in Downloads', to: 'Trash' } }]],
    ['Move the card "Plan sprint" to "Doing"', [{ drag: { from: '"Plan sprint"', to: '"Doing"' } }]],
    ['Move the mouse to "Help"', [{ hover: '"Help"' }]],
    ['把“报告.pdf”拖到“回收站”', [{ drag: { from: '"报告.pdf"', to: '"回收站"' } }]],
    ['将“修复登录”卡片拖动到“完成”列中，然后点击“保存”', [{ drag: { from: '"修复登录"', to: '"完成"' } }, { click: '"保存"' }]],
    ['拖动“照片.png”到“回收站”上', [{ drag: { from: '"照片.png"', to: '"回收站"' } }]],
  ])('%s', (goal, expected) => {
    expect(steps(goal)).toEqual(expected);
    for (const s of steps(goal)) expect(StepSchema.safeParse(s).success).toBe(true);
  });

  it.each([
    ['Move the mouse pointer to "Menu"', [{ hover: '"Menu"' }]],
    ['Move your mouse over "Menu"', [{ hover: '"Menu"' }]],
    ['将鼠标移到“菜单”上', [{ hover: '"菜单"' }]],
    ['把鼠标移动到“菜单”', [{ hover: '"菜单"' }]],
    ['Drag "File" from "Downloads" to "Trash"', [{ drag: { from: '"File"', to: '"Trash"' } }]],
    ['点击“A”然后拖“B”到“C”', [{ click: '"A"' }, { drag: { from: '"B"', to: '"C"' } }]],
    ['Drag "A" to "B" and drag "C" onto "D"', [{ drag: { from: '"A"', to: '"B"' } }, { drag: { from: '"C"', to: '"D"' } }]],
    ['Drag "Report.pdf" and drop it on "Trash"', [{ drag: { from: '"Report.pdf"', to: '"Trash"' } }]],
    ['Drag the "Fix login bug" card, then drop it into the "Done" column', [{ drag: { from: '"Fix login bug"', to: '"Done"' } }]],
  ])('%s', (goal, expected) => {
    expect(steps(goal)).toEqual(expected);
  });

  it('leaves labels that contain drag, drop or move alone', () => {
    expect(steps('Click Save and Move On')).toEqual([{ click: 'Save and Move On' }]);
    expect(steps('Click Copy and Move')).toEqual([{ click: 'Copy and Move' }]);
    expect(steps('Click Save and Move On to Step 2')).toEqual([{ click: 'Save and Move On to Step 2' }]);
    expect(steps('Click Drag and Drop Demo')).toEqual([{ click: 'Drag and Drop Demo' }]);
    expect(parseGoal('Drag and drop "a" onto "b"').clauses).toEqual(['Drag and drop "a" onto "b"']);
  });

  it('refuses a drag without a destination, naming what it needs', () => {
    expect(parseError('Drag "Report.pdf"').message).toMatch(/could not understand "Drag "Report.pdf"": say what to drag and where/);
    expect(parseError('Move "Report.pdf" over "Trash"').message).toMatch(/say what to move and where/);
    expect(parseError('把“报告.pdf”拖走').message).toMatch(/拖动什么、拖到哪里/);
  });

  it('names the earlier drag source for "it"', () => {
    expect(steps('Drag "Report.pdf" to "Trash" and then click it')).toEqual([{ drag: { from: '"Report.pdf"', to: '"Trash"' } }, { click: '"Report.pdf"' }]);
  });
});
