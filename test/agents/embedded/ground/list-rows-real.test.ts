// A file list as Drive draws it (checkbox, file icon, name, the owner's avatar) and a board's
// filter select showing its own name ("Label"), rendered in Chromium and read by the real OCR.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { fieldDescription } from '../../../../agents/embedded/grounding-kit.ts';
import { pointInBox } from './render-page.ts';
import { renderedScreen } from './rendered-screen.ts';

const html = readFileSync(path.join(import.meta.dirname, '../../../fixtures/embedded/file-list.html'), 'utf8');
const screen = renderedScreen(html, { viewport: { width: 1280, height: 720 } });

describe('a list row\'s checkbox past its file icon', () => {
  it.each([
    ['the checkbox next to Team offsite photos', 'c1'],
    ['the checkbox next to Quarterly budget', 'c3'],
  ])('%s is the box that starts the row, not the avatar at its end', (description, id) => {
    const r = locate(screen.ocr, description, { image: screen.page.rgb });
    expect(r.match, r.message).toBeDefined();
    expect(pointInBox(r.match!.point, screen.boxOf(id))).toBe(true);
  });
});

describe('a list named by a role word', () => {
  it('keeps the name "Label" as the field\'s label and finds the select that shows it', () => {
    expect(fieldDescription('Label')).toBe('the field labelled "Label"');
    expect(fieldDescription('Sort by')).toBe('the field labelled Sort by');
    const r = locate(screen.ocr, fieldDescription('Label'), { image: screen.page.rgb });
    expect(r.match, r.message).toBeDefined();
    expect(pointInBox(r.match!.point, screen.boxOf('label-select'))).toBe(true);
  });
});
