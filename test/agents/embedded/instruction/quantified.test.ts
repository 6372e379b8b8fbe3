import { describe, expect, it } from 'vitest';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { quantifiedStep } from '../../../../agents/embedded/instruction/quantified.ts';

const read = (goal: string) => {
  const r = readGoal(goal);
  return quantifiedStep(r.steps[0], r.clauses[0]);
};

describe('steps on several targets', () => {
  it('reads which set a goal names, and whether to tick or untick', () => {
    expect(read('type 4821 into both fields')).toEqual({ kind: 'fields', quantifier: 'both', text: '4821' });
    expect(read('fill all the text boxes with N/A')).toEqual({ kind: 'fields', quantifier: 'all', text: 'N/A' });
    expect(read('type 4821 into both code fields')).toEqual({ kind: 'fields', quantifier: 'both', text: '4821', filter: 'code' });
    expect(read('tick every box')).toEqual({ kind: 'checkboxes', quantifier: 'all', tick: true });
    expect(read('check all the checkboxes')).toEqual({ kind: 'checkboxes', quantifier: 'all', tick: true });
    expect(read('uncheck everything')).toEqual({ kind: 'checkboxes', quantifier: 'all', tick: false });
    expect(read('check every box labelled "beta"')).toEqual({ kind: 'checkboxes', quantifier: 'all', tick: true, filter: 'beta' });
    expect(read('check all the beta options')).toEqual({ kind: 'checkboxes', quantifier: 'all', tick: true, filter: 'beta' });
    expect(read('tick every box in the list')).toEqual({ kind: 'checkboxes', quantifier: 'all', tick: true });
    expect(read('勾选所有选项')).toEqual({ kind: 'checkboxes', quantifier: 'all', tick: true });
  });

  it('keeps a kind of thing apart from words to match, so that it can be refused', () => {
    expect(read('tick every box whose label is a fruit')).toMatchObject({ kind: 'checkboxes', category: 'a fruit' });
    expect(read('勾选所有水果')).toMatchObject({ kind: 'checkboxes', category: '水果' });
  });

  it('leaves steps on one target alone', () => {
    expect(read('type 4821 into the Code field')).toBeUndefined();
    expect(read('check "Remember me"')).toBeUndefined();
    expect(read('check Every day')).toBeUndefined();
    expect(read('click All')).toBeUndefined();
  });
});
