import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FAMILIES, getProfile } from '../../agents/families.ts';
import { CoordinateMapper } from '../../agents/profile/parsing/coordinates.ts';
import { ReplyParseError, type MarkedElement, type ModelProfile } from '../../agents/profile/profile.ts';
import { sentSize } from '../../agents/profile/sent-image.ts';
import { ActionValidationError, actionTargets, parseAction } from '../../src/core/actions.ts';
import { assertInFrame, OutOfFrameError } from '../../src/core/frame.ts';
import type { EncodeOptions, SimAnswer } from '../../agents/profile/simulate.ts';
import { extremeInputs, mutatedArb } from './mutations.ts';

/**
 * Property-based fuzzing of every family's reply parser, the way the loop uses it: parse, then
 * validate each action with the schema and the frame bounds. Whatever the model writes, the only
 * failures are our typed errors (ReplyParseError, ActionValidationError, OutOfFrameError); an
 * action that passes the schema always lies inside the frame, with finite coordinates; and no
 * input takes long (a hang or catastrophic backtracking would show here first).
 */

const FRAMES: [number, number][] = [
  [1280, 720],
  [3840, 2160],
  [1170, 2532],
  [1, 1],
];
/**
 * A hang detector, not a speed test: linear work on a megabyte is well inside it on a loaded
 * 2-core machine; catastrophic backtracking or a quadratic scan is not.
 */
const maxMsFor = (chars: number) => 10_000 + chars / 100;
const RUNS = Number(process.env.HANDEYE_FUZZ_RUNS ?? 300);

const counts = { inputs: 0, parsed: 0, parseErrors: 0, actions: 0, schemaRejected: 0, frameRejected: 0 };
afterAll(() => {
  console.log(`parser fuzz: ${JSON.stringify(counts)}`);
});

function elementsFor(w: number, h: number): MarkedElement[] {
  return Array.from({ length: 12 }, (_, i) => {
    const x = ((i % 4) * w) / 4;
    const y = (Math.floor(i / 4) * h) / 3;
    return { id: i + 1, box: [x, y, x + w / 4, y + h / 3] as [number, number, number, number], tag: '<button>', text: `Button ${i + 1} 按钮` };
  });
}

const ANSWERS: SimAnswer[] = [
  { kind: 'click', box: [10, 20, 110, 60], label: 'OK' },
  { kind: 'click', box: [0, 0, 0, 0], count: 2 },
  { kind: 'type', text: 'hello "world" \\ 你好', box: [5, 5, 50, 30], submit: true },
  { kind: 'key', keys: ['Control', 'a'] },
  { kind: 'scroll', direction: 'down', box: [0, 0, 100, 100] },
  { kind: 'long_press', box: [10, 20, 110, 60], label: 'Item' },
  { kind: 'swipe', direction: 'up', from: [50, 80], to: [50, 20] },
  { kind: 'wait' },
  { kind: 'finish', answer: 'done' },
  { kind: 'fail', reason: 'cannot' },
];

/** Valid replies of a family, written by the independent encoders, plus the recorded fixture texts. */
function seedsFor(family: string, w: number, h: number): string[] {
  const profile = getProfile(family);
  const sent = sentSize(w, h, profile.resize);
  const o: EncodeOptions = { ...sent, specialTokens: true, elementFor: () => 3, explanation: 'because' };
  const base = family.replace(/:.*$/, '');
  const seeds = ANSWERS.flatMap((a) => {
    const scaled = 'box' in a && a.box ? { ...a, box: a.box.map((v, i) => Math.min(v, i % 2 ? sent.height : sent.width)) as typeof a.box } : a;
    let reply;
    try {
      reply = profile.simulator.answer([scaled], o);
    } catch {
      return []; // an action this grammar cannot write (a key chord on a phone)
    }
    // Tool calls a server did not parse stay in the text as the model wrote them.
    return [[reply.content, ...(reply.toolCalls ?? []).map((c) => `<tool_call>${c.name}\n${Object.entries(c.arguments).map(([k, v]) => `<arg_key>${k}</arg_key>\n<arg_value>${typeof v === 'string' ? v : JSON.stringify(v)}</arg_value>\n`).join('')}</tool_call>`)].join('\n')];
  });
  const dir = path.join(import.meta.dirname, '../fixtures/replies');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const data = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { family?: string; cases?: { text?: string }[] };
    if (data.family === base) for (const c of data.cases ?? []) if (typeof c.text === 'string') seeds.push(c.text);
  }
  return seeds;
}

