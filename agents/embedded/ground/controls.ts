import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { fieldCandidatesNearLabel, findFieldRects, toggleNearLabel } from '../../../kernels/field-detect.ts';
import { textContrast } from '../../../kernels/text-contrast.ts';
import { rgbToGray, type GrayImage } from '../../../kernels/gray.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { containerOf, containerWithin } from '../../../kernels/container.ts';
import { ruledRows } from '../../../kernels/ruled-rows.ts';
import { pillAtEnd, solidPill } from '../../../kernels/switch-pill.ts';
import { centre, contains, height, readingOrder } from './geometry.ts';
import { inAnchorPanel } from './anchors.ts';
import { lastLayoutDividerBefore, layoutDividerBetween } from '../../../kernels/layout-divider.ts';

/**
 * Form controls found from their labels: text inputs (by the screenshot's rectangles, falling
 * back to a fixed offset from the label) and checkboxes.
 */

export interface ControlHit {
  box: PixelBox;
  /** 1 when the control was seen in the image, lower when it was guessed from the label. */
  confidence: number;
  /** The input's placeholder or current text, when OCR read some inside it. */
  inner?: string;
}

const grayCache = new WeakMap<RgbImage, GrayImage>();

export function grayOf(image: RgbImage): GrayImage {
  let g = grayCache.get(image);
  if (!g) {
    if (image.data.length < image.width * image.height * 3) {
      throw new Error(`image data holds ${image.data.length} bytes, ${image.width}x${image.height} RGB needs ${image.width * image.height * 3}`);
    }
    g = rgbToGray(image.data, image.width, image.height);
    grayCache.set(image, g);
  }
  return g;
}

/** OCR groups inside a box. */
function groupsInside(ocr: OcrResult, box: PixelBox): { text: string; box: PixelBox }[] {
  return ocr.groups.filter((g) => contains(box, g.box, 2));
}

/**
 * A rectangle whose text sits centred and which is not much wider than that text is a button,
 * not an input (inputs hold left-aligned text or none).
 */
export function looksLikeButton(ocr: OcrResult, box: PixelBox): boolean {
  const w = box[2] - box[0];
  return groupsInside(ocr, box).some((g) => {
    const offset = Math.abs(centre(g.box)[0] - centre(box)[0]);
    const leftPad = g.box[0] - box[0];
    const rightPad = box[2] - g.box[2];
    // A dropdown's value sits left with its arrow's room on the right: padded unevenly.
    const even = Math.abs(leftPad - rightPad) <= 0.35 * Math.max(leftPad, rightPad);
    return offset <= 0.08 * w && leftPad > 1.2 * height(g.box) && even;
  });
}

/** Whether a text is drawn on a button: the box around it (border or fill) hugs it. */
export function onButton(text: PixelBox, image: RgbImage): boolean {
  const c = containerOf(grayOf(image), text);
  const h = height(text);
  const hugs = c[3] - c[1] <= 3.8 * h && c[2] - c[0] <= text[2] - text[0] + 10 * h;
  const own = c[0] >= text[0] - 1 && c[1] >= text[1] - 1 && c[2] <= text[2] + 1 && c[3] <= text[3] + 1;
  return hugs && !own;
}

export type Direction = 'right' | 'below';

/** The OCR groups from `top` down to a box's top edge, across its columns: the words between a label and the box under it. */
function groupsAbove(ocr: OcrResult, top: number, box: PixelBox): OcrResult['groups'] {
  return ocr.groups.filter((g) => g.box[1] >= top && g.box[3] <= box[1] + 1 && g.box[0] < box[2] && g.box[2] > box[0]);
}

/** The text stacked right under a label, left-aligned with it, above a box: the field's shown value. */
function stackedValue(ocr: OcrResult, label: PixelBox, below: PixelBox): OcrResult['groups'][number] | undefined {
  const h = height(label);
  const between = groupsAbove(ocr, label[3] - 1, below);
  const v = between.length === 1 ? between[0] : undefined;
  return v && Math.abs(v.box[0] - label[0]) <= h && v.box[1] - label[3] <= 1.2 * h ? v : undefined;
}

