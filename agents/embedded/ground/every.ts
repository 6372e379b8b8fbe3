import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { isTicked } from '../../../kernels/toggle-state.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import type { Step } from '../../../src/core/task.ts';
import type { QuantifiedStep } from '../instruction/quantified.ts';
import { quoteLiteral } from '../quotes.ts';
import { allFields, fieldForLabel, grayOf, toggleForLabel } from './controls.ts';
import { contains, height, sameBox } from './geometry.ts';
import { ordinalWord } from './locate.ts';
import { normalizeChars } from './text-match.ts';

/**
 * A step on several targets (instruction/quantified.ts) as one step per target on this screen:
 * "type 4821 into both fields" → a type into the 1st field and one into the 2nd; "tick every
 * box" → a click on each box not ticked yet, named by its label. Each of those is grounded and
 * its effect checked on the next frame like any step. What the set cannot be on this screen
 * ("both" with three fields, labels of a kind we cannot judge) is refused, saying what is there.
 */

export type Expanded = { steps: Step[]; found: string } | { why: string };

/** A checkbox is about square; a switch is twice as wide as tall. */
const MAX_BOX_ASPECT = 1.5;
const MAX_LABEL_WORDS = 8;

const norm = (s: string): string => normalizeChars(s, false).map((c) => c.ch).join('');
const hasWords = (label: string, filter: string): boolean => norm(label).includes(norm(filter));

export function expandQuantified(q: QuantifiedStep, ocr: OcrResult, image: RgbImage): Expanded {
  return q.kind === 'fields' ? expandFields(q, ocr, image) : expandBoxes(q, ocr, image);
}

function expandFields(q: Extract<QuantifiedStep, { kind: 'fields' }>, ocr: OcrResult, image: RgbImage): Expanded {
  const fields = allFields(ocr, image);
  let picked = fields.map((_, i) => i);
  if (q.filter) {
    // "both code fields": the fields labelled with those words, or showing them inside.
    const filter = q.filter;
    const labelled = new Set(fields.flatMap((f, i) => (f.inner && hasWords(f.inner, filter) ? [i] : [])));
    for (const g of ocr.groups) {
      if (!hasWords(g.text, filter) || fields.some((f) => contains(f.box, g.box as PixelBox, 1))) continue;
      const f = fieldForLabel(ocr, g.box as PixelBox, image);
      const at = f ? fields.findIndex((x) => sameBox(x.box, f.box, 2)) : -1;
      if (at >= 0) labelled.add(at);
    }
    picked = [...labelled].sort((a, b) => a - b);
  }
  const what = `${q.filter ? `"${q.filter}" ` : ''}field`;
  if (!picked.length) return { why: `no ${what} seen on screen to type into` };
  if (q.quantifier === 'both' && picked.length !== 2) return { why: `"both" names two ${what}s, and ${picked.length} are on screen` };
  return {
    steps: picked.map((i) => ({ type: { text: q.text, into: `the ${ordinalWord(i + 1)} field` } })),
    found: `${picked.length} ${what}(s): ${picked.map((i) => `#${i + 1}`).join(', ')}`,
  };
}

interface LabelledBox {
  label: string;
  box: PixelBox;
  ticked: boolean;
}

/** Texts with a checkbox to their left, and whether each box is ticked; one entry per box. */
export function labelledBoxes(ocr: OcrResult, image: RgbImage): LabelledBox[] {
  const gray = grayOf(image);
  const out: LabelledBox[] = [];
  for (const g of ocr.groups) {
    const label = g.text.trim();
    if (!/\p{L}/u.test(label) || label.split(/\s+/).length > MAX_LABEL_WORDS) continue;
    const t = toggleForLabel(g.box as PixelBox, image, ocr);
    if (t.confidence < 1) continue;
    const b = t.box as PixelBox;
    const w = b[2] - b[0];
    const h = b[3] - b[1];
    // A checkbox sits before its label, and is about as tall as the text.
    if (b[2] > g.box[0] + 1 || w > MAX_BOX_ASPECT * h || h > 2.5 * height(g.box)) continue;
    if (out.some((o) => sameBox(o.box, b, 2))) continue;
    out.push({ label, box: b, ticked: isTicked(gray, b) });
  }
  return out;
}

function expandBoxes(q: Extract<QuantifiedStep, { kind: 'checkboxes' }>, ocr: OcrResult, image: RgbImage): Expanded {
  const boxes = labelledBoxes(ocr, image);
  const listing = boxes.map((b) => JSON.stringify(b.label)).join(', ');
  if (q.category) {
    return { why: `cannot tell which boxes are ${JSON.stringify(q.category)} without a model: name them (e.g. check "${boxes[0]?.label ?? 'Apple'}"); the boxes on screen: ${listing || 'none'}` };
  }
  const picked = q.filter ? boxes.filter((b) => hasWords(b.label, q.filter!)) : boxes;
  const what = `${q.filter ? `"${q.filter}" ` : ''}checkbox`;
  if (!picked.length) return { why: `no ${what} seen on screen${boxes.length ? `; the boxes on screen: ${listing}` : ''}` };
  if (q.quantifier === 'both' && picked.length !== 2) return { why: `"both" names two ${what}es, and ${picked.length} are on screen: ${picked.map((b) => JSON.stringify(b.label)).join(', ')}` };
  const todo = picked.filter((b) => b.ticked !== q.tick);
  return {
    steps: todo.map((b) => ({ click: `the checkbox next to ${quoteLiteral(b.label)}` })),
    found: `${picked.length} ${what}(es), ${todo.length} to ${q.tick ? 'tick' : 'untick'}: ${todo.map((b) => JSON.stringify(b.label)).join(', ') || 'none'}`,
  };
}
