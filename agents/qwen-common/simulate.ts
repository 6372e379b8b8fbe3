import { centre, thousandths, type EncodeOptions, type SimAnswer, type SimBox } from '../profile/simulate.ts';
import { pythonJson } from '../profile/prompt-parts.ts';

/** Test encoder: computer_use tool calls, coordinates in pixels of the received image or in thousandths. */
export function computerUseCalls(answers: SimAnswer[], o: EncodeOptions, space: 'sent-pixels' | 'thousandths', actions: readonly string[]): string[] {
  const point = (b: SimBox) => {
    if (o.outOfRange) return space === 'thousandths' ? [1200, 1300] : [o.width + 40, o.height + 40];
    const [cx, cy] = centre(b);
    return space === 'thousandths' ? [thousandths(cx, o.width), thousandths(cy, o.height)] : [Math.round(cx), Math.round(cy)];
  };
  const calls: Record<string, unknown>[] = [];
  for (const a of answers) {
    switch (a.kind) {
      case 'click':
        calls.push({ action: a.count === 2 ? 'double_click' : a.button === 'right' ? 'right_click' : 'left_click', coordinate: point(a.box) });
        break;
      case 'type':
        if (a.box) calls.push({ action: 'left_click', coordinate: point(a.box) });
        calls.push({ action: 'type', text: a.text });
        if (a.submit) calls.push({ action: 'key', keys: ['enter'] });
        break;
      case 'key':
        calls.push({ action: 'key', keys: a.keys.map((k) => k.toLowerCase()) });
        break;
      case 'scroll':
        calls.push({ action: 'scroll', pixels: a.direction === 'up' ? 5 : -5, ...(a.box ? { coordinate: point(a.box) } : {}) });
        break;
      case 'wait':
        calls.push({ action: 'wait', time: 1 });
        break;
      case 'finish':
        calls.push(a.answer && actions.includes('answer') ? { action: 'answer', text: a.answer } : { action: 'terminate', status: 'success' });
        break;
      case 'fail':
        calls.push({ action: 'terminate', status: 'failure' });
        break;
      default:
        throw new Error(`computer_use has no ${a.kind}`);
    }
  }
  return calls.map((args) => `<tool_call>\n${pythonJson({ name: 'computer_use', arguments: args })}\n</tool_call>`);
}

/** Test encoder: mobile_use tool calls; `scale` is 999 for Qwen3-VL's grid, 0 for pixels of the received image. */
export function mobileUseCalls(answers: SimAnswer[], o: EncodeOptions, grid: 999 | 0): string[] {
  const at = (x: number, y: number) => {
    if (o.outOfRange) return grid ? [1200, 1300] : [o.width + 40, o.height + 40];
    return grid ? [Math.round((x / o.width) * grid), Math.round((y / o.height) * grid)] : [Math.round(x), Math.round(y)];
  };
  const calls: Record<string, unknown>[] = [];
  for (const a of answers) {
    switch (a.kind) {
      case 'click':
        calls.push({ action: 'click', coordinate: at(...centre(a.box)) });
        break;
      case 'long_press':
        calls.push({ action: 'long_press', coordinate: at(...centre(a.box)), time: 1 });
        break;
      case 'swipe':
        calls.push({ action: 'swipe', coordinate: at(...a.from), coordinate2: at(...a.to) });
        break;
      case 'type':
        if (a.box) calls.push({ action: 'click', coordinate: at(...centre(a.box)) });
        calls.push({ action: 'type', text: a.text });
        if (a.submit) calls.push({ action: 'system_button', button: 'Enter' });
        break;
      case 'wait':
        calls.push({ action: 'wait', time: 1 });
        break;
      case 'finish':
        calls.push({ action: 'terminate', status: 'success' });
        break;
      case 'fail':
        calls.push({ action: 'terminate', status: 'failure' });
        break;
      default:
        throw new Error(`mobile_use has no ${a.kind}`);
    }
  }
  return calls.map((args) => `<tool_call>\n${pythonJson({ name: 'mobile_use', arguments: args })}\n</tool_call>`);
}
