import { parseAction, type Target } from '../core/actions.ts';
import { frameToUnits } from '../core/frame.ts';
import type { StepRecord } from '../core/trace-schema.ts';
import type { AgentSession } from '../core/session.ts';
import type { Located } from './types.ts';

/**
 * Finds a target without acting on it: the agent is asked where it would hover (any engine
 * answers that: the embedded one by OCR grounding, a VLM with a point or box), the answer is
 * recorded but not performed, and mapped from frame pixels to the executor's units.
 */
export async function locateOnScreen(session: AgentSession, target: string): Promise<{ record: StepRecord; found?: Omit<Located, 'trace'>; error?: string }> {
  const { executor, agent } = session;
  const t0 = performance.now();
  const frame = await executor.capture();
  const captureMs = performance.now() - t0;
  const m0 = performance.now();
  const decision = await agent.decide({ step: { hover: target }, stepIndex: 0, stepCount: 1, frame, history: [], executor });
  const modelMs = performance.now() - m0;
  const first = decision.actions[0];
  let at: Target | undefined;
  let error: string | undefined;
  try {
    const a = parseAction(first);
    if (a.action === 'fail') error = a.reason;
    else if ('target' in a && a.target) at = a.target;
    else error = `the engine answered ${a.action}, not a position`;
  } catch (e) {
    error = first === undefined ? 'the engine gave no answer' : (e as Error).message;
  }
  const record = session.recordRead({
    instruction: `locate ${JSON.stringify(target)}`,
    frame,
    sentImage: decision.sentImage,
    attempts: [{ raw: decision.raw, reasoning: decision.reasoning, candidates: decision.actions, errors: error ? [error] : [], modelMs, notes: decision.notes }],
    error,
    failure: 'fail',
    captureMs,
    modelMs,
    startedAt: t0,
    usage: decision.usage,
  });
  if (!at) return { record, error: error ?? 'not found' };
  const fb: [number, number, number, number] = at.box ? [...at.box] : [at.point![0], at.point![1], at.point![0], at.point![1]];
  const [x1, y1] = frameToUnits(frame, [fb[0], fb[1]]);
  const [x2, y2] = frameToUnits(frame, [fb[2], fb[3]]);
  const p = at.point ?? [(fb[0] + fb[2]) / 2, (fb[1] + fb[3]) / 2];
  // An agent that can say what it read there and how sure it is (the embedded one) does.
  const match = decision.located;
  return { record, found: { box: [x1, y1, x2, y2], point: frameToUnits(frame, p), frameBox: fb, text: match?.text ?? at.label, score: match?.score } };
}
