// Writes a trace step by step and is killed with SIGKILL by its parent part-way through.
import { TraceWriter } from '../../src/core/trace.ts';

const dir = process.argv[2];
const w = new TraceWriter(dir);
w.header({
  type: 'run', version: 1, runId: 'crash', startedAt: new Date().toISOString(),
  task: { id: 'crash' }, engine: 'test', executor: { kind: 'browser' }, budgets: { maxSteps: 100, timeoutMs: 1000 },
});
let i = 0;
const frame = { image: Buffer.from('not really a jpeg'), format: 'jpeg' as const };
setInterval(() => {
  const file = w.saveFrame(`step-${i}`, frame);
  w.step({
    type: 'step', index: i, frame: { file, width: 10, height: 10, scale: 1, origin: { x: 0, y: 0 } },
    attempts: [{ candidates: [{ action: 'wait', ms: 1 }], errors: [], modelMs: 1 }],
    actions: [{ action: 'wait', ms: 1 }], outcome: 'done',
    timings: { captureMs: 1, modelMs: 1, actMs: 1, settleMs: 1, totalMs: 4 }, tokens: { input: 0, output: 0 },
  });
  process.stdout.write(`${i}\n`);
  i++;
}, 5);
