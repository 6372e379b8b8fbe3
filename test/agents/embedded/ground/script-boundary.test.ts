import { describe, expect, it } from 'vitest';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { onAnchorRow } from '../../../../agents/embedded/ground/row-band.ts';
import { searchText } from '../../../../agents/embedded/ground/text-match.ts';
import { buildOcr } from './ocr-builder.ts';

describe('Chinese next to Latin letters and digits, and rows of two-line cells', () => {
  // A flight row: the airline and its flight number in one word, the aircraft under it, and
  // the row's button level with the middle of the pair.
  const ocr = buildOcr([
    { text: '海南航空HU7606', x: 190, y: 758, h: 14 },
    { text: '订票', x: 1239, y: 767, h: 14 },
    { text: '波音737(中)·有餐食', x: 190, y: 779, h: 13 },
    { text: '东方航空MU5101', x: 190, y: 682, h: 14 },
    { text: '订票', x: 1239, y: 691, h: 14 },
    { text: '空客320·有餐食', x: 190, y: 703, h: 13 },
  ]);

  it('reads a flight number after Chinese as a word of its own, though no space parts them', () => {
    const [hit] = searchText(ocr, 'HU7606');
    expect(hit.text).toBe('HU7606');
    // A whole word inside a longer label, not a piece of a word (those score 0.55 at most).
    expect(hit.score).toBeGreaterThan(0.8);
    // Part of the letters is still part of a word.
    expect(searchText(ocr, 'U7606')[0]?.score ?? 0).toBeLessThan(0.6);
  });

  it("finds the row's button level with the middle of the anchor's two-line cell, from an anchor inside its line", () => {
    const [hit] = searchText(ocr, 'HU7606');
    const buttons = ocr.groups.filter((g) => g.text === '订票');
    expect(buttons.map((b) => onAnchorRow(b.box, hit.box, ocr))).toEqual([true, false]);
    const r = locate(ocr, '订票 in the row with "HU7606"');
    expect(r.match?.box).toEqual(buttons[0].box);
  });

  it('guesses no field from a word at the end of a sentence', () => {
    const chat = buildOcr([{ text: '“张伟”撤回了一条消息', x: 400, y: 300 }]);
    const r = locate(chat, 'the field labelled 消息');
    expect(r.match).toBeUndefined();
    expect(r.message).toMatch(/no input seen for "消息": "消息" is only part of "“张伟”撤回了一条消息"/);
    // A label alone still names the field beside it, guessed where it usually is.
    const form = buildOcr([{ text: '消息', x: 400, y: 300 }]);
    expect(locate(form, 'the field labelled 消息').match?.kind).toBe('field');
  });
});
