// An icon drawn as a variant of the one named (a chat bubble with lines of text in it, for
// "消息" or "chat bubble"): on a real rendering read by the real OCR and matched against the real
// icon lexicon, it is the named icon when it matches that well itself; a table, which looks
// like a filter drawn in a square, is no filter.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateIcon } from '../../../../agents/embedded/ground/ground-icon.ts';
import { pointInBox } from '../ground/render-page.ts';
import { renderedScreen } from '../ground/rendered-screen.ts';

const svg = (name: string, size = 18): string =>
  readFileSync(path.join(import.meta.dirname, `../../../../node_modules/lucide-static/icons/${name}.svg`), 'utf8').replace(/<svg /, `<svg width="${size}" height="${size}" `);
const html = `<!doctype html><html><head><style>
body{font:14px "DejaVu Sans","Noto Sans CJK SC",sans-serif;margin:0}
header{display:flex;justify-content:space-between;align-items:center;padding:12px 24px;border-bottom:1px solid #e5e7eb}
h2{display:flex;align-items:center;gap:8px;font-size:18px;margin:32px 24px}
button{border:0;background:none;padding:6px}
</style></head><body>
<header><b>Acme Help Center</b><button data-desc="messages">${svg('message-square-text')}</button></header>
<h2><span data-desc="table">${svg('table', 16)}</span>Sprint 14 tasks</h2>
</body></html>`;

const screen = renderedScreen(html, { viewport: { width: 900, height: 300 } });
const look = (description: string) => locateIcon(description, { ocr: screen.ocr, rgb: screen.page.rgb, frame: screen.page.frame });

describe('an icon drawn as a variant of the one named', () => {
  it.each(['消息图标', 'chat bubble icon'])('%s: the bubble with text lines in it', async (description) => {
    const r = await look(description);
    expect(r?.match, r?.message).toBeDefined();
    expect(pointInBox(r!.match!.point, screen.boxOf('messages'))).toBe(true);
  });

  it('is not a filter when it is a table that looks like a filter in a square', async () => {
    const r = await look('filter icon');
    expect(r?.match).toBeUndefined();
  });
});
