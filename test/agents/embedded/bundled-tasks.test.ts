import { readdirSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedAgent } from '../../../agents/embedded/embedded-agent.ts';
import { BUNDLED_TASKS, runTask } from '../../../src/run/run-task.ts';
import { loadTaskFile } from '../../../src/core/task.ts';

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
  const cases = files.flatMap((f) => (['steps', 'goal'] as const).map((mode) => [path.relative(BUNDLED_TASKS, f), mode, f] as const));
  it.each(cases)('%s by its %s', async (_name, mode, file) => {
    const { task } = await loadTaskFile(file);
    if (mode === 'steps' && !task.steps) return;
    if (mode === 'goal' && !task.goal) return;
    const only = mode === 'steps' ? { ...task, goal: undefined } : { ...task, steps: undefined };
    const summary = await runTask({ task: only, taskFile: file, agent: new EmbeddedAgent(), traceDir: path.join(traces, `${task.id}-${mode}`) });
    expect(summary.detail ?? '').not.toMatch(/did not hold/);
    expect(summary).toMatchObject({ success: true, reason: mode === 'steps' ? 'steps-completed' : 'finished' });
  }, 300_000);
});
