/**
 * Writes replies the way each model family does, from answers in sent-image pixels. Written
 * from the formats in reference/models.md, independently of the parsers under agents/, so
 * that round trips test our decoding against the family's rules rather than against itself.
 */

export type SimBox = [number, number, number, number];

export type SimAnswer =
  | { kind: 'click'; box: SimBox; label?: string; button?: 'left' | 'right'; count?: 1 | 2 }
  | { kind: 'type'; text: string; box?: SimBox; label?: string; submit?: boolean }
  | { kind: 'key'; keys: string[] }
  | { kind: 'scroll'; direction: 'up' | 'down'; box?: SimBox }
  | { kind: 'wait' }
  | { kind: 'finish'; answer?: string }
  | { kind: 'fail'; reason: string };

export interface EncodeOptions {
  /** Size of the image the model received. */
  width: number;
  height: number;
  /** Box tokens kept (the request set skip_special_tokens: false). */
  specialTokens: boolean;
  /** GLM: write boxes [x1,y1,x2,y2] instead of centre points. */
  boxes?: boolean;
  /** Set-of-marks: element number for a label. */
  elementFor?: (label: string | undefined, box: SimBox | undefined) => number;
  /** Coordinates pushed out of range (fault injection). */
  outOfRange?: boolean;
}

