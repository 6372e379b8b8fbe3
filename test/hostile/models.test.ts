import { describe, expect } from 'vitest';
import { hostileCases } from './hostile-support.ts';

describe('a hostile model server cannot hold a run past its budget or leak its key', () => {
  hostileCases(
    ['model never answers', 'model sends headers, then nothing', 'model stalls mid-stream', 'model always 429', 'model 500, then fine', 'model echoes the API key', 'model sends 20 MB', 'model server refuses connections'],
    {
      'model never answers': (_r, trace) => {
        // The last call was cut by the run's deadline and says so.
        const last = trace!.steps.at(-1)!.attempts.at(-1)!;
        expect(last.errors.join(' ')).toMatch(/time budget of the run ran out while waiting for the agent; the call was aborted/);
      },
      'model always 429': (_r, trace) => {
        const requests = trace!.steps.flatMap((s) => s.attempts.flatMap((a) => (a.notes?.requests as { status?: number; waitMs?: number }[] | undefined) ?? []));
        expect(requests.filter((q) => q.status === 429).length).toBeGreaterThan(1);
        expect(requests.some((q) => q.waitMs !== undefined)).toBe(true);
      },
      'model 500, then fine': (_r, trace) => {
        const requests = trace!.steps[0].attempts[0].notes?.requests as { attempt: number; status?: number; waitMs?: number }[];
        expect(requests).toEqual([expect.objectContaining({ attempt: 1, status: 500, waitMs: expect.any(Number) }), expect.objectContaining({ attempt: 2, status: 200 })]);
      },
      'model echoes the API key': (r) => {
        expect(r.summary).toMatchObject({ unreachable: 'model' });
        expect(r.stderr).toMatch(/Incorrect API key provided: Bearer \{\{redacted:HOSTILE_KEY\}\}/);
      },
      'model sends 20 MB': (_r, trace) => {
        const first = trace!.steps[0].attempts[0];
        expect(first.reasoning!.length).toBeLessThan(70_000);
        expect(first.reasoning).toMatch(/characters not stored/);
      },
      'model server refuses connections': (r) => {
        expect(r.summary).toMatchObject({ unreachable: 'model' });
        expect(r.stderr).toMatch(/POST http:\/\/127\.0\.0\.1:9\/v1\/chat\/completions: connection failed/);
      },
    },
  );
});
