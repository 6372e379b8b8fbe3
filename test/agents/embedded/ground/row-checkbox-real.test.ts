// A row's checkbox named by the row's thing ("ticket #48190", "the Lufthansa flight", "Emma
// Wilson's row"), on a real rendering read by the real OCR: the checkbox that starts the row,
// not an avatar or an icon tile nearer the name, nor a ring-shaped "0" in the sidebar level with it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { pointInBox } from './render-page.ts';
import { renderedScreen } from './rendered-screen.ts';

const html = readFileSync(path.join(import.meta.dirname, '../../../fixtures/ground/row-checkboxes.html'), 'utf8');
const screen = renderedScreen(html, { viewport: { width: 1150, height: 420 } });

describe('the checkbox of a row named by its thing', () => {
  it.each([
    ['the checkbox next to ticket #48190', 'chk-48190'],
    ['the checkbox next to the Lufthansa flight', 'chk-lh'],
    ["the checkbox in Emma Wilson's row", 'chk-emma'],
  ])('%s', (description, id) => {
    const r = locate(screen.ocr, description, { image: screen.page.rgb });
    expect(r.match, r.message).toBeDefined();
    expect(pointInBox(r.match!.point, screen.boxOf(id))).toBe(true);
  });
});
