import type { OcrResult, PixelBox } from '../../kernels/ocr/types.ts';
import type { RgbImage } from '../../src/core/frame.ts';

/**
 * What a grounded step should have changed on the screen, and the check of it on the next frame.
 * A check says "missed" only on strong evidence (the pixels where we acted did not change at
 * all), because a retry repeats the action: a false "missed" would click twice.
 */

export type Expectation =
  /** A click: the screen should change somewhere (anywhere: dialogs open far from the button). */
  | { kind: 'screen-changes'; box: PixelBox; label: string; verb?: 'clicking' | 'dragging' }
  /** Typing into a field: its box should change and show the text. */
  | { kind: 'field-shows'; box: PixelBox; text: string }
  /** A select: its box should show the option. */
  | { kind: 'box-shows'; box: PixelBox; text: string }
  /** A click on an entry of a list that was dropped open: the list should close. */
  | { kind: 'list-closes'; box: PixelBox; label: string; text: string };

export interface EffectCheck {
  ok: boolean;
  /** What was checked and seen, for Decision.notes. */
  detail: string;
  /** Not yet: the screen shows the action taken but not its outcome (a list still open); look again. */
  wait?: boolean;
}

/** Mean absolute difference (0..255) of two same-sized RGB images inside a box, and the fraction of pixels that changed. */
export function regionDiff(a: RgbImage, b: RgbImage, box: PixelBox): { mean: number; changed: number } {
  if (a.width !== b.width || a.height !== b.height) return { mean: 255, changed: 1 };
  const x1 = Math.max(0, Math.floor(box[0]));
  const y1 = Math.max(0, Math.floor(box[1]));
  const x2 = Math.min(a.width, Math.ceil(box[2]));
  const y2 = Math.min(a.height, Math.ceil(box[3]));
  let sum = 0;
  let changed = 0;
  let n = 0;
  for (let y = y1; y < y2; y++) {
    let i = (y * a.width + x1) * 3;
    for (let x = x1; x < x2; x++, i += 3) {
      const d = Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
      sum += d;
      if (d > 48) changed++;
      n++;
    }
  }
  return n ? { mean: sum / (3 * n), changed: changed / n } : { mean: 0, changed: 0 };
}

/** Letters and digits only, lower case: OCR drops and invents spaces and punctuation. */
export function squash(s: string): string {
  return Array.from(s.normalize('NFKC').toLowerCase())
    .filter((c) => /[\p{L}\p{N}]/u.test(c))
    .join('');
}

/** The text OCR read inside a box (groups whose centre lies in it). */
export function textInside(ocr: OcrResult, box: PixelBox): string {
  return ocr.groups
    .filter((g) => {
      const cx = (g.box[0] + g.box[2]) / 2;
      const cy = (g.box[1] + g.box[3]) / 2;
      return cx >= box[0] && cx <= box[2] && cy >= box[1] && cy <= box[3];
    })
    .map((g) => g.text)
    .join(' ');
}

/** Edit distance, for "the field shows nearly the typed text" (OCR misreads a letter now and then). */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Whether `seen` (OCR) shows `want`: contained, nearly equal, or its visible tail in a scrolled field. */
export function showsText(seen: string, want: string): boolean {
  const s = squash(seen);
  const w = squash(want);
  if (!w) return true;
  if (s.includes(w)) return true;
  const allowed = Math.floor(w.length / 5);
  if (editDistance(s, w) <= allowed) return true;
  // A long value scrolls inside its field: the end of it is what shows.
  return s.length >= 6 && w.endsWith(s.slice(-Math.min(s.length, w.length)));
}

/** Fraction of a field's inner pixels a caret can account for (a 1 px bar in a text-high box). */
const FOCUS_ONLY_CHANGE = 0.01;

function grow(box: PixelBox, px: number, w: number, h: number): PixelBox {
  return [Math.max(0, box[0] - px), Math.max(0, box[1] - px), Math.min(w, box[2] + px), Math.min(h, box[3] + px)];
}

/** Fraction of pixels that may change outside an entry's row while its list still counts as open (a cursor). */
const LIST_STILL_OPEN_CHANGE = 0.0005;