/** The input a label names: a detected rectangle when there is one, else the usual spot beside or under the label. */
export function fieldForLabel(ocr: OcrResult, label: PixelBox, image: RgbImage | undefined, direction?: Direction): ControlHit | null {
  if (!image) return null;
  const h = height(label);
  const others: PixelBox[] = [];
  const chips: PixelBox[] = [];
  const cands = fieldCandidatesNearLabel(grayOf(image), label).filter((c) => !direction || c.relation === direction);
  for (const c of cands) {
    // A box that holds the label centred and little else is a button ("评论" sending a comment), not its field.
    if (looksLikeButton(ocr, c.box) || (c.relation === 'contains' && centredIn(label, c.box))) continue;
    // "Sort by" over its select, in a card: the band from the rule above the label down to the
    // select's top border holds the label, but the field is the box below.
    if (c.relation === 'contains' && cands.some((o) => o.relation === 'below' && o.sides && Math.abs(o.box[1] - c.box[3]) <= 2)) continue;
    // A box under the label on a row led by another label in the same column ("To" above the
    // "Cc" line of a mail form, and its recipient chip) is that label's; it closes this label's row.
    // (A placeholder in the box is the box's own: "Why did you travel?" under "Business purpose";
    // so is a prefix such as "$": a label has words.)
    if (c.relation === 'below' && ocr.groups.some((g) => Math.abs(g.box[0] - label[0]) <= h && g.box[1] > label[3] && (g.box[1] + g.box[3]) / 2 > c.box[1] && (g.box[1] + g.box[3]) / 2 < c.box[3] && !PLACEHOLDER.test(g.text.trim()) && /\p{L}/u.test(g.text))) {
      others.push(c.box);
      continue;
    }
    // A box under a placeholder-looking text with other words between (a composer's toolbar) is
    // not its field; under a label, words between are its hint.
    if (c.relation === 'below' && groupsAbove(ocr, label[3], c.box).length && looksLikePlaceholder(ocr, label, image)) continue;
    // "GUESTS" over "2 guests" in one cell of a booking card: a strip under the value, thinner
    // than a line of text and a half, is the cell's bottom, not a field; the value is.
    const value = c.relation === 'below' && c.box[3] - c.box[1] < 1.6 * Math.max(h, 10) ? stackedValue(ocr, label, c.box) : undefined;
    if (value) return { box: value.box as PixelBox, confidence: 0.8, inner: value.text };
    const inner = groupsInside(ocr, c.box).map((g) => g.text).join(' ');
    // A chip already on the line near the label (a recipient) hugs its text; an input has room around it.
    const text = ocr.groups.find((g) => {
      const [x, y] = centre(g.box);
      return g.box[0] >= label[2] && x > c.box[0] && x < c.box[2] && y > c.box[1] && y < c.box[3];
    });
    // Past another label on the line ("Size: [45 px]  Hardness: [80%]"), a box is that label's:
    // a box already passed that hugs its text was this label's field, holding its value.
    if (c.relation === 'right' && otherLabelBetween(ocr, label, c.box, chips)) {
      if (chips.length) return { box: chips[0], confidence: 0.8, inner: groupsInside(ocr, chips[0]).map((g) => g.text).join(' ') || undefined };
      continue;
    }
    // A field's value-help button read as a glyph ("回" at its right end) does not fill the field as a chip's words do.
    if (c.relation === 'right' && text && c.box[3] - c.box[1] <= 2.1 * height(text.box) && c.box[0] - label[2] <= 6 * h && c.box[2] - c.box[0] <= text.box[2] - text.box[0] + 4 * height(text.box)) {
      chips.push(c.box);
      continue;
    }
    return { box: c.box, confidence: c.sides ? 1 : 0.8, inner: inner || undefined };
  }
  return (others.length ? ownRow(ocr, label, others, chips) : null) ?? placeholderBeside(ocr, label);
}

