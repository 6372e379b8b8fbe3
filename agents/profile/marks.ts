import type { DecideInput } from '../../src/core/agent.ts';
import { unitsToFrame, type Frame } from '../../src/core/frame.ts';
import type { MarkedElement } from './profile.ts';

/** Where numbered elements come from: the page's DOM in a browser, OCR boxes elsewhere. */
export type ElementSource = (input: DecideInput) => Promise<MarkedElement[]>;

/** Visible interactive elements of the page, in CSS pixels of the viewport. */
export const DOM_ELEMENTS_EXPRESSION = `(() => {
  const sel = 'a[href],button,input:not([type=hidden]),textarea,select,summary,label,[role=button],[role=link],[role=checkbox],[role=tab],[role=menuitem],[onclick],[contenteditable=true],[tabindex]:not([tabindex="-1"])';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.bottom < 0 || r.right < 0 || r.top > innerHeight || r.left > innerWidth) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none' || Number(st.opacity) === 0) continue;
    // Fields are named by their label (the model can only see the label's text); a password's value never leaves the page.
    const isField = el.matches('input,textarea,select');
    const named = (el.labels && el.labels[0] && el.labels[0].innerText) || el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('title') || '';
    const value = el.tagName === 'SELECT' ? (el.selectedOptions[0] ? el.selectedOptions[0].text : '') : el.type === 'password' ? '' : (el.value || '');
    const raw = isField ? named + (value ? ' = ' + JSON.stringify(value.slice(0, 40)) : '') : (el.innerText || named);
    const text = raw.trim().replace(/\\s+/g, ' ').slice(0, 80);
    const tag = el.tagName.toLowerCase() + (el.type && el.tagName === 'INPUT' ? ' type=' + el.type : '');
    out.push({ x1: Math.max(0, r.left), y1: Math.max(0, r.top), x2: Math.min(innerWidth, r.right), y2: Math.min(innerHeight, r.bottom), tag, text });
    if (out.length >= 200) break;
  }
  return out;
})()`;

interface DomBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  tag: string;
  text: string;
}

export function elementsFromDomBoxes(frame: Frame, boxes: DomBox[]): MarkedElement[] {
  return boxes.map((b, i) => {
    const [x1, y1] = unitsToFrame(frame, [b.x1, b.y1]);
    const [x2, y2] = unitsToFrame(frame, [b.x2, b.y2]);
    return { id: i + 1, box: [x1, y1, x2, y2], tag: `<${b.tag}>`, text: b.text };
  });
}

/** DOM elements through executor.evaluate when the executor is a browser, OCR groups otherwise. */
export const defaultElementSource: ElementSource = async (input) => {
  const ex = input.executor;
  if (ex?.evaluate) {
    const boxes = (await ex.evaluate(DOM_ELEMENTS_EXPRESSION)) as DomBox[];
    return elementsFromDomBoxes(input.frame, boxes);
  }
  // The embedded OCR engine is loaded only when needed (it holds two ONNX sessions).
  const { ocrFrame } = await import('../embedded/ocr/ocr-engine.ts');
  const result = await ocrFrame(input.frame);
  return result.groups.map((g, i) => ({ id: i + 1, box: g.box, tag: '<text>', text: g.text }));
};
