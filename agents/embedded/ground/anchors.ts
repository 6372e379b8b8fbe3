import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { acrossDividers, containerOf, withPanelAbove } from '../../../kernels/container.ts';
import { layoutDividerBetween } from '../../../kernels/layout-divider.ts';
import { grayOf } from './controls.ts';
import { contains, sameBox } from './geometry.ts';
import { searchText, type TextHit } from './text-match.ts';

/**
 * The anchor of a description ("in Bob's row", "on the Billing card"): where on screen it is,
 * and what lies in the same container (card, panel, dialog, table cell) as it.
 */

/** Lowest score of an anchor hit (as for targets). */
const ANCHOR_MIN_SCORE = 0.5;
/** A shorter span of the anchor stands in for it only when it is read this surely. */
const SPAN_MIN_SCORE = 0.9;
/** At most this many words of the anchor may be left out ("the blue Asics" is "Asics"). */
const MAX_WORDS_LEFT_OUT = 2;

export interface AnchorHits {
  hits: TextHit[];
  /** The part of the anchor's words that was found, when not all of them were. */
  span?: string;
}

/**
 * Where the anchor text is. People name a row or card with words the screen does not show
 * ("the Stark Logistics invoice", "the API migration row", "the blue Asics"): when the whole
 * text is not found, the longest run of its words that is read surely, and only one such run,
 * stands in for it. Two different runs found equally long is no answer (which one was meant?).
 */
export function findAnchor(ocr: OcrResult, text: string): AnchorHits {
  const hits = searchText(ocr, text).filter((h) => h.score >= ANCHOR_MIN_SCORE);
  if (hits.length) return { hits };
  const split = splitCjkAnchor(ocr, text);
  if (split) return split;
  const words = text.split(/\s+/).filter(Boolean);
  for (let drop = 1; drop <= Math.min(MAX_WORDS_LEFT_OUT, words.length - 1); drop++) {
    const found: AnchorHits[] = [];
    for (let start = 0; start + words.length - drop <= words.length; start++) {
      const span = words.slice(start, start + words.length - drop).join(' ');
      // A lone short word ("to", "OG") names too little to stand for a row.
      if (span.replace(/[^\p{L}\p{N}]/gu, '').length < 4) continue;
      const spanHits = searchText(ocr, span).filter((h) => h.score >= SPAN_MIN_SCORE);
      if (spanHits.length) found.push({ hits: spanHits, span });
    }
    if (found.length === 1) return found[0];
    if (found.length > 1) return { hits: [] };
  }
  return { hits: [] };
}

/**
 * "亚麻衬衫" for "女装亚麻混纺长袖衬衫": Chinese names a thing by a few of its title's words, with
 * no spaces to drop at. Two pieces of the anchor (each two characters or more), read exactly, in
 * order on one line and in one group: the one line that has them stands in for it.
 */
function splitCjkAnchor(ocr: OcrResult, text: string): AnchorHits | undefined {
  const chars = [...text.trim()];
  if (chars.length < 4 || chars.length > 12 || !chars.every((c) => /\p{Script=Han}/u.test(c))) return undefined;
  const lines = new Map<number, TextHit>();
  for (let k = 2; k <= chars.length - 2; k++) {
    const [a, b] = [chars.slice(0, k).join(''), chars.slice(k).join('')];
    // Exact pieces: inside a long title a piece scores low as a label, but it is read as written.
    const hitsA = searchText(ocr, a).filter((h) => h.cost === 0);
    const hitsB = searchText(ocr, b).filter((h) => h.cost === 0);
    for (const ha of hitsA) {
      const hb = hitsB.find((h) => h.line === ha.line && h.groupText === ha.groupText && h.start >= ha.end);
      if (hb) lines.set(ha.line, { ...ha, box: ha.groupBox, text: ha.groupText, end: hb.end });
    }
  }
  return lines.size === 1 ? { hits: [...lines.values()], span: text } : undefined;
}

/** A card's picture is at least this many of its text's heights tall. */
const PICTURE_HEIGHTS = 5;

/**
 * Which of `boxes` share a container with one of the anchors: the anchor's own box (a dialog's
 * title bar), then up to two enclosing ones, the first level that holds any of them. Undefined
 * when no container of the anchors holds any (then nearness is a matter of distance).
 */
export function inAnchorContainers(boxes: PixelBox[], anchors: PixelBox[], image: RgbImage): Set<number> | undefined {
  if (!boxes.length) return undefined;
  const gray = grayOf(image);
  const whole = gray.width * gray.height;
  const inside = new Set<number>();
  for (const a of anchors) {
    // A card cut by a divider (its price column), or topped by its picture, is one card.
    let c = withPanelAbove(gray, acrossDividers(gray, containerOf(gray, a)), PICTURE_HEIGHTS * (a[3] - a[1]));
    for (let level = 0; level < 3 && (c[2] - c[0]) * (c[3] - c[1]) <= 0.6 * whole; level++) {
      const found = boxes.flatMap((b, i) => (!sameBox(b, a) && contains(c, b, 2) ? [i] : []));
      if (found.length) {
        found.forEach((i) => inside.add(i));
        break;
      }
      c = containerOf(gray, [c[0] - 1, c[1] - 1, c[2] + 1, c[3] + 1]);
    }
  }
  return inside.size ? inside : undefined;
}

/**
 * Whether `box` is in a panel of `anchor`'s: going out from the anchor's container (joined across
 * thin dividers), the first one that holds `box` is not the whole screen, or the anchor's own
 * container already holds it. A sidebar's entry level with a list's row is on another panel: the
 * row's containers end at the list's edge and only the screen holds both.
 */
export function inAnchorPanel(box: PixelBox, anchor: PixelBox, image: RgbImage): boolean {
  const gray = grayOf(image);
  const whole = gray.width * gray.height;
  const own = containerOf(gray, anchor);
  if (contains(own, box, 2)) return true;
  // A panel's edge the height of the screen between them: a sidebar's entry, not the row's.
  const [left, right] = box[2] <= anchor[0] ? [box[2], anchor[0]] : anchor[2] <= box[0] ? [anchor[2], box[0]] : [0, 0];
  if (right > left && layoutDividerBetween(gray, left - 1, right) >= 0) return false;
  // Joined across a divider, a panel is still not the whole screen (a sidebar's border is a divider too).
  let c = acrossDividers(gray, own);
  for (let level = 0; level < 4; level++) {
    if (contains(c, box, 2)) return (c[2] - c[0]) * (c[3] - c[1]) < 0.9 * whole;
    if ((c[2] - c[0]) * (c[3] - c[1]) >= 0.9 * whole) return false;
    c = acrossDividers(gray, containerOf(gray, [c[0] - 1, c[1] - 1, c[2] + 1, c[3] + 1]));
  }
  return true;
}