/** A label centred in a box little wider than it: the box's own word. */
function centredIn(label: PixelBox, box: readonly number[]): boolean {
  const h = height(label);
  const w = label[2] - label[0];
  return box[2] - box[0] <= w + 4 * h && Math.abs((box[0] + box[2]) / 2 - (label[0] + label[2]) / 2) <= Math.max(2, 0.15 * (box[2] - box[0]));
}

/** Whether a text on the label's line lies between it and a box to its right, outside the boxes passed. */
function otherLabelBetween(ocr: OcrResult, label: PixelBox, box: readonly number[], passed: PixelBox[]): boolean {
  return ocr.groups.some(
    (g) => g.box[0] >= label[2] && g.box[2] <= box[0] && g.box[1] < label[3] && g.box[3] > label[1] && !passed.some((p) => contains(p, g.box as PixelBox, 2)) && Array.from(g.text.trim()).length >= 2,
  );
}

/** "Filter  Enter property name or value": a borderless field known by the placeholder right after its label. */
function placeholderBeside(ocr: OcrResult, label: PixelBox): ControlHit | null {
  const h = height(label);
  const cy = (label[1] + label[3]) / 2;
  const g = ocr.groups.find((g) => g.box[0] > label[2] && g.box[0] - label[2] <= 4 * h && Math.abs((g.box[1] + g.box[3]) / 2 - cy) <= h / 2 && PLACEHOLDER.test(g.text.trim()));
  if (g) return { box: [g.box[0] - 0.3 * h, g.box[1] - 0.5 * h, g.box[2] + 0.3 * h, g.box[3] + 0.5 * h], confidence: 0.8, inner: g.text };
  // OCR read the label and its placeholder as one group: the words after the label.
  const own = ocr.groups.find((o) => Math.abs(o.box[0] - label[0]) <= 2 && o.box[2] > label[2] + 4 * h && Math.abs((o.box[1] + o.box[3]) / 2 - cy) <= h / 2);
  const rest = own ? own.words.map((i) => ocr.words[i]).filter((w) => w.box[0] >= label[2]) : [];
  if (!own || !rest.length || !PLACEHOLDER.test(rest.map((w) => w.text).join(' '))) return null;
  return { box: [rest[0].box[0] - 0.3 * h, own.box[1] - 0.5 * h, own.box[2] + 0.3 * h, own.box[3] + 0.5 * h], confidence: 0.8, inner: rest.map((w) => w.text).join(' ') };
}

/** The label's own ruled row, right of it, above the rows below: past what it already holds (a chip). */
function ownRow(ocr: OcrResult, label: PixelBox, below: PixelBox[], chips: PixelBox[]): ControlHit | null {
  const h = height(label);
  const bottom = Math.min(...below.map((b) => b[1]));
  const right = Math.max(...below.map((b) => b[2]));
  if (bottom - label[3] > 2 * h || right - label[2] < 8 * h) return null;
  const row: PixelBox = [label[2], label[1] - h, right, bottom];
  const start = Math.max(label[2], ...groupsInside(ocr, row).map((g) => g.box[2]), ...chips.map((c) => c[2]));
  if (right - start < 4 * h) return null;
  return { box: [start + 0.5 * h, row[1], right, row[3]], confidence: 0.8 };
}

// An ellipsis may be read a dot short ("说点什么..").
const PLACEHOLDER = /[?？…]$|\.\.\.?$|^(?:search|find|enter|type|add|write|what|where|who|e\.g\.)\b|^(?:请输入|请填写|搜索|输入|例如)/i;

/**
 * Whether a text reads as a field's placeholder, a magnifier read as a letter before it ("Q
 * 搜索地点、公交、地铁") left out. A bare "Search" or "搜索" may be a label; a placeholder says more.
 */
export function isPlaceholder(text: string): boolean {
  const t = text.trim().replace(/^[\p{L}\p{S}]\s+(?=\S)/u, '');
  // "α 搜索", "Q Search": a magnifier (read as a letter) before the word is a search box's own.
  if (t !== text.trim() && /^(?:搜索|search)$/i.test(t)) return true;
  return PLACEHOLDER.test(t) && (/[?？…]$|\.\.\.?$/.test(t) || t.replace(/[^\p{L}\p{N}]/gu, '').length >= (/^\p{Script=Han}/u.test(t) ? 4 : 10));
}

