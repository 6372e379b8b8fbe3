import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';
import { locate } from '../../agents/embedded/ground/locate.ts';
import { ocrFrame } from '../../agents/embedded/ocr/ocr-engine.ts';
import { CachingAgent } from '../../src/cache/caching-agent.ts';
import { compileTrace } from '../../src/compile/compile-trace.ts';
import { ImageStepAgent } from '../../src/compile/image-steps.ts';
import type { DecideInput } from '../../src/core/agent.ts';
import { frameRgb } from '../../src/core/frame.ts';
import { loadTaskFile } from '../../src/core/task.ts';
import { runTask } from '../../src/run/run-task.ts';
import { ScriptedAgent } from '../support/scripted-agent.ts';

// Compile and the cache on a real X11 program (zenity, a GTK dialog) on a private Xvfb: the run
// is recorded with a simulated model (it finds its targets on the screenshot it is given), then
// the compiled task runs on the embedded engine, and a cached rerun makes no model call.

const TASK = path.resolve(import.meta.dirname, '../../tasks/desktop/zenity-entry.task.yaml');
const root = mkdtempSync(path.join(os.tmpdir(), 'handeye-compile-desktop-'));
afterAll(() => (process.env.HANDEYE_KEEP_TRACES ? undefined : rmSync(root, { recursive: true, force: true })));

/** The simulated model: for each scripted step, the box of what it names on the frame, as a VLM would answer. */
function desktopModel(): ScriptedAgent & { calls: () => number } {
  let calls = 0;
  const agent = new ScriptedAgent(async (input: DecideInput) => {
    calls++;
    const ocr = await ocrFrame(input.frame);
    const image = await frameRgb(input.frame);
    const step = input.step!;
    if ('type' in step && typeof step.type === 'object') {
      const m = locate(ocr, `the field labelled "${step.type.into}"`, { image }).match!;
      return { actions: [{ action: 'type', text: step.type.text, target: { box: m.box }, clear: true }], timings: { modelMs: 1000 } };
    }
    if ('click' in step && typeof step.click === 'string') {
      const m = locate(ocr, `"${step.click}"`, { image }).match!;
      return { actions: [{ action: 'click', target: { box: m.box } }], timings: { modelMs: 1000 } };
    }
    return { actions: [{ action: 'fail', reason: 'the simulated model has no answer' }] };
  });
  return Object.assign(agent, { calls: () => calls });
}

describe('compile and cache on a desktop app (Xvfb)', () => {
  it('a recorded desktop run compiles to visible-text steps that run without a model; a cached rerun asks nothing', async () => {
    const { task, file } = await loadTaskFile(TASK);
    // zenity writes its answer as it exits, a moment after OK: the check waits for it.
    task.success = [{ command: ['sh', '-c', 'for i in $(seq 20); do grep -q "Ada Lovelace" /tmp/handeye-zenity-entry.txt && exit 0; sleep 0.2; done; exit 1'] }];
    const rec = await runTask({ task, taskFile: file, agent: desktopModel(), xvfb: true, traceDir: path.join(root, 'rec') });
    expect(rec.detail ?? '').toBe('');
    expect(rec.success).toBe(true);

    const c = await compileTrace(rec.traceDir, { out: path.join(root, 'zenity.compiled.task.yaml') });
    expect(c.task.steps).toEqual([{ type: { text: 'Ada Lovelace 艾达', into: expect.stringMatching(/^Your name:?$/) } }, { click: 'OK' }]);
    expect(c.task.app).toEqual(task.app);
    const replay = await runTask({ task: c.task, taskFile: c.file, agent: new ImageStepAgent(new EmbeddedAgent()), xvfb: true, traceDir: path.join(root, 'compiled') });
    expect(replay.detail ?? '').toBe('');
    expect(replay.success).toBe(true);

    const dir = path.join(root, 'cache');
    const first = desktopModel();
    const filled = await runTask({ task, taskFile: file, agent: new CachingAgent(first, { dir, task: { id: task.id } }), xvfb: true, traceDir: path.join(root, 'cache-1') });
    expect(filled.success).toBe(true);
    expect(filled.cache).toMatchObject({ modelCalls: 2, written: 2 });
    const second = desktopModel();
    const cached = await runTask({ task, taskFile: file, agent: new CachingAgent(second, { dir, task: { id: task.id } }), xvfb: true, traceDir: path.join(root, 'cache-2') });
    expect(cached.detail ?? '').toBe('');
    expect(cached.success).toBe(true);
    expect(second.calls()).toBe(0);
    expect(cached.cache).toMatchObject({ hits: 2, modelCalls: 0 });
  }, 300_000);
});
