import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace, TraceError, TraceWriter } from '../../src/core/trace.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'handeye-trace-'));

describe('trace', () => {
  it('survives SIGKILL mid-run: every step reported before the kill is on disk and readable', async () => {
    const dir = path.join(tmp(), 'run');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/trace-crash-child.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let reported = -1;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        const nums = d.toString().trim().split('\n').map(Number);
        reported = Math.max(reported, ...nums);
        if (reported >= 8 && !child.killed) {
          child.kill('SIGKILL');
        }
      });
      child.on('exit', () => resolve());
    });
    const trace = readTrace(dir);
    expect(trace.header?.runId).toBe('crash');
    expect(trace.steps.length).toBeGreaterThanOrEqual(reported + 1);
    expect(trace.steps.map((s) => s.index)).toEqual(trace.steps.map((_, i) => i));
    expect(trace.summary).toBeUndefined();
    for (const s of trace.steps) expect(existsSync(path.join(dir, s.frame.file))).toBe(true);
  });

  it('tolerates a truncated last line and counts it as damaged', () => {
    const dir = tmp();
    const w = new TraceWriter(dir);
    w.header({ type: 'run', version: 1, runId: 'r', startedAt: 'now', task: { id: 't' }, engine: 'e', executor: { kind: 'browser' }, budgets: { maxSteps: 1, timeoutMs: 1 } });
    w.close();
    appendFileSync(path.join(dir, 'trace.jsonl'), '{"type":"step","index":0,"fra');
    const t = readTrace(dir);
    expect(t.header?.runId).toBe('r');
    expect(t.steps).toHaveLength(0);
    expect(t.damaged).toBe(1);
  });

  it('refuses to overwrite an existing trace and explains a missing one', () => {
    const dir = tmp();
    new TraceWriter(dir).close();
    expect(() => new TraceWriter(dir)).toThrow(/already holds a trace/);
    expect(() => readTrace(path.join(dir, 'missing'))).toThrow(TraceError);
  });
});
