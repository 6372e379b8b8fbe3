import type { Step } from '../../src/core/task.ts';

const q = (s: string) => JSON.stringify(s);

/** A scripted step as one plain-English instruction for a model. */
export function stepInstruction(step: Step): string {
  if ('click' in step) {
    const c = typeof step.click === 'string' ? { target: step.click } : step.click;
    const verb = c.count === 2 ? 'Double-click' : c.button === 'right' ? 'Right-click' : c.button === 'middle' ? 'Middle-click' : 'Click';
    return `${verb} ${q(c.target)}`;
  }
  if ('hover' in step) return `Hover over ${q(step.hover)}`;
  if ('drag' in step) return `Drag ${q(step.drag.from)} onto ${q(step.drag.to)}`;
  if ('type' in step) {
    const t = typeof step.type === 'string' ? { text: step.type } : step.type;
    let s = `Type ${q(t.text)}`;
    if (t.into) s += ` into ${q(t.into)}`;
    if (t.clear) s += ', replacing what is there';
    if (t.submit) s += ', then press Enter';
    return s;
  }
  if ('press' in step) return `Press ${Array.isArray(step.press) ? step.press.join('+') : step.press}`;
  if ('scroll' in step) {
    const s = typeof step.scroll === 'string' ? { direction: step.scroll } : step.scroll;
    let out = `Scroll ${s.direction}`;
    if ('at' in s && s.at) out += ` over ${q(s.at)}`;
    if ('until' in s && s.until) out += ` until ${q(s.until)} is visible`;
    return out;
  }
  if ('select' in step) {
    const s = typeof step.select === 'string' ? { option: step.select } : step.select;
    return `Select ${q(s.option)}${'in' in s && s.in ? ` in ${q(s.in)}` : ''}`;
  }
  if ('wait' in step) {
    const w = typeof step.wait === 'number' ? { ms: step.wait } : step.wait;
    return w.for ? `Wait until ${q(w.for)} appears` : `Wait ${w.ms ?? 1000} ms`;
  }
  if ('assert' in step) return `Check that ${q(step.assert)} is shown, then answer DONE`;
  if ('navigate' in step) return `Go to ${step.navigate}`;
  if ('back' in step) return 'Go back to the previous page';
  return step.do;
}

/**
 * Whether the actions finish the step, or the loop must ask again for the same step: a
 * "type into" step answered with only the click that focuses the field is not finished.
 */
export function stepIsComplete(step: Step | undefined, actions: readonly { action?: unknown }[]): boolean {
  if (!step || !('type' in step)) return true;
  return actions.some((a) => a.action === 'type' || a.action === 'finish' || a.action === 'fail');
}

/**
 * In a scripted "type" step the script says whether Enter follows, whatever the grammar's habit
 * (WebVoyager's Type always presses Enter; UI-TARS may end its text with \n): the model finds the
 * field, the step decides the keystrokes. Returns how many actions were changed.
 */
export function alignTypingWithStep(step: Step | undefined, actions: Array<Record<string, unknown>>): number {
  if (!step || !('type' in step)) return 0;
  const submit = typeof step.type === 'string' ? false : !!step.type.submit;
  let changed = 0;
  for (const a of actions) {
    if (a.action === 'type' && !!a.submit !== submit) {
      a.submit = submit;
      changed++;
    }
  }
  return changed;
}
