import { describe, expect } from 'vitest';
import { hostileCases } from './hostile-support.ts';

describe('a hostile page cannot hold a run past its budget', () => {
  hostileCases(['page never answers', 'page sent half, then silence', 'redirect loop', 'viewport 100000x100000', 'page opens dialogs', 'secret unset'], {
    'page never answers': (r) => {
      expect(r.summary).toMatchObject({ unreachable: 'page' });
      expect(String(r.summary!.detail)).toMatch(/the page http:\/\/127\.0\.0\.1:\d+\/never did not open within the run's time budget of 6000 ms/);
    },
    'redirect loop': (r) => expect(r.summary).toMatchObject({ unreachable: 'page', detail: expect.stringMatching(/ERR_TOO_MANY_REDIRECTS/) }),
    'viewport 100000x100000': (r) => expect(r.stderr).toMatch(/makes 100000x100000 px frames; frames may be at most 16384 px a side/),
    'page opens dialogs': (_r, trace) => {
      const dialogs = trace!.steps.flatMap((s) => s.dialogs ?? []);
      expect(dialogs).toEqual([
        { kind: 'alert', message: 'Welcome to the dialogs page', answer: 'dismissed' },
        { kind: 'confirm', message: 'Delete everything?', answer: 'dismissed' },
      ]);
    },
    'secret unset': (r, trace) => {
      expect(r.stderr).toMatch(/environment variable HOSTILE_UNSET_PIN is not set/);
      expect(trace!.steps).toHaveLength(0);
    },
  });
});
