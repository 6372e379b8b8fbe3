import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EmbeddedAgent } from '../../../agents/embedded/embedded-agent.ts';
import { runTask } from '../../../src/run/run-task.ts';
import { loadTaskFile } from '../../../src/core/task.ts';

// Real X11 programs from Debian, each driven through its bundled task file by the embedded
// (OCR) engine on a private Xvfb; the checks read what the program left behind: its exit code,
// its printed output, the file it wrote.
const TASKS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tasks', 'desktop');

describe.each([
  ['zenity-entry.task.yaml', 'GTK entry dialog: typing (with Chinese) and its OK button'],
  ['xmessage-confirm.task.yaml', 'Athena dialog: choosing one of two buttons'],
  ['xterm-shell.task.yaml', 'terminal: typing a command, Enter, a Ctrl+D chord'],
  ['tk-options.task.yaml', 'Tk option menus: each opened, then its entry chosen, from a goal of several clauses'],
])('%s', (file, what) => {
  it(`runs to success: ${what}`, { timeout: 240_000 }, async () => {
    const { task, file: taskFile } = await loadTaskFile(path.join(TASKS, file));
    const summary = await runTask({
      task,
      taskFile,
      agent: new EmbeddedAgent(),
      xvfb: true,
      traceDir: path.join('/tmp', `handeye-desktop-${process.pid}-${task.id}-${Date.now()}`),
    });
    // A goal ends with the agent's finish; scripted steps end with the last step.
    expect(['', 'agent finished']).toContain(summary.detail ?? '');
    // The run started on a painted window, and says so.
    expect(summary.window).toEqual({ painted: true, paintMs: expect.any(Number) });
    expect(summary.checks.every((c) => c.ok)).toBe(true);
    expect(summary.success).toBe(true);
  });
});