/** The field a placeholder is drawn in: the box the image shows around it, else the text's own place. */
export function fieldOfPlaceholder(label: PixelBox, image: RgbImage | undefined): ControlHit {
  const around = image ? fieldCandidatesNearLabel(grayOf(image), label).find((c) => c.relation === 'contains') : undefined;
  return around ? { box: around.box, confidence: around.sides ? 1 : 0.8 } : placeholderSpot(label);
}

/** A placeholder's own place, a little grown: where its field is when no box was seen around it. */
function placeholderSpot(label: PixelBox): ControlHit {
  const h = height(label);
  return { box: [label[0] - 0.3 * h, label[1] - 0.3 * h, label[2] + 0.3 * h, label[3] + 0.3 * h], confidence: 0.6 };
}

/** Where an input usually is when no rectangle was seen: right of a "Label:" and under a plain label. */
export function guessedField(label: PixelBox, labelText: string, direction?: Direction): ControlHit {
  const h = height(label);
  // A placeholder ("What do you want to listen to?", "Search mail…", "请输入手机号") is inside its field.
  if (!direction && PLACEHOLDER.test(labelText.trim())) return placeholderSpot(label);
  const dir = direction ?? (/[:：]\s*$/.test(labelText) ? 'right' : 'below');
  const box: PixelBox =
    dir === 'right'
      ? [label[2] + 0.6 * h, label[1] - 0.3 * h, label[2] + 10 * h, label[3] + 0.3 * h]
      : [label[0], label[3] + 0.4 * h, label[0] + 10 * h, label[3] + 2.2 * h];
  return { box, confidence: 0.6 };
}

/** The checkbox, radio or switch beside a label (left first, then right). */
export function toggleForLabel(label: PixelBox, image: RgbImage | undefined, ocr?: OcrResult): ControlHit {
  if (image) {
    const g = grayOf(image);
    const avoid = ocr ? otherWords(ocr, label) : [];
    const box =
      toggleNearLabel(g, label, 'left', { avoid }) ??
      toggleNearLabel(g, label, 'right', { avoid }) ??
      (ocr ? rowLeadingToggle(label, image, ocr) : null) ??
      // A settings row: the label on the left, its switch at the far right of the row's card.
      (ocr ? rowEndToggle(g, label, avoid, ocr) : null);
    if (box) return { box, confidence: 1 };
  }
  const h = height(label);
  return { box: [label[0] - 1.4 * h, label[1], label[0] - 0.3 * h, label[3]], confidence: 0.6 };
}

/**
 * A switch (a pill wider than tall) right beside a label, on either side: what "Only my issues"
 * names when it labels one. A square beside a label is not taken: a list row's checkbox sits
 * beside the sender a click should open.
 */
export function switchBeside(label: PixelBox, image: RgbImage, ocr: OcrResult): PixelBox | undefined {
  const g = grayOf(image);
  const bg = levelBefore(g, label);
  const inBox = pillAtEnd(g, label, bg);
  if (inBox) return inBox as PixelBox;
  // Beside a few words of a longer text, the ink is more of that text.
  const h = height(label);
  // A label in a box of its own size is a button's text: beyond the button, the page is not its fill.
  const around: PixelBox = [label[0] - 3 * h, label[1] - 1.5 * h, label[2] + 3 * h, label[3] + 1.5 * h];
  const own = containerWithin(g, label, around);
  if (own && own[2] - own[0] < label[2] - label[0] + 6 * h && own[3] - own[1] < 3 * h) return undefined;
  if (ocr.groups.some((gr) => contains(gr.box, label, 1) && gr.box[2] - gr.box[0] > label[2] - label[0] + 0.5 * h)) return undefined;
  const avoid = otherWords(ocr, label);
  for (const side of ['right', 'left'] as const) {
    const b = toggleNearLabel(g, label, side, { avoid });
    const pill = b && b[3] - b[1] <= 2.5 * h ? solidPill(g, b, bg, h) : null;
    // Beside the label, never around it: a rounded button holding the label is no switch.
    if (pill && (pill[2] <= label[0] || pill[0] >= label[2])) return pill as PixelBox;
  }
  return undefined;
}

