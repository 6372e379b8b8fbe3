import { describe, expect, it } from 'vitest';
import { parseSomReply } from '../../../agents/glm-common/som-grammar.ts';
import { CoordinateMapper } from '../../../agents/profile/parsing/coordinates.ts';
import type { MarkedElement } from '../../../agents/profile/profile.ts';
import { ReplyParseError } from '../../../agents/profile/profile.ts';
import { parseAction } from '../../../src/core/actions.ts';

const elements: MarkedElement[] = [
  { id: 1, box: [10, 10, 110, 40], tag: '<input>', text: 'Username' },
  { id: 2, box: [10, 60, 110, 90], tag: '<button>', text: '登录' },
  { id: 12, box: [200, 10, 300, 40], tag: '<a>', text: 'Help' },
];
const ctx = { map: new CoordinateMapper('thousandths', { frameWidth: 1280, frameHeight: 720, sentWidth: 1288, sentHeight: 728 }), elements };
const parse = (text: string) => parseSomReply(text, undefined, ctx).actions.map(parseAction);

describe('set-of-marks grammar (WebVoyager style)', () => {
  it('Click [N] in its bracket variants, boxed or not, full-width colon', () => {
    for (const t of ['Thought: x\nAction: Click [12]', 'Thought: x\nAction: Click [[12]]', 'Action：Click 12', 'Thought: x\nAction: <|begin_of_box|>Click [12]<|end_of_box|>\nMemory_Updated: {}', '<think>hm</think><answer>Thought: x\nAction: click [12]</answer>']) {
      expect(parse(t)).toEqual([{ action: 'click', target: { box: [200, 10, 300, 40], label: 'Help' }, button: 'left', count: 1 }]);
    }
  });
  it('Type keeps semicolons and brackets inside the text, clears the field and presses Enter (as the official prompt says); Chinese labels survive', () => {
    expect(parse('Action: Type [1]; [a;b [c]]')).toEqual([{ action: 'type', text: 'a;b [c]', target: { box: [10, 10, 110, 40], label: 'Username' }, clear: true, submit: true }]);
    expect(parse('Action: Click [2]')[0]).toMatchObject({ target: { label: '登录' } });
  });
  it('Scroll, Key, Wait (5 s), GoBack, Bing, ANSWER', () => {
    expect(parse('Action: Scroll [WINDOW]; [down]')).toEqual([{ action: 'scroll', direction: 'down', amount: 5 }]);
    expect(parse('Action: Scroll [1]; [up]')[0]).toMatchObject({ direction: 'up', target: { box: [10, 10, 110, 40] } });
    expect(parse('Action: Key; [Return]')).toEqual([{ action: 'key', keys: ['Enter'] }]);
    expect(parse('Action: Wait')).toEqual([{ action: 'wait', ms: 5000 }]);
    expect(parse('Action: GoBack')).toEqual([{ action: 'back' }]);
    expect(parse('Action: Bing')).toEqual([{ action: 'navigate', url: 'https://www.bing.com/' }]);
    expect(parse('Action: ANSWER; <content>42, I think</content>')).toEqual([{ action: 'finish', answer: '42, I think' }]);
  });
  it('strict: unknown element numbers and unknown verbs are errors for repair', () => {
    expect(() => parse('Action: Click [7]')).toThrow(ReplyParseError);
    expect(() => parse('Action: Click [7]')).toThrow(/element \[7\] is not on the screenshot; numbered elements are \[1\]\.\.\[12\]/);
    expect(() => parse('Action: Google')).toThrow(/unknown action 'Google'/);
    expect(() => parse('Thought: nothing to do')).toThrow(/no "Action: …" line/);
    expect(() => parse('Action: Click [x]')).toThrow(/element number/);
  });
});
