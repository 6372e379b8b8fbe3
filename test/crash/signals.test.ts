import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../../src/core/trace.ts';
import { BUTTONS_TASK, buttonsModel, simArgs, startCli } from './support.ts';

/**
 * The CLI interrupted by a signal while the model is thinking: the run ends as "aborted", the
 * summary is written, every recorded step reads back; then --resume continues the scripted task
 * from the step after the last completed one, in a new trace that says where it came from.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'handeye-signals-'));

describe.each(['SIGINT', 'SIGTERM'] as const)('handeye run stopped by %s', (signal) => {
  it('writes a consistent trace and summary; --resume finishes the script from where it stopped', async () => {
    const sim = await buttonsModel(600);
    try {
      const traceDir = path.join(tmp, signal);
      const run = startCli(['run', BUTTONS_TASK, ...simArgs(sim), '--trace', traceDir, '--json']);
      await run.waitFor(/step 2 \[2\/4\]/);
      run.child.kill(signal);
      const code = await run.exit;
      expect(run.err()).toMatch(/interrupted: finishing the trace/);
      expect(run.err()).toMatch(/FAILED: buttons aborted/);
      expect(code).toBe(1);
      const summary = JSON.parse(run.out());
      expect(summary).toMatchObject({ reason: 'aborted', success: false });
      const trace = readTrace(traceDir);
      expect(trace.damaged).toBe(0);
      expect(trace.summary?.reason).toBe('aborted');
      expect(JSON.parse(readFileSync(path.join(traceDir, 'summary.json'), 'utf8')).reason).toBe('aborted');
      const done = trace.steps.filter((s) => s.stepCompleted).map((s) => s.stepIndex);
      expect(done.slice(0, 2)).toEqual([0, 1]);
      for (const s of trace.steps) expect(existsSync(path.join(traceDir, s.frame.file))).toBe(true);

      const asked = sim.requests.length;
      const resumed = startCli(['run', '--resume', traceDir, ...simArgs(sim), '--json']);
      expect(await resumed.exit).toBe(0);
      const r = JSON.parse(resumed.out());
      expect(r).toMatchObject({ success: true, reason: 'steps-completed' });
      expect(r.traceDir).toBe(`${traceDir}-resumed-1`);
      const next = readTrace(r.traceDir);
      const from = done.length;
      expect(next.header?.resumedFrom).toEqual({ traceDir, fromStep: from });
      expect(next.steps[0].stepIndex).toBe(from);
      expect(next.steps.filter((s) => s.stepCompleted).map((s) => s.stepIndex)).toEqual([from, from + 1, from + 2, from + 3].filter((i) => i < 4));
      // the model was asked only about the steps that were left
      const instructions = sim.requests.slice(asked).map((q) => q.instruction);
      expect(instructions.some((i) => /"One"/.test(i ?? ''))).toBe(from === 0);
      expect(instructions.at(-1)).toMatch(/"Four"/);
    } finally {
      await sim.close();
    }
  });
});

it('--resume refuses a trace that has nothing to resume, with a clear message and exit 2', async () => {
  const run = startCli(['run', '--resume', path.join(tmp, 'nope')]);
  expect(await run.exit).toBe(2);
  expect(run.err()).toMatch(/no trace at .*nope/);
});