/**
 * The switch a label names when the words say "switch" ("turn on the floor lamp"): a pill beside
 * it, or at the far end of its row within its card; not the icon tile before a device's name.
 */
export function switchForLabel(label: PixelBox, image: RgbImage, ocr: OcrResult): ControlHit | null {
  const near = switchBeside(label, image, ocr);
  if (near) return { box: near, confidence: 1 };
  const g = grayOf(image);
  const b = toggleNearLabel(g, label, 'right', { avoid: otherWords(ocr, label), reach: farReach(g, label), skipOthers: true, farthest: true });
  const bg = levelBefore(g, label);
  const pill = b ? solidPill(g, b, bg, height(label)) : null;
  return pill ? { box: pill as PixelBox, confidence: 1 } : null;
}

/** The level just above a text's top-left corner: the fill it is drawn on. */
function levelBefore(g: GrayImage, label: PixelBox): number {
  return g.data[Math.max(0, Math.floor(label[1]) - 2) * g.width + Math.max(0, Math.floor(label[0]) - 2)];
}

/** Typical OCR line height on this screen, for sizing searches without a label. */
export function medianTextHeight(ocr: OcrResult): number {
  const hs = ocr.lines.map((l) => height(l.box)).sort((a, b) => a - b);
  return hs.length ? hs[Math.floor(hs.length / 2)] : 16;
}

/** Every input-looking rectangle on screen, in reading order ("the text field", "the second input"). */
export function allFields(ocr: OcrResult, image: RgbImage): ControlHit[] {
  const rects = findFieldRects(grayOf(image), medianTextHeight(ocr)).filter((r) => !looksLikeButton(ocr, r.box));
  // Nested rectangles (a field inside a bordered form row): keep the innermost.
  const innermost = rects.filter((r) => !rects.some((o) => o !== r && contains(r.box, o.box, 0) && (o.box[2] - o.box[0]) * (o.box[3] - o.box[1]) < (r.box[2] - r.box[0]) * (r.box[3] - r.box[1])));
  return readingOrder(innermost, (r) => r.box).map((r) => {
    const inner = groupsInside(ocr, r.box).map((g) => g.text).join(' ');
    return { box: r.box, confidence: 1, inner: inner || undefined };
  });
}

/**
 * Whether a text is drawn lighter than most text on screen: a placeholder inside a field whose
 * box the image does not show (a borderless or lightly filled input), where clicking the text
 * itself focuses the field.
 */
export function looksLikePlaceholder(ocr: OcrResult, label: PixelBox, image: RgbImage): boolean {
  const g = grayOf(image);
  const own = textContrast(g, label);
  const sample = ocr.groups.filter((_, i) => i % Math.max(1, Math.floor(ocr.groups.length / 40)) === 0).map((x) => textContrast(g, x.box));
  sample.sort((a, b) => a - b);
  // The darker text of the page (body text, labels), not its many grey captions.
  const typical = sample.length ? sample[Math.floor(sample.length * 0.75)] : 0;
  return own > 0 && typical > 0 && own < 0.75 * typical;
}

/**
 * Whether a text sits in a box shaped like a field: its container (the fill around it) is a band
 * no taller than a field (3.5 text heights) and much wider than the text, the text near its left.
 * A placeholder does; a label over an underlined input sits on the form's own fill.
 */
export function inFieldBox(label: PixelBox, image: RgbImage): boolean {
  const g = grayOf(image);
  const h = height(label);
  // Bounded: a field's box is a band at most 3.5 text heights tall; a taller fill is the form's.
  const c = containerWithin(g, label, [0, label[1] - 3.5 * h, g.width, label[3] + 3.5 * h]);
  if (c && c[3] - c[1] <= 3.5 * h && c[2] - c[0] >= 3 * (label[2] - label[0]) && label[0] - c[0] <= 4 * h) return true;
  // An underlined input: its line right under the text (a label over one has the input's height between).
  const bg = levelBefore(g, label);
  return ruledRows(g, [label[0], label[3] + 1, label[2], label[3] + 0.8 * h], bg).some((r) => r === 1);
}

