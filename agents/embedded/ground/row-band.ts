/**
 * The rows a table or list row spans around one of its texts. A cell often holds two lines (a
 * name over a job title, a file name over its size), and the row's buttons sit at the middle of
 * the pair, level with neither line: "Approve in Liam Chen's row" must still find them.
 */
import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { contains, height, rowOverlap, sameBox } from './geometry.ts';

/** Two lines of one cell: left-aligned, and closer than this share of the shorter line's height. */
const STACK_GAP = 0.7;
const STACK_ALIGN = 0.6;

/**
 * The line stacked on `anchor` in its two-line cell, when it is one: exactly one line stacked on
 * it (above or below) in its column, tightly, and nothing stacked beyond that line (three or more
 * lines so close are a paragraph, not a cell). `gap`: how close, in the shorter line's heights.
 */
export function cellMate(ocr: OcrResult, anchor: PixelBox, gap = STACK_GAP): PixelBox | undefined {
  const stacked = (a: PixelBox, b: PixelBox): 'above' | 'below' | undefined => {
    const h = Math.min(height(a), height(b));
    if (Math.abs(a[0] - b[0]) > STACK_ALIGN * h) return undefined;
    if (b[1] >= a[3] - 1 && b[1] - a[3] <= gap * h) return 'below';
    if (b[3] <= a[1] + 1 && a[1] - b[3] <= gap * h) return 'above';
    return undefined;
  };
  const lines = ocr.lines.map((l) => l.box).filter((b) => !sameBox(b, anchor));
  const mates = lines.filter((b) => stacked(anchor, b));
  if (mates.length !== 1) return undefined;
  const mate = mates[0];
  const side = stacked(anchor, mate);
  return lines.some((b) => b !== mate && stacked(mate, b) === side) ? undefined : mate;
}

/** Share of the way between a cell's two line centres where its row's middle may lie. */
const MIDDLE = [0.2, 0.8];

/**
 * Whether `box` is on the row of `anchor`: level with it, or level with the middle of its
 * two-line cell. Level with the other line is not enough: two single-line rows close together
 * look like one cell, and the next row's button is level with its own text.
 */
export function onAnchorRow(box: PixelBox, anchor: PixelBox, ocr: OcrResult): boolean {
  if (rowOverlap(box, anchor) >= 0.5) return true;
  // The cell's lines align at their starts: an anchor inside its line ("HU7606" of "海南航空HU7606") stands for the line.
  const line = (ocr.lines.find((l) => contains(l.box as PixelBox, anchor, 1))?.box as PixelBox | undefined) ?? anchor;
  const mate = cellMate(ocr, line);
  if (!mate) return false;
  const c = (b: PixelBox) => (b[1] + b[3]) / 2;
  const t = (c(box) - c(line)) / (c(mate) - c(line));
  return t > MIDDLE[0] && t < MIDDLE[1] && height(box) <= 1.5 * (Math.max(line[3], mate[3]) - Math.min(line[1], mate[1]));
}
