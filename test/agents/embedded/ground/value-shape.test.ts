import { describe, expect, it } from 'vitest';
import { sameShape } from '../../../../agents/embedded/ground/value-shape.ts';

describe('sameShape: a value shown and an option asked for are the same kind of thing', () => {
  it('matches the words around numbers, spaces aside', () => {
    expect(sameShape('20条/页', '50 条/页')).toBe(true);
    expect(sameShape('100%', '125%')).toBe(true);
    expect(sameShape('11', '14')).toBe(true);
    // A price is not a font size, nor a page size a count of items.
    expect(sameShape('5,299.00', '14')).toBe(false);
    expect(sameShape('共128条', '50 条/页')).toBe(false);
    // A count's noun is singular after 1: "1 adult" shows the list "2 adults" is chosen in.
    expect(sameShape('1 adult', '2 adults')).toBe(true);
    expect(sameShape('1 adult', '2 rooms')).toBe(false);
  });

  it('matches Chinese choices by their ending and English ones by their last word', () => {
    expect(sameShape('默认排序', '按时间排序')).toBe(true);
    expect(sameShape('默认排序', '按时间')).toBe(false);
    expect(sameShape('Sort by relevance', 'Sort by date')).toBe(false);
    expect(sameShape('Last 7 days', 'Last 30 days')).toBe(true);
    expect(sameShape('Newest first', 'Oldest first')).toBe(true);
    // A calendar's views are one kind.
    expect(sameShape('Week', 'month')).toBe(true);
    expect(sameShape('周', '月')).toBe(true);
    expect(sameShape('Week', 'Save')).toBe(false);
    expect(sameShape('Economy', 'Business')).toBe(true);
    expect(sameShape('Economy', 'Month')).toBe(false);
    // The same text is no other choice of the kind.
    expect(sameShape('默认排序', '默认排序')).toBe(false);
  });
});
