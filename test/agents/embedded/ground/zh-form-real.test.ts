// A Chinese sign-up form and a comment box, in a real Chromium read by the real OCR: "密码框" is
// the field labelled 密码, "省份下拉框" the list beside 省份, a name inside an agreement's line
// ticks the box at the line's start, and "评论框" is no field when 评论 is only the send button's word.
import { describe, expect, it } from 'vitest';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { readGoal } from '../../../../agents/embedded/instruction/read-goal.ts';
import { pointInBox } from './render-page.ts';
import { renderedScreen } from './rendered-screen.ts';

const field = (label: string, desc: string, placeholder: string) =>
  `<div class="row"><label>${label}</label><input data-desc="${desc}" placeholder="${placeholder}"></div>`;
const html = `<!doctype html><html><head><style>
body{font:14px "Noto Sans CJK SC","DejaVu Sans",sans-serif;margin:24px;width:520px}
.row{display:flex;align-items:center;gap:12px;margin-bottom:14px}label{width:70px}
input,select{font:14px sans-serif;width:260px;height:30px;border:1px solid #cbd5e1;border-radius:4px;padding:0 8px}
.agree{display:flex;align-items:center;gap:6px;margin:16px 0}.agree a{color:#2563eb}
.comment{margin-top:28px;border:1px solid #cbd5e1;border-radius:6px;padding:8px;height:64px;position:relative;color:#94a3b8}
.send{position:absolute;right:8px;bottom:8px;background:#e5e7eb;color:#64748b;border-radius:4px;padding:3px 12px}
</style></head><body>
${field('密码', 'password', '8-20位字母和数字')}${field('确认密码', 'confirm', '再次输入密码')}
<div class="row"><label>省份</label><select data-desc="province"><option>请选择省份</option></select></div>
<div class="agree"><input type="checkbox" data-desc="agree" style="width:14px;height:14px">我已阅读并同意 <a>《用户协议》</a> 和 <a>《隐私政策》</a></div>
<div class="comment">添加评论，输入@提及同事<span class="send">评论</span></div>
</body></html>`;

const screen = renderedScreen(html, { viewport: { width: 600, height: 420 } });
const target = (goal: string): string => {
  const step = readGoal(goal).steps[0] as { click?: string; type?: { into: string } };
  return step.click ?? step.type!.into;
};
const at = (goal: string) => locate(screen.ocr, target(goal), { image: screen.page.rgb });

describe('a Chinese form read by its own words', () => {
  it.each([
    ['密码框', 'password'],
    ['确认密码那一栏输入 abc12345', 'confirm'],
    ['省份下拉框', 'province'],
    ['把用户协议勾上', 'agree'],
  ])('%s', (goal, id) => {
    const r = at(goal);
    expect(r.match, r.message).toBeDefined();
    expect(pointInBox(r.match!.point, screen.boxOf(id))).toBe(true);
  });

  it('refuses "评论框" when 评论 is the send button\'s word, not a field\'s label', () => {
    const r = at('评论框里写一下 发票抬头不对');
    expect(r.match).toBeUndefined();
    expect(r.message).toMatch(/button/);
  });
});
