import { describe, expect, it } from 'vitest';
import { normalizeChord, normalizeKeyName, UnknownKeyError } from '../../src/core/keys.ts';

describe('normalizeKeyName', () => {
  it.each([
    ['ctrl', 'Control'],
    ['Control', 'Control'],
    ['CMD', 'Meta'],
    ['super', 'Meta'],
    ['meta', 'Meta'],
    ['option', 'Alt'],
    ['alt', 'Alt'],
    ['esc', 'Escape'],
    ['Escape', 'Escape'],
    ['return', 'Enter'],
    ['enter', 'Enter'],
    ['del', 'Delete'],
    ['backspace', 'Backspace'],
    ['pgup', 'PageUp'],
    ['PageDown', 'PageDown'],
    ['pgdn', 'PageDown'],
    ['up', 'ArrowUp'],
    ['Down', 'ArrowDown'],
    ['left', 'ArrowLeft'],
    ['ArrowRight', 'ArrowRight'],
    ['space', 'Space'],
    [' ', 'Space'],
    ['tab', 'Tab'],
    ['f1', 'F1'],
    ['F12', 'F12'],
    ['a', 'a'],
    ['Z', 'Z'],
    ['7', '7'],
    ['/', '/'],
    ['plus', '+'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeKeyName(input)).toBe(expected);
  });

  it.each(['banana', 'f13', 'F0', '', 'ctrl-a', '中', 'é'])('rejects %j with UnknownKeyError naming it', (input) => {
    expect(() => normalizeKeyName(input)).toThrow(UnknownKeyError);
    expect(() => normalizeKeyName(input)).toThrow(`unknown key name ${JSON.stringify(input)}`);
  });
});

describe('normalizeChord', () => {
  it('puts modifiers first and lower-cases a letter held with a command modifier', () => {
    expect(normalizeChord(['Control', 'a'])).toEqual(['Control', 'a']);
    expect(normalizeChord(['A', 'ctrl'])).toEqual(['Control', 'a']);
    expect(normalizeChord(['Shift', 'Tab'])).toEqual(['Shift', 'Tab']);
    expect(normalizeChord(['shift', 'A'])).toEqual(['Shift', 'A']);
    expect(normalizeChord(['A'])).toEqual(['A']);
  });

  it('splits chords written as one name, including a literal plus', () => {
    expect(normalizeChord(['ctrl+shift+t'])).toEqual(['Control', 'Shift', 't']);
    expect(normalizeChord(['Ctrl++'])).toEqual(['Control', '+']);
    expect(normalizeChord(['+'])).toEqual(['+']);
    expect(normalizeChord(['cmd+Left'])).toEqual(['Meta', 'ArrowLeft']);
  });

  it('drops a repeated modifier and rejects an empty chord or an unknown part', () => {
    expect(normalizeChord(['ctrl', 'Control', 'c'])).toEqual(['Control', 'c']);
    expect(() => normalizeChord([])).toThrow(UnknownKeyError);
    expect(() => normalizeChord(['ctrl+banana'])).toThrow(/unknown key name "banana"/);
  });
});
