import fc from 'fast-check';

/** Numbers a model should never get away with: not finite, negative, beyond every range, at the edges. */
export const HOSTILE_NUMBERS = [
  'NaN', 'Infinity', '-Infinity', '-1', '-0', '-0.0001', '0', '1000', '1000.0001', '1001', '999999999999999999999',
  '1e308', '1e309', '-1e309', '1e-400', '0x10', '1_000', '٣', '５００', '1.5.5', '', '--1', '+7',
] as const;

/** Control, bidi, combining, astral and CJK characters, and the brackets and quotes parsers hinge on. */
export const ODD_TEXT = [
  '\u0000', '\u0007', '\u001b[31m', '\r\n', '\t', '\u2028', '\u202e', '\ufeff', '\u0301', '😀', '𝕏', '中文', '按钮', '"', "'", '\\', '`',
  '{', '}', '[', ']', '(', ')', '<', '>', '<|begin_of_box|>', '<|end_of_box|>', '<think>', '</think>', '<answer>', '</answer>',
  '<|box_start|>', '<|box_end|>', 'Action:', 'Thought:', '```json', '```', ',', ':', '=', '\n',
] as const;

export type Mutation = (s: string) => string;

function at(s: string, frac: number): number {
  return Math.min(s.length, Math.max(0, Math.floor(frac * (s.length + 1))));
}

/** One random edit of a reply. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // every number, or one, replaced by a hostile one
  fc.constantFrom(...HOSTILE_NUMBERS).map((n): Mutation => (s) => s.replace(/-?\d+(?:\.\d+)?/g, n)),
  fc.tuple(fc.constantFrom(...HOSTILE_NUMBERS), fc.nat(20)).map(([n, k]): Mutation => (s) => {
    let i = 0;
    return s.replace(/-?\d+(?:\.\d+)?/g, (m) => (i++ === k ? n : m));
  }),
  // a number scaled far out of range, or negated
  fc.constantFrom(-1, 2, 10, 1e6).map((f): Mutation => (s) => s.replace(/\d+(?:\.\d+)?/g, (m) => String(Number(m) * f))),
  // insert odd text or arbitrary unicode somewhere
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.oneof(fc.constantFrom(...ODD_TEXT), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 })))
    .map(([f, ins]): Mutation => (s) => s.slice(0, at(s, f)) + ins + s.slice(at(s, f))),
  // delete or duplicate a slice
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, b]): Mutation => (s) => s.slice(0, at(s, Math.min(a, b))) + s.slice(at(s, Math.max(a, b)))),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, b]): Mutation => (s) => {
    const [i, j] = [at(s, Math.min(a, b)), at(s, Math.max(a, b))];
    return s.slice(0, j) + s.slice(i, j) + s.slice(j);
  }),
  // truncate (a stream cut off)
  fc.double({ min: 0, max: 1, noNaN: true }).map((f): Mutation => (s) => s.slice(0, at(s, f))),
  // swap quotes and brackets, the usual model sloppiness
  fc.constant<Mutation>((s) => s.replace(/"/g, "'")),
  fc.constant<Mutation>((s) => s.replace(/\[/g, '(').replace(/\]/g, ')')),
  fc.constant<Mutation>((s) => s.toUpperCase()),
);

/** A reply after 1 to 4 random edits. */
export function mutatedArb(seeds: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutationArb, { minLength: 1, maxLength: 4 })).map(([seed, ms]) => ms.reduce((s, m) => m(s), seed));
}

/** Pathological sizes and shapes: huge, deeply nested, repeated. */
export function extremeInputs(seeds: string[]): string[] {
  const deep = 100_000;
  return [
    '',
    ' '.repeat(1_000_000),
    'a'.repeat(1_000_000),
    '1,'.repeat(300_000),
    '['.repeat(deep) + ']'.repeat(deep),
    '['.repeat(deep),
    '{"a":'.repeat(deep) + '1' + '}'.repeat(deep),
    '{"actions": [' + '['.repeat(deep) + '{"action":"click","target":{"point":[1,1]}}' + ']'.repeat(deep) + ']}',
    '{"actions": [' + '{"action":"click","target":{"point":[500,500]}},'.repeat(20_000) + '{"action":"finish"}]}',
    '<think>' + 'x'.repeat(500_000),
    '<|begin_of_box|>'.repeat(50_000),
    "click(start_box='" + '('.repeat(50_000),
    'Action: click(start_box=\'(' + '9'.repeat(100_000) + ',1)\')',
    '\u0000'.repeat(100_000),
    '😀'.repeat(200_000),
    ...seeds.map((s) => s.repeat(Math.ceil(200_000 / Math.max(1, s.length)))),
  ];
}