/**
 * A dropped list closes when its entry is clicked, in its own time: a toolkit in another process
 * (a Tk menu) can still show the list, with the entry highlighted, on the frame after the click.
 * That frame is "not yet", not the effect: only the entry's row changed and the entry still reads.
 */
function listCloses(e: Extract<Expectation, { kind: 'list-closes' }>, before: RgbImage, after: RgbImage, afterOcr: OcrResult): EffectCheck {
  const w = after.width;
  const h = after.height;
  const d = regionDiff(before, after, [0, 0, w, h]);
  if (d.changed === 0 && d.mean <= 0.05) return { ok: false, detail: `nothing on screen changed after clicking ${e.label}` };
  // An entry's highlight spans its padding and relief: up to about a text height beyond the text.
  const margin = Math.max(8, e.box[3] - e.box[1]);
  const top = Math.max(0, e.box[1] - margin);
  const bottom = Math.min(h, e.box[3] + margin);
  const outside = [regionDiff(before, after, [0, 0, w, top]), regionDiff(before, after, [0, bottom, w, h])];
  const onlyItsRow = outside.every((o) => o.changed <= LIST_STILL_OPEN_CHANGE);
  if (onlyItsRow && showsText(textInside(afterOcr, grow(e.box, 2, w, h)), e.text)) {
    return { ok: false, wait: true, detail: `the list still shows ${e.label}, only its row changed (highlighted): waiting for the list to close` };
  }
  return { ok: true, detail: `the list closed after clicking ${e.label} (${(d.changed * 100).toFixed(2)}% of pixels changed)` };
}

/** Checks an expectation on the frame after the action; `before` is the frame the action was decided on. */
export function checkEffect(e: Expectation, before: RgbImage, after: RgbImage, afterOcr: OcrResult, beforeOcr?: OcrResult): EffectCheck {
  if (before.width !== after.width || before.height !== after.height) return { ok: true, detail: 'the screen size changed (new page or window)' };
  const whole: PixelBox = [0, 0, after.width, after.height];
  if (e.kind === 'screen-changes') {
    const d = regionDiff(before, after, whole);
    const ok = d.changed > 0 || d.mean > 0.05;
    const did = `${e.verb ?? 'clicking'} ${e.label}`;
    return { ok, detail: ok ? `screen changed after ${did} (${(d.changed * 100).toFixed(2)}% of pixels)` : `nothing on screen changed after ${did}` };
  }
  if (e.kind === 'list-closes') return listCloses(e, before, after, afterOcr);
  const region = grow(e.box, 2, after.width, after.height);
  const seen = textInside(afterOcr, region);
  if (showsText(seen, e.text)) return { ok: true, detail: `${e.kind === 'field-shows' ? 'field' : 'box'} now reads ${JSON.stringify(seen)}` };
  // Focus rings and the caret change a field's pixels even when the typing went nowhere, so the
  // test is: OCR reads the same as before, and inside the border almost nothing changed.
  const inner: PixelBox = [e.box[0] + 4, e.box[1] + 4, e.box[2] - 4, e.box[3] - 4];
  const d = inner[2] > inner[0] && inner[3] > inner[1] ? regionDiff(before, after, inner) : regionDiff(before, after, region);
  const sameText = beforeOcr !== undefined && squash(textInside(beforeOcr, region)) === squash(seen);
  if ((d.changed === 0 && d.mean < 0.05) || (sameText && d.changed < FOCUS_ONLY_CHANGE)) {
    return { ok: false, detail: `the ${e.kind === 'field-shows' ? 'field' : 'box'} at [${e.box.map(Math.round).join(',')}] still reads ${JSON.stringify(seen)}; expected ${JSON.stringify(e.text)}` };
  }
  // It changed but OCR cannot read the text back: masked passwords (•••), tiny fonts. Not a miss.
  return { ok: true, detail: `the ${e.kind === 'field-shows' ? 'field' : 'box'} changed but reads ${JSON.stringify(seen)} (masked or unreadable; not retried)` };
}
