// An icon in a counted row ("the delete icon in the third row"), on a real rendering read by the
// real OCR and matched against the real icon lexicon: the row's own icon, not another row's.
import { describe, expect, it } from 'vitest';
import { locateIcon } from '../../../../agents/embedded/ground/ground-icon.ts';
import { pointInBox } from './render-page.ts';
import { renderedScreen } from './rendered-screen.ts';

const trash = '<svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="#475569" stroke-width="2" stroke-linecap="round"><path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6"/></svg>';
const rows = ['Hotel Adlon', 'Lufthansa', 'FREE NOW', 'Cafe Einstein', 'Deutsche Bahn']
  .map((name, i) => `<tr><td>${name}</td><td>€ ${(i + 1) * 37}.00</td><td><button data-desc="del-${i + 1}" style="border:0;background:none">${trash}</button></td></tr>`)
  .join('');
const html = `<!doctype html><html><head><style>body{font:14px "DejaVu Sans",sans-serif;margin:24px}td{padding:12px 24px;border-bottom:1px solid #e5e7eb}th{text-align:left;padding:8px 24px;font-size:11px;color:#6b7280}</style></head>
<body><table><tr><th>MERCHANT</th><th>AMOUNT</th><th></th></tr>${rows}</table></body></html>`;

const screen = renderedScreen(html, { viewport: { width: 800, height: 400 } });
const look = (description: string) => locateIcon(description, { ocr: screen.ocr, rgb: screen.page.rgb, frame: screen.page.frame });

describe('an icon in a counted row', () => {
  it.each([
    ['the delete icon in the third row', 'del-3'],
    ['the trash icon of the fifth expense', 'del-5'],
  ])('%s', async (description, id) => {
    const r = await look(description);
    expect(r?.match, r?.message).toBeDefined();
    expect(pointInBox(r!.match!.point, screen.boxOf(id))).toBe(true);
  });

  it('refuses a row past the end of the list', async () => {
    const r = await look('the delete icon in the ninth row');
    expect(r?.match).toBeUndefined();
    expect(r?.message).toMatch(/no row 9/);
  });
});
