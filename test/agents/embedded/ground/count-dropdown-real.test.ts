// A dropdown known by the count it shows ("1 adult ⌄" for "[combobox] Travelers -> SELECT: 2
// adults"): real Chromium, real OCR. The chevron at the box's right end is about as wide as the
// value's letters are tall, and the count's noun is plural for any count but 1.
import { describe, expect, it } from 'vitest';
import { dropdownsShowingLike } from '../../../../agents/embedded/ground/value-shape.ts';
import { pointInBox } from './render-page.ts';
import { renderedScreen } from './rendered-screen.ts';

const chevron = '<svg width="10" height="6" viewBox="0 0 10 6"><path d="M1 1l4 4 4-4" stroke="#111" stroke-width="2" fill="none"/></svg>';
const box = (desc: string, value: string) =>
  `<div data-desc="${desc}" style="display:inline-flex;align-items:center;justify-content:space-between;width:120px;height:30px;padding:0 10px;border:1px solid #cbd5e1;border-radius:6px;margin-right:24px">${value}${chevron}</div>`;
const html = `<!doctype html><html><body style="font:14px 'DejaVu Sans',sans-serif;margin:24px">
${box('travellers', '1 adult')}${box('cabin', 'Economy')}<span>2 bags included</span></body></html>`;

const screen = renderedScreen(html, { viewport: { width: 700, height: 120 } });

describe('a dropdown known by the count it shows', () => {
  it('opens "1 adult ⌄" for 2 adults, and nothing for 2 rooms', () => {
    const found = dropdownsShowingLike(screen.ocr, screen.page.rgb, '2 adults');
    expect(found).toHaveLength(1);
    const [x1, y1, x2, y2] = found[0];
    expect(pointInBox([(x1 + x2) / 2, (y1 + y2) / 2], screen.boxOf('travellers'))).toBe(true);
    expect(dropdownsShowingLike(screen.ocr, screen.page.rgb, '2 rooms')).toEqual([]);
  });
});
