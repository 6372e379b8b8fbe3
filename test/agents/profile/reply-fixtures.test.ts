import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expectLike } from '../../support/expect-like.ts';
import { describe, expect, it } from 'vitest';
import { FAMILIES, getProfile } from '../../../agents/families.ts';
import { parseReply, ReplyError } from '../../../agents/profile/inspect.ts';

interface Case {
  name: string;
  text: string;
  expect?: Record<string, unknown>[];
  error?: string;
  reasoning?: string;
}
interface FixtureFile {
  family: string;
  frame: [number, number];
  cases: Case[];
}

const dir = path.join(import.meta.dirname, '../../fixtures/replies');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/** Deep comparison where numbers may differ by float rounding only. */
const near = (a: number, e: number) => Math.abs(a - e) < 0.01;

it('there is a fixture file for every grammar that writes coordinates (variants share their base family\'s)', () => {
  const bases = new Set(FAMILIES.filter((f) => !getProfile(f).setOfMarks).map((f) => f.replace(/:.*$/, '').replace(/-flash$/, '')));
  expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...bases].sort());
});

for (const file of files) {
  const fx = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as FixtureFile;
  describe(`${fx.family} replies (constructed fixtures)`, () => {
    const size = { width: fx.frame[0], height: fx.frame[1] };
    for (const c of fx.cases) {
      it(c.name, () => {
        if (c.error) {
          expect(() => parseReply(fx.family, c.text, size)).toThrow(ReplyError);
          expect(() => parseReply(fx.family, c.text, size)).toThrow(new RegExp(c.error));
          return;
        }
        const r = parseReply(fx.family, c.text, size);
        expect(r.actions.length).toBe(c.expect!.length);
        c.expect!.forEach((e, i) => expectLike(r.actions[i], e, `action ${i}`, near));
        if (c.reasoning) expect(r.reasoning).toContain(c.reasoning);
      });
    }
  });
}
