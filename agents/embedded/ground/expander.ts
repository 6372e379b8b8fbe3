import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { Frame, RgbImage } from '../../../src/core/frame.ts';
import { bestRow } from '../icons/find-icons.ts';
import { sharedIconLexicon } from '../icons/icon-lexicon.ts';
import { iconCandidates } from './ground-icon.ts';
import { height, overlaps } from './geometry.ts';
import { grayOf } from './controls.ts';
import { expanderShaped, levelUnder, marksBeside } from '../../../kernels/small-mark.ts';

/**
 * "expand Finance", "collapse Projects", "展开财务": in a tree, the node opens from the chevron
 * (or triangle, or plus) drawn before its label; a click on the label often only selects it.
 * The expander is the nearest such shape on the label's line, left of it within a few text
 * heights (past a folder icon). None there: the caller clicks the label, as for any click.
 */

/** Verbs that open or close a node, at the start of an instruction. */
export const EXPAND_VERBS = /^\s*(?:expand|collapse|unfold|fold|open\s+up|展开|收起|折叠|收拢)/i;

/** The lexicon's drawings of expanders. */
const EXPANDER_ICONS = new Set([
  'chevron-right', 'chevron-down', 'chevron-up', 'caret-right', 'caret-down', 'caret-right-fill', 'caret-down-fill',
  'plus-square', 'dash-square', 'square-plus', 'square-minus', 'triangle-right', 'play', 'play-fill',
]);
/** Glyphs OCR reads for an expander. */
const EXPANDER_GLYPHS = /^(?:[▸▹►▶▾▿▼⊞⊟+›>⌄˅v−-]|\[\+\]|\[-\])$/;
const MIN_SCORE = 0.6;
/** How far left of its label an expander may sit, in text heights (chevron, folder icon, label). */
const REACH_HEIGHTS = 4.5;

const onLine = (b: readonly number[], label: PixelBox, reach: number): boolean => {
  const cy = (b[1] + b[3]) / 2;
  return cy >= label[1] - 0.2 * height(label) && cy <= label[3] + 0.2 * height(label) && b[2] <= label[0] + 1 && b[0] >= label[0] - reach;
};

export async function expanderBefore(label: PixelBox, screen: { ocr: OcrResult; rgb: RgbImage; frame: Frame }): Promise<PixelBox | undefined> {
  const h = height(label);
  const reach = REACH_HEIGHTS * h;
  // A glyph OCR read before the label (alone, or as the first word of "> □": the chevron and a folder icon).
  const glyph = screen.ocr.words
    .filter((w) => EXPANDER_GLYPHS.test(w.text.trim()) && onLine(w.box, label, reach))
    .sort((a, b) => a.box[0] - b.box[0])[0];
  let lexicon;
  try {
    lexicon = await sharedIconLexicon();
  } catch {
    return glyph?.box as PixelBox | undefined;
  }
  const targets = lexicon.icons.flatMap((icon, i) => (EXPANDER_ICONS.has(icon.name) ? [i] : []));
  const shapes = iconCandidates(screen, lexicon)
    .filter((c) => onLine(c.box, label, reach) && c.box[3] - c.box[1] <= 1.6 * h)
    .map((c) => ({ box: c.box as PixelBox, score: Math.max(...targets.map((i) => bestRow(c.descriptor, lexicon, i))), best: c.names[0] }))
    // Looks like an expander, and more like one than like anything else (a folder icon is a folder).
    .filter((c) => c.score >= MIN_SCORE && (!c.best || c.best.score <= c.score + 0.04 || EXPANDER_ICONS.has(c.best.name)));
  // The leftmost of the row's shapes is the expander (a folder or file icon sits between it and the label).
  const shape = shapes.sort((a, b) => a.box[0] - b.box[0])[0];
  if (shape && glyph) return shape.box[0] <= glyph.box[0] ? shape.box : (glyph.box as PixelBox);
  return shape?.box ?? (glyph?.box as PixelBox | undefined) ?? smallExpander(label, screen.rgb, screen.ocr);
}

/** A chevron too small for the icon finder, the leftmost mark of that shape before the label. */
function smallExpander(label: PixelBox, rgb: RgbImage, ocr: OcrResult): PixelBox | undefined {
  const g = grayOf(rgb);
  const h = height(label);
  const bg = levelUnder(g, label);
  // Not a letter of another word on the line.
  const words = ocr.words.filter((w) => Array.from(w.text.trim()).length >= 2).map((w) => w.box);
  const marks = marksBeside(g, label, 'left', REACH_HEIGHTS * h, bg).filter((m) => !words.some((w) => overlaps(w, m)) && expanderShaped(g, m, h, bg));
  return marks.length ? (marks[marks.length - 1] as PixelBox) : undefined;
}
