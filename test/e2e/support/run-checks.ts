import { expect } from 'vitest';
import { getProfile } from '../../../agents/families.ts';
import { sentSize } from '../../../agents/profile/sent-image.ts';
import type { Action } from '../../../src/core/actions.ts';
import type { StepRecord } from '../../../src/core/trace-schema.ts';
import type { FamilyRunResult } from './family-run.ts';
import type { PagePointerEvent } from './page-probe.ts';

/** Mouse presses the performed actions make: a click (twice for a double click), a type with a target. */
export function pressesOf(actions: Action[]): number {
  let n = 0;
  for (const a of actions) {
    if (a.action === 'click') n += a.count;
    else if (a.action === 'type' && a.target) n += 1;
    // Chromium reads a touch that lifts where it started as a tap, long or not: the page sees a press.
    else if (a.action === 'long_press') n += 1;
  }
  return n;
}

export function performedActions(steps: StepRecord[]): Action[] {
  return steps.flatMap((s) => s.actions);
}

function describeEvent(e: PagePointerEvent): string {
  const r = e.expectedRect;
  return `${e.type} at (${e.x}, ${e.y}) on ${e.target}${e.via === 'label' ? ' (its label)' : ''}; expected ${e.expected ?? 'nothing'}${r ? ` [${r.left.toFixed(1)}, ${r.top.toFixed(1)}, ${r.right.toFixed(1)}, ${r.bottom.toFixed(1)}]` : ''} (${e.url})`;
}

/**
 * Every press and click the page saw was on the element the model was asked to hit, inside its
 * rect. With `labelsCount`, a field may also be hit through its own <label> (set-of-marks: the
 * model names the element whose text is the field's name, and that element is the label).
 */
export function expectEveryClickOnTarget(events: PagePointerEvent[], labelsCount = false): void {
  const off = events.filter((e) => !e.onExpected || !e.insideRect || (e.via === 'label' && !labelsCount));
  expect(off.map(describeEvent), 'pointer events that missed their target').toEqual([]);
}

/**
 * A run that went straight through: the task's checks held, no step needed a repair, every
 * image was sent at the family's server size, and the page saw exactly the presses the trace
 * says were made, each inside its target element.
 */
export function expectCleanRun(r: FamilyRunResult, family: string, viewport: [number, number], dpr: number): void {
  const where = `${family} ${r.summary.taskId} at ${viewport.join('x')} DPR ${dpr}`;
  expect(r.summary.success, `${where}: ${r.summary.reason} ${r.summary.detail ?? ''} (trace ${r.summary.traceDir})`).toBe(true);
  expect(r.summary.checks.length).toBeGreaterThan(0);
  expect(r.summary.repairs, `${where}: repairs`).toBe(0);
  expect(r.trace.damaged).toBe(0);
  expect(r.trace.header?.executor.viewport).toEqual(viewport);
  const frameW = Math.round(viewport[0] * dpr);
  const frameH = Math.round(viewport[1] * dpr);
  const want = sentSize(frameW, frameH, getProfile(family).resize);
  for (const s of r.trace.steps) {
    // Token usage and model time are recorded per step.
    expect(s.tokens.output, `${where}: output tokens of step ${s.index}`).toBeGreaterThan(0);
    expect(s.timings.modelMs).toBeGreaterThan(0);
    expect([s.frame.width, s.frame.height], `${where}: frame size`).toEqual([frameW, frameH]);
    expect(s.frame.sent && [s.frame.sent.width, s.frame.sent.height], `${where}: sent size`).toEqual([want.width, want.height]);
  }
  const received = r.sim.requests.map((q) => q.imageSize);
  expect(received.length).toBeGreaterThanOrEqual(r.trace.steps.length);
  for (const size of received) expect(size, `${where}: size the server received`).toEqual(want);

  const presses = r.events.filter((e) => e.type === 'mousedown');
  expectPressesAtCentre(presses, family, viewport, want);
  const expected = pressesOf(performedActions(r.trace.steps));
  expect(expected, `${where}: the run should click something`).toBeGreaterThan(0);
  expect(presses.length, `${where}: presses the page saw vs pointer actions in the trace`).toBe(expected);
  expectEveryClickOnTarget(r.events, family.endsWith(':som'));
}

/**
 * The simulated model aims at the centre of the element's box (clipped to the viewport), so each
 * press lies within the family's own quantization of it: half a coordinate unit (thousandths of
 * the sent image, or one sent-image pixel) in CSS px, plus 1.5 px for the integer clientX/Y the
 * page reports. A decoder that scaled by the wrong size would be off by far more on some screen.
 */
export function expectPressesAtCentre(presses: PagePointerEvent[], family: string, viewport: [number, number], sent: { width: number; height: number }): void {
  const thousandths = getProfile(family).coordinates === 'thousandths' && !family.endsWith(':som');
  const unit = thousandths ? [viewport[0] / 1000, viewport[1] / 1000] : [viewport[0] / sent.width, viewport[1] / sent.height];
  const tol = [unit[0] / 2 + 1.5, unit[1] / 2 + 1.5];
  for (const e of presses) {
    const r = e.expectedRect!;
    const cx = (Math.max(0, r.left) + Math.min(viewport[0], r.right)) / 2;
    const cy = (Math.max(0, r.top) + Math.min(viewport[1], r.bottom)) / 2;
    const dx = Math.abs(e.x - cx);
    const dy = Math.abs(e.y - cy);
    expect(dx <= tol[0] && dy <= tol[1], `${family}: ${describeEvent(e)} is (${dx.toFixed(2)}, ${dy.toFixed(2)}) CSS px from the centre; allowed (${tol[0].toFixed(2)}, ${tol[1].toFixed(2)})`).toBe(true);
  }
}