const thou = (v: number, size: number) => Math.round((v / size) * 1000);
const centre = (b: SimBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

function glmCoords(box: SimBox, o: EncodeOptions): string {
  if (o.outOfRange) return '[1500,1200]';
  if (o.boxes) return `[${thou(box[0], o.width)},${thou(box[1], o.height)},${thou(box[2], o.width)},${thou(box[3], o.height)}]`;
  const [cx, cy] = centre(box);
  return `[${thou(cx, o.width)},${thou(cy, o.height)}]`;
}

const pyQuote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** One GLM desktop-grammar call. */
export function glmDesktopCall(a: SimAnswer, o: EncodeOptions): string {
  const info = (l?: string) => (l ? `, element_info=${pyQuote(l)}` : '');
  switch (a.kind) {
    case 'click': {
      const fn = a.count === 2 ? 'left_double_click' : a.button === 'right' ? 'right_click' : 'left_click';
      return `${fn}(start_box='${glmCoords(a.box, o)}'${info(a.label)})`;
    }
    case 'type':
      return `type(content=${pyQuote(a.text + (a.submit ? '\n' : ''))})`;
    case 'key':
      return `key(keys='${a.keys.join('+')}')`;
    case 'scroll':
      return `scroll(start_box='${a.box ? glmCoords(a.box, o) : '[500,500]'}', direction='${a.direction}', step=5)`;
    case 'wait':
      return 'WAIT()';
    case 'finish':
      return 'DONE()';
    case 'fail':
      return 'FAIL()';
  }
}

export function glmAnswer(a: SimAnswer, o: EncodeOptions, explanation: string): string {
  const call = glmDesktopCall(a, o);
  const boxed = o.specialTokens ? `<|begin_of_box|>${call}<|end_of_box|>` : call;
  return `${explanation}\n${boxed}\nMemory:\n[]`;
}

export function somAnswer(a: SimAnswer, o: EncodeOptions, explanation: string): string {
  const id = (label?: string, box?: SimBox) => (o.outOfRange ? 9999 : o.elementFor!(label, box));
  let action: string;
  switch (a.kind) {
    case 'click':
      action = `Click [${id(a.label, a.box)}]`;
      break;
    case 'type':
      action = `Type [${id(a.label, a.box)}]; [${a.text}]`;
      break;
    case 'key':
      action = `Key; [${a.keys.join('+')}]`;
      break;
    case 'scroll':
      action = `Scroll [WINDOW]; [${a.direction}]`;
      break;
    case 'wait':
      action = 'Wait';
      break;
    case 'finish':
      action = `ANSWER; <content>${a.answer ?? 'done'}</content>`;
      break;
    case 'fail':
      action = `ANSWER; <content>${a.reason}</content>`;
      break;
  }
  const boxed = o.specialTokens ? `<|begin_of_box|>${action}<|end_of_box|>` : action;
  return `Thought: ${explanation}\nAction: ${boxed}\nMemory_Updated: {}`;
}

function tarsPoint(box: SimBox, o: EncodeOptions): string {
  if (o.outOfRange) return `(${o.width + 300},${o.height + 300})`;
  const [cx, cy] = centre(box);
  return `(${Math.round(cx)},${Math.round(cy)})`;
}

/** UI-TARS-1.5: absolute pixels of the image it received; a type into a field is click, blank line, type. */
export function uiTarsAnswer(answers: SimAnswer[], o: EncodeOptions, explanation: string): string {
  const calls: string[] = [];
  const sb = (b: SimBox) => `start_box='<|box_start|>${tarsPoint(b, o)}<|box_end|>'`;
  for (const a of answers) {
    switch (a.kind) {
      case 'click':
        calls.push(`${a.count === 2 ? 'left_double' : a.button === 'right' ? 'right_single' : 'click'}(${sb(a.box)})`);
        break;
      case 'type':
        if (a.box) calls.push(`click(${sb(a.box)})`);
        calls.push(`type(content=${pyQuote(a.text + (a.submit ? '\n' : ''))})`);
        break;
      case 'key':
        calls.push(`hotkey(key='${a.keys.join(' ').toLowerCase()}')`);
        break;
      case 'scroll':
        calls.push(`scroll(${a.box ? sb(a.box) + ', ' : ''}direction='${a.direction}')`);
        break;
      case 'wait':
        calls.push('wait()');
        break;
      case 'finish':
        calls.push(`finished(content=${pyQuote(a.answer ?? '')})`);
        break;
      case 'fail':
        calls.push('call_user()');
        break;
    }
  }
  return `Thought: ${explanation}\nAction: ${calls.join('\n\n')}`;
}

function pxBox(b: SimBox, o: EncodeOptions): number[] {
  if (o.outOfRange) return [o.width + 10, o.height + 10, o.width + 50, o.height + 50];
  return b.map(Math.round);
}

/** Qwen2.5-VL: JSON in a fenced block, bbox_2d in absolute pixels of the image it received. */
export function qwenAnswer(answers: SimAnswer[], o: EncodeOptions): string {
  const objs = answers.map((a) => {
    switch (a.kind) {
      case 'click':
        return { action: a.count === 2 ? 'double_click' : a.button === 'right' ? 'right_click' : 'click', bbox_2d: pxBox(a.box, o), label: a.label ?? '' };
      case 'type':
        return { action: 'type', text: a.text, ...(a.box ? { bbox_2d: pxBox(a.box, o) } : {}), submit: !!a.submit };
      case 'key':
        return { action: 'key', keys: a.keys.join('+') };
      case 'scroll':
        return { action: 'scroll', direction: a.direction };
      case 'wait':
        return { action: 'wait' };
      case 'finish':
        return { action: 'finish', answer: a.answer ?? '' };
      case 'fail':
        return { action: 'fail', reason: a.reason };
    }
  });
  return '```json\n' + JSON.stringify(objs.length === 1 ? objs[0] : objs, null, 2) + '\n```';
}

/** Generic: our action schema in JSON, boxes in thousandths. */
export function genericAnswer(answers: SimAnswer[], o: EncodeOptions, explanation: string): string {
  const tb = (b: SimBox) =>
    o.outOfRange ? [1100, 1100, 1200, 1200] : [thou(b[0], o.width), thou(b[1], o.height), thou(b[2], o.width), thou(b[3], o.height)];
  const actions = answers.map((a) => {
    switch (a.kind) {
      case 'click':
        return { action: 'click', target: { box: tb(a.box), ...(a.label ? { label: a.label } : {}) }, button: a.button ?? 'left', count: a.count ?? 1 };
      case 'type':
        return { action: 'type', text: a.text, ...(a.box ? { target: { box: tb(a.box) } } : {}), submit: !!a.submit };
      case 'key':
        return { action: 'key', keys: a.keys };
      case 'scroll':
        return { action: 'scroll', direction: a.direction, amount: 3 };
      case 'wait':
        return { action: 'wait', ms: 1000 };
      case 'finish':
        return { action: 'finish', ...(a.answer ? { answer: a.answer } : {}) };
      case 'fail':
        return { action: 'fail', reason: a.reason };
    }
  });
  return JSON.stringify({ reasoning: explanation, actions });
}
