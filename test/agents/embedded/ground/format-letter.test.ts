import { describe, expect, it } from 'vitest';
import { locateFormatLetter } from '../../../../agents/embedded/ground/format-letter.ts';
import { buildOcr } from './ocr-builder.ts';

// An editor's formatting buttons read as one-letter words: "bold" is the "B" of such a run only.

describe('formatting letters', () => {
  const toolbar = buildOcr([
    { text: 'File Edit View', x: 20, y: 10 },
    { text: 'B I U S', x: 300, y: 60 },
    { text: 'Grade B was given to the second draft', x: 20, y: 200 },
  ]);

  it('finds "bold" as the B of a toolbar run, and the others by their letters', () => {
    const b = locateFormatLetter(toolbar, 'the bold button');
    expect(b?.match?.box).toEqual(toolbar.words.find((w) => w.text === 'B' && w.box[1] === 60)!.box);
    expect(locateFormatLetter(toolbar, 'underline')?.match?.text).toMatch(/^"U"/);
    expect(locateFormatLetter(toolbar, '加粗')?.match?.text).toMatch(/^"B"/);
  });

  it('refuses a lone letter in a sentence, and a letter in two toolbars', () => {
    const prose = buildOcr([{ text: 'Grade B was given', x: 20, y: 200 }]);
    expect(locateFormatLetter(prose, 'bold')?.match).toBeUndefined();
    const two = buildOcr([
      { text: 'B I U', x: 300, y: 60 },
      { text: 'B I U', x: 300, y: 400 },
    ]);
    expect(locateFormatLetter(two, 'bold')).toMatchObject({ ambiguous: true, candidates: [expect.anything(), expect.anything()] });
    // Not a formatting word: not this grounder's business.
    expect(locateFormatLetter(toolbar, 'Submit')).toBeUndefined();
  });
});

describe('a toolbar divider read as a letter', () => {
  it('is no "I": italic is the one letter wide enough to be one', () => {
    const ocr = buildOcr([{ text: 'B I U S A I', x: 300, y: 60 }]);
    // The second "I" is a divider: a hairline one pixel wide, as tall as the letters.
    const divider = ocr.words.filter((w) => w.text === 'I')[1];
    divider.box = [divider.box[0], divider.box[1], divider.box[0] + 1, divider.box[3]];
    const r = locateFormatLetter(ocr, 'italic');
    expect(r?.match?.box).toEqual(ocr.words.filter((w) => w.text === 'I')[0].box);
  });
});

