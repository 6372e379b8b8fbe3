// A bare label that names a switch ("only my issues") clicks the switch, even where OCR stretched
// the label's last word over it; a label beside a checkbox, a sender beside a row's checkbox, a
// few words of a longer Chinese line and a rounded button's own text stay what they are. Headless Chromium, real OCR.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../src/executors/browser/chromium.ts';
import { groundStep } from '../../../../agents/embedded/step-grounder.ts';
import { OcrEngine, ocrFrame } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { pointInBox, renderPage } from './render-page.ts';

const HTML = `<!doctype html><meta charset="utf-8"><style>
body{font:14px "DejaVu Sans",sans-serif;color:#344563;margin:24px}
.row{display:flex;align-items:center;gap:6px;margin:22px 0}
.switch{width:32px;height:18px;border:0;border-radius:9px;background:#8590a2;position:relative;padding:0}
.switch i{position:absolute;left:2px;top:2px;width:14px;height:14px;border-radius:50%;background:#fff}
.on{background:#0c66e4}.on i{left:16px}
.mail{display:flex;gap:14px;align-items:center;border-bottom:1px solid #ddd;padding:8px 0;width:700px}
</style>
<div class="row"><span>Only my issues</span><button class="switch" data-desc="only my issues"><i></i></button></div>
<div class="row"><button class="switch on" data-desc="Dark mode"><i></i></button><span>&nbsp;Dark mode</span></div>
<div class="row"><input type="checkbox"><span data-desc="Recently updated">Recently updated</span></div>
<div class="mail"><input type="checkbox"><b data-desc="Dana Reyes">Dana Reyes</b><span>Quarterly numbers are in</span></div>
<div class="row" style="color:#b54708">满30减5，再买￥3可减5元<span data-desc="去凑单">去凑单&gt;</span></div>
<div class="row"><button style="font:14px 'DejaVu Sans';padding:6px 14px;border-radius:6px;background:#e8e8e8;border:1px solid #bbb" data-desc="登录">登录</button></div>
<div style="display:flex;align-items:center;gap:12px;width:360px;padding:14px;border:1px solid #ddd;border-radius:12px;margin-top:20px">
  <span style="width:32px;height:32px;border-radius:8px;background:#eef1f5;display:inline-flex;align-items:center;justify-content:center"><svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="#555" stroke-width="2"><path d="M8 2h8l4 10H4z"/><path d="M12 12v8M8 22h8"/></svg></span>
  <span style="flex:1">Floor Lamp</span><button class="switch" data-desc="the switch next to 'Floor Lamp'"><i></i></button>
</div>`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await OcrEngine.shared().close();
});

describe('a label that names a switch', () => {
  it('clicks the switch beside a bare label, and the label itself everywhere else', async () => {
    const page = await renderPage(browser, HTML, { viewport: { width: 800, height: 400 }, selector: '[data-desc]' });
    const ocr = await ocrFrame(page.frame);
    expect(page.targets).toHaveLength(7);
    for (const t of page.targets) {
      const g = await groundStep({ click: t.desc }, { frame: page.frame, ocr, rgb: page.rgb, progress: {} });
      const a = g.actions[0] as { action: string; target?: { point: [number, number]; label: string } };
      expect(a.action, `${t.desc}: ${JSON.stringify(a)}`).toBe('click');
      expect(pointInBox(a.target!.point, t.box), `${t.desc} at ${a.target!.point} (${a.target!.label}) not in ${t.box}`).toBe(true);
    }
  });
});
