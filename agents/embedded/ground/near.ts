import type { PixelBox } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { inAnchorContainers } from './anchors.ts';
import { boxDistance, height } from './geometry.ts';
import type { TextHit } from './text-match.ts';

/** Hits within this much of the best count as "the same thing" for ordinals and ties. */
export const POOL_MARGIN = 0.12;

/** "Near" when nothing says how near: within a few text heights, when no container says more. */
const NEAR_HEIGHTS = 8;

/**
 * The hits near an anchor: those in the same container (card, panel, cell, dialog) as a good
 * anchor hit when the image shows one, else those within NEAR_HEIGHTS text heights of it.
 */
export function nearAnchors(hits: TextHit[], anchorHits: TextHit[], image: RgbImage | undefined): TextHit[] {
  const best = Math.max(...anchorHits.map((a) => a.score));
  const near = nearAnyOf(hits, anchorHits.filter((a) => a.score >= best - POOL_MARGIN), image);
  // Nothing by the best-read anchors: the name in a longer line ("陈浩今天13:05") may head the card.
  const heading = anchorHits.filter((a) => a.groupText.trim().startsWith(a.text.trim()) && a.score < best - POOL_MARGIN);
  return near.length || !heading.length ? near : nearAnyOf(hits, heading, image);
}

function nearAnyOf(hits: TextHit[], anchors: TextHit[], image: RgbImage | undefined): TextHit[] {
  if (image && hits.length) {
    // Only hits as good as the best anywhere count: "delete" inside a sentence of the dialog is not its "Delete" button.
    const top = Math.max(...hits.map((h) => h.score));
    const good = hits.filter((h) => h.score >= top - POOL_MARGIN);
    const inside = inAnchorContainers(
      good.map((h) => h.box),
      anchors.map((a) => a.box),
      image,
    );
    if (inside) return good.filter((_, i) => inside.has(i));
  }
  return hits.filter((h) => anchors.some((a) => boxDistance(a.box, h.box) <= NEAR_HEIGHTS * height(a.box) || sameLineNear(a.box, h.box)));
}

/** A heading's action on its own line ("Filters ... Clear all"): as near as the line is short. */
const SAME_LINE_HEIGHTS = 20;

function sameLineNear(a: PixelBox, b: PixelBox): boolean {
  const overlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return overlap >= 0.6 * Math.min(height(a), height(b)) && boxDistance(a, b) <= SAME_LINE_HEIGHTS * height(a);
}