function checkOne(profile: ModelProfile, text: string, reasoning: string | undefined, w: number, h: number): void {
  counts.inputs++;
  const sent = sentSize(w, h, profile.resize);
  const map = new CoordinateMapper(profile.coordinates, { frameWidth: w, frameHeight: h, sentWidth: sent.width, sentHeight: sent.height });
  const frame = { width: w, height: h };
  const t0 = performance.now();
  try {
    let parsed;
    try {
      parsed = profile.parse(text, reasoning, { map, elements: profile.setOfMarks ? elementsFor(w, h) : undefined });
    } catch (e) {
      if (e instanceof ReplyParseError) {
        counts.parseErrors++;
        expect(e.message.length).toBeGreaterThan(0);
        // The message is fed back to the model: it must stay a message, not an echo of a megabyte reply.
        if (e.message.length > 2000) throw new Error(`${profile.family}: a ${e.message.length}-char parse error for a ${text.length}-char reply: ${e.message.slice(0, 120)}`);
        return;
      }
      throw new Error(`${profile.family} threw ${(e as Error)?.name}: ${(e as Error)?.message} for ${JSON.stringify(text.slice(0, 200))}`);
    }
    counts.parsed++;
    expect(Array.isArray(parsed.actions)).toBe(true);
    for (const candidate of parsed.actions) {
      counts.actions++;
      let action;
      try {
        action = parseAction(candidate);
      } catch (e) {
        if (!(e instanceof ActionValidationError)) throw e;
        counts.schemaRejected++;
        continue;
      }
      // A schema-valid action is what the loop would execute: it must lie in the frame, with finite numbers.
      for (const t of actionTargets(action)) for (const v of [...(t.point ?? []), ...(t.box ?? [])]) expect(Number.isFinite(v)).toBe(true);
      try {
        assertInFrame(frame, action);
      } catch (e) {
        if (!(e instanceof OutOfFrameError)) throw e;
        counts.frameRejected++;
        throw new Error(`${profile.family} produced a schema-valid action outside the ${w}x${h} frame: ${JSON.stringify(action)} from ${JSON.stringify(text.slice(0, 200))}`);
      }
    }
  } finally {
    const ms = performance.now() - t0;
    if (ms > maxMsFor(text.length)) throw new Error(`${profile.family} took ${ms.toFixed(0)} ms on an input of ${text.length} chars: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

describe.each(FAMILIES)('reply parser of %s under fuzzing', (family) => {
  const profile = getProfile(family);

  it('random text and random reasoning', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 400 }), fc.json({ maxDepth: 6 })),
        fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
        fc.constantFrom(...FRAMES),
        (text, reasoning, [w, h]) => checkOne(profile, text, reasoning, w, h),
      ),
      { numRuns: RUNS },
    );
  });

  it('mutated valid replies: hostile numbers, odd characters, cuts and duplicates', () => {
    for (const [w, h] of FRAMES) {
      const seeds = seedsFor(family, w, h);
      for (const s of seeds) checkOne(profile, s, undefined, w, h);
      fc.assert(fc.property(mutatedArb(seeds), (text) => checkOne(profile, text, undefined, w, h)), { numRuns: RUNS });
    }
  });

  it('JSON with arbitrary values where actions and coordinates belong', () => {
    const num = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 1000, 1001, -1, 1e308));
    const target = fc.record({ box: fc.array(num, { maxLength: 6 }), point: fc.array(num, { maxLength: 3 }), label: fc.string() }, { requiredKeys: [] });
    const action = fc.record(
      {
        action: fc.constantFrom('click', 'hover', 'drag', 'type', 'key', 'scroll', 'wait', 'navigate', 'back', 'finish', 'fail', 'teleport', ''),
        target,
        from: target,
        to: target,
        text: fc.string({ unit: 'grapheme' }),
        keys: fc.oneof(fc.array(fc.string()), fc.string()),
        bbox_2d: fc.array(num, { maxLength: 6 }),
        ms: num,
        amount: num,
        count: num,
        url: fc.string(),
        direction: fc.constantFrom('up', 'down', 'left', 'right', 'sideways'),
      },
      { requiredKeys: ['action'] },
    );
    // JSON.stringify writes NaN/Infinity as null; write them bare too, as sloppy models do.
    const write = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? `@@${x}@@` : x)).replace(/"@@(.*?)@@"/g, '$1');
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 4 }), fc.constantFrom(...FRAMES), fc.boolean(), (actions, [w, h], fenced) => {
        const body = write(family.startsWith('qwen') ? actions[0] : { reasoning: 'r', actions });
        checkOne(profile, fenced ? '```json\n' + body + '\n```' : body, undefined, w, h);
      }),
      { numRuns: RUNS },
    );
  });

  it('huge, deeply nested and repeated inputs finish quickly with a typed result', () => {
    for (const text of extremeInputs(seedsFor(family, 1280, 720).slice(0, 3))) checkOne(profile, text, undefined, 1280, 720);
    // A reasoning field of a megabyte, as an endless thinker sends it.
    checkOne(profile, seedsFor(family, 1280, 720)[0], 'Wait, let me look again. '.repeat(40_000), 1280, 720);
  });
});
