import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, ActionValidationError, actionJsonSchema, describeAction, parseAction, targetPoint } from '../../src/core/actions.ts';

describe('action schema', () => {
  it('accepts every action kind of the design and applies defaults', () => {
    const samples = [
      { action: 'click', target: { box: [10, 10, 30, 20] } },
      { action: 'hover', target: { point: [5, 5] } },
      { action: 'drag', from: { point: [1, 1] }, to: { point: [50, 60] } },
      { action: 'type', text: '你好 world' },
      { action: 'key', keys: ['Control', 'a'] },
      { action: 'scroll', direction: 'left' },
      { action: 'wait', ms: 200 },
      { action: 'navigate', url: '/x.html' },
      { action: 'back' },
      { action: 'finish', answer: '42' },
      { action: 'fail', reason: 'no such button' },
      { action: 'long_press', target: { point: [5, 5] } },
      { action: 'swipe', from: { point: [50, 80] }, to: { point: [50, 20] } },
    ];
    expect(samples.map((s) => s.action).sort()).toEqual([...ACTION_KINDS].sort());
    const parsed = samples.map(parseAction);
    expect(parsed[0]).toMatchObject({ button: 'left', count: 1 });
    expect(parsed[3]).toMatchObject({ clear: false, submit: false, text: '你好 world' });
    expect(parsed[5]).toMatchObject({ amount: 3 });
    expect(parsed[11]).toMatchObject({ ms: 800 });
    expect(parsed[12]).toMatchObject({ ms: 300 });
    expect(() => parseAction({ action: 'long_press', target: { point: [5, 5] }, ms: 20_000 })).toThrow(/ms/);
  });

  it('names the field, the expectation and the value on bad input', () => {
    try {
      parseAction({ action: 'click', target: { point: [10, 'x'] } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ActionValidationError);
      const msg = (e as Error).message;
      expect(msg).toContain('target.point.1');
      expect(msg).toContain('"x"');
    }
    expect(() => parseAction({ action: 'click', target: {} })).toThrow(/target needs a point or a box/);
    expect(() => parseAction({ action: 'scroll', direction: 'sideways' })).toThrow(/direction.*sideways/);
    expect(() => parseAction({ action: 'click', target: { box: [30, 10, 10, 20] } })).toThrow(/x1 <= x2/);
    expect(() => parseAction({ action: 'click', target: { point: [NaN, 1] } })).toThrow(ActionValidationError);
    expect(() => parseAction({ action: 'type', text: 'a', extra: 1 })).toThrow(/extra|Unrecognized/);
  });

  it('rejects unknown actions with the list of known ones', () => {
    expect(() => parseAction({ action: 'teleport' })).toThrow(/unknown action "teleport".*click, hover/);
    expect(() => parseAction('click')).toThrow(ActionValidationError);
  });

  it('acts on the centre of a box unless a point is given', () => {
    expect(targetPoint({ box: [10, 20, 30, 60] })).toEqual([20, 40]);
    expect(targetPoint({ box: [10, 20, 30, 60], point: [11, 21] })).toEqual([11, 21]);
  });

  it('exports a JSON Schema that lists every action', () => {
    const schema = actionJsonSchema();
    const text = JSON.stringify(schema);
    for (const kind of ACTION_KINDS) expect(text).toContain(`"${kind}"`);
    expect(schema.oneOf ?? schema.anyOf).toBeDefined();
  });

  it('describes actions in one readable line', () => {
    expect(describeAction(parseAction({ action: 'click', count: 2, target: { box: [0, 0, 10, 10], label: 'OK' } }))).toBe('double-click (5,5) "OK"');
    expect(describeAction(parseAction({ action: 'key', keys: ['Control', 'c'] }))).toBe('key Control+c');
  });
});
