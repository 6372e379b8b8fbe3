// An icon named inside a longer phrase ("lock icon on layer Order summary", "复制第2个订单的订单号",
// "麦克风下拉框右侧的刷新设备按钮"), on a real rendering read by the real OCR and matched against the
// real icon lexicon: the icon by what the rest names, the Nth of a column, or no answer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateIcon } from '../../../../agents/embedded/ground/ground-icon.ts';
import { pointInBox } from './render-page.ts';
import { renderedScreen } from './rendered-screen.ts';

const svg = (name: string, size = 16): string =>
  readFileSync(path.join(import.meta.dirname, `../../../../node_modules/lucide-static/icons/${name}.svg`), 'utf8').replace(/<svg /, `<svg width="${size}" height="${size}" `);
const button = (desc: string, icon: string) => `<button data-desc="${desc}" style="border:0;background:none;padding:4px">${svg(icon)}</button>`;

const orders = [1, 2, 3]
  .map((i) => `<div class="order"><span>订单号：38492210552177${i}</span>${button(`copy-${i}`, 'copy')}</div>`)
  .join('');
const html = `<!doctype html><html><head><style>
body{font:14px "DejaVu Sans","Noto Sans CJK SC",sans-serif;margin:0;display:flex}
.layers{width:260px;background:#f3f4f6;padding:12px 0;height:560px}
.layer{display:flex;align-items:center;justify-content:space-between;padding:6px 16px}
.main{flex:1;padding:24px}
.card{border:1px solid #d1d5db;border-radius:8px;padding:16px;width:340px;margin-bottom:24px}
.order{display:flex;align-items:center;gap:16px;padding:8px 0;border-bottom:1px solid #e5e7eb;width:420px}
.device{display:flex;align-items:center;gap:12px;margin-top:24px}
select{font:14px sans-serif;padding:4px 8px;width:220px}
</style></head><body>
<div class="layers">
  <div class="layer"><span>Header</span></div>
  <div class="layer" style="background:#e0e7ff"><span>Order summary</span>${button('layer-lock', 'lock')}</div>
  <div class="layer"><span>Card form</span></div>
</div>
<div class="main">
  <div class="card"><b>Order summary</b><div style="display:flex;justify-content:space-between;margin-top:12px"><span>Subtotal</span>${button('card-trash', 'trash-2')}</div></div>
  ${orders}
  <div class="device"><span>麦克风</span><select><option>默认设备 - 麦克风阵列</option></select>${button('refresh', 'refresh-cw')}</div>
</div>
</body></html>`;

const screen = renderedScreen(html, { viewport: { width: 900, height: 560 } });
const look = (description: string) => locateIcon(description, { ocr: screen.ocr, rgb: screen.page.rgb, frame: screen.page.frame });

describe('an icon named inside a longer phrase', () => {
  it.each([
    // The layer's row, though the same name heads a card elsewhere that holds other icons.
    ['lock icon on layer Order summary', 'layer-lock'],
    // Of three copy icons, one per order, the second from the top.
    ['复制第2个订单的订单号', 'copy-2'],
    // The act (刷新) on a thing the screen shows (设备), beside the microphone's list.
    ['麦克风下拉框右侧的刷新设备按钮', 'refresh'],
  ])('%s', async (description, id) => {
    const r = await look(description);
    expect(r?.match, r?.message).toBeDefined();
    expect(pointInBox(r!.match!.point, screen.boxOf(id))).toBe(true);
  });

  it('refuses an order past the end of the column, naming what it saw', async () => {
    const r = await look('复制第7个订单的订单号');
    expect(r?.match).toBeUndefined();
    expect(r?.message).toMatch(/number 7/);
  });

  it('refuses an act on something the screen does not show', async () => {
    const r = await look('刷新证书按钮');
    expect(r?.match).toBeUndefined();
  });

  it('keeps to the place said: no lock at the bottom right, so no answer', async () => {
    const r = await look('the lock icon at the bottom right');
    expect(r?.match).toBeUndefined();
  });
});
