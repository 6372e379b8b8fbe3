import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SummarySchema } from '../../src/core/trace-schema.ts';
import { readTrace, type ReadTrace } from '../../src/core/trace.ts';
import { HOSTILE_CASES, type HostileCase } from '../support/hostile-cases.ts';
import { startHostilePages, type HostilePages } from '../support/hostile-pages.ts';
import type { HostileOutcome } from '../support/hostile-run.ts';

/**
 * Runs the named hostile cases, one test each, and asserts what every run must keep: its exit
 * code, its wall time (budget + 5 s), a valid summary.json (or none, after SIGKILL), no process
 * it started left alive, no secret in any output, a bounded trace, no model request after it
 * ended. `extra` adds what a case shows besides.
 */
export function hostileCases(names: string[], extra: Record<string, (r: HostileOutcome, trace: ReadTrace | undefined) => void> = {}): void {
  let pages: HostilePages;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'handeye-hostile-'));
  beforeAll(async () => {
    pages = await startHostilePages();
  });
  afterAll(async () => {
    await pages?.close();
  });
  for (const name of names) {
    const c: HostileCase | undefined = HOSTILE_CASES.find((h) => h.name === name);
    it(name, { timeout: 180_000 }, async () => {
      expect(c, `a hostile case named ${name}`).toBeDefined();
      const r = await c!.run({ tmp, pages, killAfterMs: c!.expect.maxWallMs + 30_000 });
      const why = `stderr:\n${r.stderr.slice(-3000)}`;
      expect(r.hung, why).toBe(false);
      expect(r.exit, why).toBe(c!.expect.exit);
      expect(r.wallMs, why).toBeLessThanOrEqual(c!.expect.maxWallMs);
      if (c!.expect.summary) {
        expect(r.summary, why).toBeDefined();
        SummarySchema.parse(r.summary);
        if (c!.expect.reason) expect(r.summary!.reason, why).toBe(c!.expect.reason);
      } else {
        expect(r.summary).toBeUndefined();
      }
      expect(r.survivors).toEqual([]);
      expect(r.leaks).toEqual([]);
      expect(r.traceBytes).toBeLessThan(2_000_000);
      if ('requestsAfter' in r && r.requestsAfter !== undefined) expect(r.requestsAfter).toBe(0);
      const dir = r.summary ? String(r.summary.traceDir) : undefined;
      extra[name]?.(r, dir ? readTrace(dir) : undefined);
    });
  }
}
