import { describe, expect } from 'vitest';
import { hostileCases } from './hostile-support.ts';

describe('however handeye ends, nothing it started outlives it', () => {
  hostileCases(['SIGINT while the model thinks', 'SIGTERM while the model thinks', 'SIGINT while the page loads', 'SIGKILL while the model thinks', 'SIGKILL while a page hangs', 'parent (npx) killed mid-run'], {
    // Before the first step: the page load itself is cut short, the summary written, exit 1 (not 130).
    'SIGINT while the page loads': (r) => expect(r.wallMs).toBeLessThan(15_000),
    'SIGINT while the model thinks': (r) => expect(r.stderr).toMatch(/interrupted: finishing the trace/),
    'parent (npx) killed mid-run': (r) => expect(r.stderr).toMatch(/the parent process ended: stopping as for SIGTERM/),
    // Not vacuous: a browser was running when handeye was killed, and it went with it.
    'SIGKILL while a page hangs': (r) => expect(r.started.some((c) => /chrom/i.test(c))).toBe(true),
    'SIGKILL while the model thinks': (r) => expect(r.started.some((c) => /chrom/i.test(c))).toBe(true),
  });
});
