import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expectLike } from '../../support/expect-like.ts';
import { describe, expect, it } from 'vitest';
import { parseReply, ReplyError } from '../../../agents/profile/inspect.ts';
import type { MarkedElement } from '../../../agents/profile/profile.ts';

/**
 * Replies copied from the families' official sources (test/fixtures/official-replies/README.md),
 * each with the action and coordinates the official formulas give. Target: every one parses to
 * its expected action within 1 px, or is refused when the official parser refuses it.
 */

interface Case {
  name: string;
  source: string;
  frame: [number, number];
  text: string;
  expect?: Record<string, unknown>[];
  error?: string;
  elements?: MarkedElement[];
  /** The image the model saw, when the source's settings differ from the family's resize. */
  sent?: [number, number];
}

const dir = path.join(import.meta.dirname, '../../fixtures/official-replies');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/** Deep comparison with numbers within 1 px (the official formulas round differently). */
const near = (a: number, e: number) => Math.abs(a - e) <= 1;

let total = 0;
for (const file of files) {
  const fx = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { family: string; cases: Case[] };
  describe(`${fx.family}: official replies`, () => {
    for (const c of fx.cases) {
      total++;
      it(c.name, () => {
        const size = { width: c.frame[0], height: c.frame[1] };
        const extras = { ...(c.elements ? { elements: c.elements } : {}), ...(c.sent ? { sent: { width: c.sent[0], height: c.sent[1] } } : {}) };
        if (c.error) {
          expect(() => parseReply(fx.family, c.text, size, extras), c.source).toThrow(ReplyError);
          expect(() => parseReply(fx.family, c.text, size, extras), c.source).toThrow(new RegExp(c.error));
          return;
        }
        const r = parseReply(fx.family, c.text, size, extras);
        expect(r.actions.length, c.source).toBe(c.expect!.length);
        c.expect!.forEach((e, i) => expectLike(r.actions[i], e, `${c.source}: action ${i}`, near));
      });
    }
  });
}

it('the corpus holds the replies of the official sources (at least 80 cases over six grammars)', () => {
  expect(files.length).toBeGreaterThanOrEqual(6);
  expect(total).toBeGreaterThanOrEqual(80);
});