/** How far left of its name, in text heights, a list row's checkbox may be (past a file icon). */
const ROW_LEAD_REACH = 8;

/** A list row's checkbox at its start, past a file or avatar icon before the name: within a few text heights. */
function rowLeadingToggle(label: PixelBox, image: RgbImage, ocr: OcrResult): PixelBox | null {
  const left = rowToggle(label, image, ocr).left;
  return left && label[0] - left[2] <= ROW_LEAD_REACH * height(label) ? left : null;
}

/**
 * The toggle at the far end of a label's row, within its card. It ends the row: a disc with a
 * name right after it is that person's avatar.
 */
function rowEndToggle(g: GrayImage, label: PixelBox, avoid: PixelBox[], ocr: OcrResult): PixelBox | null {
  const t = toggleNearLabel(g, label, 'right', { avoid, reach: farReach(g, label), skipOthers: true, farthest: true });
  if (!t) return null;
  const h = height(label);
  const followed = ocr.words.some((w) => Array.from(w.text).length > 1 && w.box[0] >= t[2] && w.box[0] - t[2] <= 1.5 * h && w.box[1] < t[3] && w.box[3] > t[1]);
  return followed ? null : t;
}

/** To the right edge of the label's container (card, panel), in label heights; at most 120. */
function farReach(g: GrayImage, label: PixelBox): number {
  const c = containerOf(g, label);
  // The container bounds the search; the cap only guards against a container not found (the whole screen).
  return Math.min(120, Math.max(4, (c[2] - label[2]) / height(label)));
}

/** The toggle in the row of a text: scanning left to the row's start, then right to its end, past other texts. */
export function rowToggle(anchor: PixelBox, image: RgbImage, ocr: OcrResult): { left: PixelBox | null; right: PixelBox | null } {
  const g = grayOf(image);
  const avoid = otherWords(ocr, anchor);
  const h = height(anchor);
  // The farthest toggle-shaped blob of the row's own panel: a sidebar's "0" level with the row is a ring too.
  const farthestInPanel = (side: 'left' | 'right'): PixelBox | null => {
    // Up to the panel's edge: a dark sidebar in the band reads as rules across it, hiding the row's ink.
    const edge = panelEdge(g, anchor, side);
    let reach = Math.min(80, (side === 'left' ? anchor[0] - edge : edge - anchor[2]) / h);
    for (let tries = 0; tries < 4 && reach > 0; tries++) {
      const t = toggleNearLabel(g, anchor, side, { avoid, reach, skipOthers: true, farthest: true });
      // Not a sidebar's icon tile either: a toggle is at most about two text lines tall.
      if (!t || (inAnchorPanel(t, anchor, image) && t[3] - t[1] <= 2.5 * h)) return t;
      reach = (side === 'left' ? anchor[0] - t[2] : t[0] - anchor[2]) / h - 0.1;
      if (reach <= 0) return null;
    }
    return null;
  };
  return { left: farthestInPanel('left'), right: farthestInPanel('right') };
}

/** The x of the layout divider nearest the anchor on one side (a sidebar's edge), else the screen's edge. */
function panelEdge(g: GrayImage, anchor: PixelBox, side: 'left' | 'right'): number {
  if (side === 'left') return Math.max(0, lastLayoutDividerBefore(g, anchor[0]));
  const x = layoutDividerBetween(g, Math.ceil(anchor[2]), g.width);
  return x < 0 ? g.width : x;
}

/**
 * The boxes of the screen's other words (a badge, a description), which are not toggles. The
 * label's own words are left out, and so are one-character words: OCR reads a checkbox's edge as
 * "]" and an icon as a letter.
 */
function otherWords(ocr: OcrResult, label: PixelBox): PixelBox[] {
  const overlaps = (b: PixelBox) => b[0] < label[2] && b[2] > label[0] && b[1] < label[3] && b[3] > label[1];
  return ocr.words.filter((w) => Array.from(w.text).length > 1 && !overlaps(w.box)).map((w) => w.box);
}
