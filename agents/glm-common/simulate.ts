import { centre, pyQuote, thousandths, type EncodeOptions, type SimAnswer, type SimBox } from '../profile/simulate.ts';

/** Test encoders for the GLM grammars: what GLM-4.1V / 4.5V write, from answers in sent-image pixels. */

function coords(box: SimBox, o: EncodeOptions): string {
  if (o.outOfRange) return '[1500,1200]';
  if (o.boxes) return `[${thousandths(box[0], o.width)},${thousandths(box[1], o.height)},${thousandths(box[2], o.width)},${thousandths(box[3], o.height)}]`;
  const [cx, cy] = centre(box);
  return `[${thousandths(cx, o.width)},${thousandths(cy, o.height)}]`;
}

/** One call of the desktop grammar. */
export function glmDesktopCall(a: SimAnswer, o: EncodeOptions): string {
  const info = (l?: string) => (l ? `, element_info=${pyQuote(l)}` : '');
  switch (a.kind) {
    case 'click': {
      const fn = a.count === 2 ? 'left_double_click' : a.button === 'right' ? 'right_click' : 'left_click';
      return `${fn}(start_box='${coords(a.box, o)}'${info(a.label)})`;
    }
    case 'type':
      return `type(content=${pyQuote(a.text + (a.submit ? '\n' : ''))})`;
    case 'key':
      return `key(keys='${a.keys.join('+')}')`;
    case 'scroll':
      return `scroll(start_box='${a.box ? coords(a.box, o) : '[500,500]'}', direction='${a.direction}', step=5)`;
    case 'wait':
      return 'WAIT()';
    case 'finish':
      return 'DONE()';
    case 'fail':
      return 'FAIL()';
    default:
      throw new Error(`the GLM desktop grammar has no ${a.kind}`);
  }
}

/** A desktop answer: explanation, the boxed call, and the memory list. */
export function glmDesktopAnswer(a: SimAnswer, o: EncodeOptions): string {
  const call = glmDesktopCall(a, o);
  const boxed = o.specialTokens ? `<|begin_of_box|>${call}<|end_of_box|>` : call;
  return `${o.explanation}\n${boxed}\nMemory:\n[]`;
}

/** A set-of-marks answer: Thought, Action, Memory_Updated. */
export function glmSomAnswer(a: SimAnswer, o: EncodeOptions): string {
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
    default:
      throw new Error(`the WebVoyager grammar has no ${a.kind}`);
  }
  return `Thought: ${o.explanation}\nAction: ${action}\nMemory_Updated: {}`;
}
