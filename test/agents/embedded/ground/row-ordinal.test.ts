import { describe, expect, it } from 'vitest';
import { parseDescription } from '../../../../agents/embedded/ground/describe.ts';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { buildOcr } from './ocr-builder.ts';

// A VM list: a toolbar and a column header above evenly spaced rows; a running row shows Stop, not Start.
const ocr = buildOcr([
  { text: 'Refresh  Create instance', x: 40, y: 20 },
  { text: 'NAME  ZONE  ACTIONS', x: 40, y: 70 },
  { text: 'web-1  us-east1-b  Start', x: 40, y: 110 },
  { text: 'us-east1-b', x: 40, y: 128, h: 12 }, // a two-line cell's second line
  { text: 'web-2  us-east1-c  Stop', x: 40, y: 160 },
  { text: 'db-1  europe-west1  Start', x: 40, y: 210 },
  { text: 'db-2  asia-east1  Start', x: 40, y: 260 },
]);

describe('rows counted', () => {
  it('reads "in the Nth row", "of the Nth <listed thing>" and "the Nth <listed thing>" as a row', () => {
    expect(parseDescription('Start in the sixth row')).toMatchObject({ text: 'Start', row: 6 });
    expect(parseDescription('Duplicate of the fifth expense')).toMatchObject({ text: 'Duplicate', row: 5 });
    expect(parseDescription('third ticket in the list')).toMatchObject({ text: '', row: 3 });
    expect(parseDescription('the checkbox on the last email')).toMatchObject({ kind: 'checkbox', row: -1 });
    // A second button of a kind is a count of buttons, not of rows.
    expect(parseDescription('the second Reject button in the list')).toMatchObject({ text: 'Reject', ordinal: 2 });
    expect(parseDescription('the second Reject button in the list').row).toBeUndefined();
    expect(readGoal('I want to start the instance in the sixth row, please').steps).toEqual([{ click: 'Start in the sixth row' }]);
  });

  it('counts the list\'s rows, not the toolbar, the header or a cell\'s second line', () => {
    expect(locate(ocr, 'Start in the third row').match?.box[1]).toBe(210);
    expect(locate(ocr, 'Start in the last row').match?.box[1]).toBe(260);
    expect(locate(ocr, 'the second row').match?.text).toBe('web-2 us-east1-c Stop');
  });

  it('refuses a row that lacks the target, and a row past the end, saying what the row shows', () => {
    const stopped = locate(ocr, 'Start in the second row');
    expect(stopped.match).toBeUndefined();
    expect(stopped.message).toMatch(/no "Start" in the second row \("web-2/);
    expect(locate(ocr, 'Start in the ninth row').message).toMatch(/the list shows 4/);
  });
});

// An approvals table: a header of words only above rows that all show a date; an avatar read
// before most names, but not before 王芳's; every row ends with 同意 拒绝 转交.
const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '赵磊'];
const approvals = buildOcr([
  { text: '申请人', x: 160, y: 210 },
  { text: '提交时间', x: 636, y: 210 },
  { text: '操作', x: 845, y: 210 },
  ...NAMES.flatMap((name, i) => [
    ...(i === 1 ? [] : [{ text: name, x: 160, y: 256 + 50 * i }]),
    { text: name, x: 192, y: 252 + 50 * i },
    { text: `2024-10-${30 - i} 09:12`, x: 636, y: 256 + 50 * i },
    { text: '同意 拒绝 转交', x: 845, y: 256 + 50 * i },
  ]),
]);

describe('rows counted in a table with a header of words', () => {
  it('leaves out a header with no figure above rows that all have one', () => {
    const first = locate(approvals, 'the first row').match;
    expect(first?.text).not.toMatch(/申请人|提交时间|操作/);
    expect(first?.box[1]).toBeGreaterThanOrEqual(252);
    expect(first?.box[1]).toBeLessThanOrEqual(256);
  });

  it('counts by the sought text\'s own column when every row has it, so a row whose first cell was not read still counts', () => {
    expect(locate(approvals, '"转交" in the 3rd row').match?.box[1]).toBe(356);
    expect(locate(approvals, '"转交" in the last row').match?.box[1]).toBe(506);
  });
});

