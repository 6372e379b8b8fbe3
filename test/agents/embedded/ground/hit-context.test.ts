import { describe, expect, it } from 'vitest';
import { inTrail, onPager } from '../../../../agents/embedded/ground/hit-context.ts';
import type { TextHit } from '../../../../agents/embedded/ground/text-match.ts';
import { buildOcr } from './ocr-builder.ts';

const hit = (text: string, groupText: string): TextHit => ({ text, groupText } as TextHit);

describe('a whole crumb of a breadcrumb trail', () => {
  it('is a name between chevrons or spaced slashes, or at either end of the trail', () => {
    expect(inTrail(hit('Payments', 'Projects / Payments / PAY-1398'))).toBe(true);
    expect(inTrail(hit('Projects', 'Projects / Payments'))).toBe(true);
    expect(inTrail(hit('Payments', 'Projects / Payments'))).toBe(true);
    expect(inTrail(hit('Projects', 'My Drive 〉 Projects > Q3'))).toBe(true);
    // The trail goes on in the next group: a separator at the group's end still says so.
    expect(inTrail(hit('Projects', 'My Drive 〉 Projects >'))).toBe(true);
    expect(inTrail(hit('Docs', 'Home>Docs'))).toBe(true);
    // OCR spaces a slash unevenly: a space on one side is enough.
    expect(inTrail(hit('Shoes', 'Men /Shoes / Running'))).toBe(true);
    expect(inTrail(hit('Men', 'Men/ Shoes'))).toBe(true);
  });

  it('is not a part of a path or a URL, a name alone, or a part of a longer crumb', () => {
    expect(inTrail(hit('utils', 'src/utils/backoff.ts'))).toBe(false);
    expect(inTrail(hit('docs', 'https://example.com/docs/start'))).toBe(false);
    expect(inTrail(hit('Projects', 'Projects'))).toBe(false);
    expect(inTrail(hit('settings', 'Account settings / Billing'))).toBe(false);
    // A chevron before a name at a group's start is a tree's expander.
    expect(inTrail(hit('Payments', '› Payments'))).toBe(false);
    expect(inTrail(hit('Payments', '> Payments >'))).toBe(false);
  });
});

describe('a page number of a pager', () => {
  it('is a number with more page numbers or arrows on its line, not a lone digit elsewhere', () => {
    const ocr = buildOcr([
      { text: '3 nights', x: 20, y: 40 },
      { text: '‹  1  2  3  4  ›', x: 400, y: 600 },
      { text: 'Rooms 3', x: 20, y: 300 },
    ]);
    const three = ocr.groups.filter((g) => g.text === '3');
    expect(three).toHaveLength(1);
    const pagerHit = { text: '3', groupText: '3', box: three[0].box, groupBox: three[0].box } as TextHit;
    expect(onPager(pagerHit, ocr)).toBe(true);
    const lone = ocr.groups.find((g) => g.text === 'Rooms 3')!;
    const loneHit = { text: '3', groupText: lone.text, box: [lone.box[2] - 8, lone.box[1], lone.box[2], lone.box[3]], groupBox: lone.box } as TextHit;
    expect(onPager(loneHit, ocr)).toBe(false);
    expect(onPager({ ...pagerHit, text: 'Next' }, ocr)).toBe(false);
  });
});
