import { readdirSync, readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedAgent } from '../../../agents/embedded/embedded-agent.ts';
import { BUNDLED_TASKS, runTask } from '../../../src/run/run-task.ts';
import { parseTaskYaml } from '../../../src/core/task.ts';

/**
 * Every bundled task, run on the embedded engine twice: once by its scripted steps, once by its
 * English/Chinese goal. Success is the task's own checkers (page state, URL, visible text).
 */

const files = existsSync(BUNDLED_TASKS)
  ? readdirSync(BUNDLED_TASKS, { withFileTypes: true })
      // Desktop tasks need a display: test/desktop/desktop-tasks.test.ts runs them under Xvfb.
      .filter((d) => d.isDirectory() && d.name !== 'desktop')
      .flatMap((d) => readdirSync(path.join(BUNDLED_TASKS, d.name)).filter((f) => f.endsWith('.task.yaml')).map((f) => path.join(BUNDLED_TASKS, d.name, f)))
      .sort()
  : [];
const traces = mkdtempSync(path.join(tmpdir(), 'handeye-bundled-'));

describe.skipIf(files.length === 0)('bundled tasks on the embedded engine', () => {
  // A case for each mode the task has: a task with only a goal has no steps case (and none passes vacuously).
  const cases = files.flatMap((f) => {
    const task = parseTaskYaml(readFileSync(f, 'utf8'), f);
    return (['steps', 'goal'] as const).filter((mode) => (mode === 'steps' ? task.steps : task.goal) !== undefined).map((mode) => [path.relative(BUNDLED_TASKS, f), mode, f, task] as const);
  });
  it('covers every bundled web task, most of them both ways', () => {
    expect(new Set(cases.map((c) => c[2])).size).toBe(files.length);
    expect(cases.length).toBeGreaterThan(files.length);
  });
  it.each(cases)('%s by its %s', async (_name, mode, file, task) => {
    const only = mode === 'steps' ? { ...task, goal: undefined } : { ...task, steps: undefined };
    const summary = await runTask({ task: only, taskFile: file, agent: new EmbeddedAgent(), traceDir: path.join(traces, `${task.id}-${mode}`) });
    expect(summary.detail ?? '').not.toMatch(/did not hold/);
    expect(summary).toMatchObject({ success: true, reason: mode === 'steps' ? 'steps-completed' : 'finished' });
  }, 300_000);
});
