import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTask, parseTaskYaml, TaskFileError, TaskSchema } from '../../src/core/task.ts';
import { mutatedArb } from './mutations.ts';

/**
 * Fuzzing the task-file loader: whatever the file holds, the loader returns a task that passes
 * the schema or throws TaskFileError naming the problem; nothing else escapes, and nothing hangs.
 */

const TASKS = path.resolve(import.meta.dirname, '../../tasks');
const RUNS = Number(process.env.HANDEYE_FUZZ_RUNS ?? 300);
const seeds = readdirSync(TASKS, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(task|safety)\.yaml$/.test(f))
  .map((f) => readFileSync(path.join(TASKS, f), 'utf8'));
const counts = { inputs: 0, valid: 0, rejected: 0 };
afterAll(() => {
  console.log(`task loader fuzz: ${JSON.stringify(counts)}`);
});

function load(text: string): void {
  counts.inputs++;
  const t0 = performance.now();
  try {
    const task = parseTaskYaml(text, 'fuzz.task.yaml');
    expect(TaskSchema.safeParse(task).success).toBe(true);
    counts.valid++;
  } catch (e) {
    if (!(e instanceof TaskFileError)) throw new Error(`the loader threw ${(e as Error)?.name}: ${(e as Error)?.message?.slice(0, 200)} for ${JSON.stringify(text.slice(0, 200))}`);
    expect(e.message).toMatch(/^fuzz\.task\.yaml: /);
    expect(e.issues.length).toBeGreaterThan(0);
    counts.rejected++;
  } finally {
    const ms = performance.now() - t0;
    if (ms > 10_000 + text.length / 100) throw new Error(`the loader took ${ms.toFixed(0)} ms on ${text.length} chars: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

describe('task-file loader under fuzzing', () => {
  it('the bundled task files load', () => {
    expect(seeds.length).toBeGreaterThan(5);
    for (const s of seeds) expect(() => parseTaskYaml(s)).not.toThrow();
  });

  it('random text', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 500 }), fc.string({ unit: 'grapheme', maxLength: 500 })), load), { numRuns: RUNS });
  });

  it('mutated task files: hostile numbers, odd characters, cuts and duplicates', () => {
    fc.assert(fc.property(mutatedArb(seeds), load), { numRuns: RUNS * 3 });
  });

  it('arbitrary values where a task belongs', () => {
    const anyValue = fc.anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true });
    const taskish = fc.record({
      id: fc.oneof(fc.string(), anyValue),
      app: fc.oneof(anyValue, fc.record({ web: fc.record({ url: fc.string(), viewport: fc.array(fc.oneof(fc.double(), fc.integer()), { maxLength: 3 }), deviceScaleFactor: fc.double() }, { requiredKeys: [] }) })),
      goal: fc.oneof(fc.string({ unit: 'grapheme' }), anyValue),
      steps: fc.oneof(anyValue, fc.array(fc.dictionary(fc.constantFrom('click', 'type', 'press', 'scroll', 'wait', 'do', 'x'), anyValue, { maxKeys: 2 }))),
      policy: fc.oneof(anyValue, fc.record({ allowedOrigins: fc.array(fc.string()), forbiddenKeys: fc.array(fc.oneof(fc.string(), fc.array(fc.string()))), forbiddenRegions: fc.array(fc.record({ box: fc.array(fc.double(), { maxLength: 5 }) })), maxTypeChars: fc.double() }, { requiredKeys: [] })),
      maxSteps: fc.oneof(fc.double(), fc.integer(), anyValue),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(taskish, anyValue), (value) => {
        counts.inputs++;
        try {
          parseTask(value, 'fuzz');
          counts.valid++;
        } catch (e) {
          if (!(e instanceof TaskFileError)) throw new Error(`parseTask threw ${(e as Error)?.name}: ${(e as Error)?.message?.slice(0, 200)}`);
          counts.rejected++;
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('YAML built to hurt: alias bombs, deep nesting, huge scalars, special floats', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    const inputs = [
      bomb,
      '['.repeat(20_000) + ']'.repeat(20_000),
      '{a: '.repeat(5_000) + '1' + '}'.repeat(5_000),
      '- '.repeat(5_000) + 'x',
      `id: big\napp: { web: { url: "/x", viewport: [.nan, .inf] } }\ngoal: go`,
      `id: neg\napp: { web: { url: "/x", viewport: [-1280, -720], deviceScaleFactor: -.inf } }\ngoal: go`,
      `id: huge\napp: { web: { url: "/x" } }\ngoal: "${'x'.repeat(1_000_000)}"`,
      `id: ctl\u0000\napp: { web: { url: "/x" } }\ngoal: "\u001b[31m\u202e"`,
      `id: 中文\napp: { web: { url: "/任务" } }\ngoal: 点击“确定”`,
      `id: ok\napp: { web: { url: "/x" } }\ngoal: go\npolicy: { allowedOrigins: ["javascript:alert(1)"], forbiddenRegions: [{ box: [10, 10, 0, 0] }] }`,
      `id: ok\napp: { web: { url: "/x" } }\ngoal: go\nmaxSteps: 1e400`,
      '!!js/function "function () { return 1 }"',
      '%YAML 9.9\n---\nid: x',
      '<<: *undefined_alias',
      '\ufeff'.repeat(1000),
    ];
    for (const text of inputs) load(text);
  });
});
