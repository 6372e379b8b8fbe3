import { describe, expect, it } from 'vitest';
import { locateSelectByPlaceholder } from '../../../../agents/embedded/ground/select-box.ts';
import { buildOcr } from './ocr-builder.ts';

describe('locateSelectByPlaceholder: a dropdown known by what it shows', () => {
  const ocr = buildOcr([
    { text: 'Projects', x: 20, y: 20 },
    { text: 'All statuses    Sort: Last updated', x: 400, y: 20 },
    { text: 'Sorted lists are saved', x: 20, y: 120 },
  ]);

  it('finds a placeholder repeating the name; a name leading its value only with an arrow seen after it', () => {
    expect(locateSelectByPlaceholder(ocr, 'Status')?.match?.text).toBe('All statuses');
    // No screenshot, no arrow: "Sort: Last updated" may be a summary line, not a dropdown.
    expect(locateSelectByPlaceholder(ocr, 'Sort')).toBeUndefined();
  });

  it('does not take a sentence that merely starts with the name', () => {
    expect(locateSelectByPlaceholder(ocr, 'Projects')).toBeUndefined();
    expect(locateSelectByPlaceholder(buildOcr([{ text: 'Sorted lists are saved', x: 20, y: 20 }]), 'Sort')).toBeUndefined();
  });
});
