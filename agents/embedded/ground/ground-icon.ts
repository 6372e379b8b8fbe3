import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import type { Frame, RgbImage } from '../../../src/core/frame.ts';
import { findIcons, type IconCandidate } from '../icons/find-icons.ts';
import { sharedIconLexicon, type IconLexicon } from '../icons/icon-lexicon.ts';
import { MATCH_DEFAULTS, matchIcon } from '../icons/match-icon.ts';
import { DescriptionError, parseDescription } from './describe.ts';
import { boxDistance, height, inRegion, inRelation, sameBox } from './geometry.ts';
import { type LocateResult } from './locate.ts';
import { findAnchor, inAnchorContainers } from './anchors.ts';
import { locateSearchField } from './search-field.ts';
import { medianTextHeight } from './controls.ts';

/**
 * Targets with no text: a description ("the gear icon in the top bar", "Refresh" near "Top
 * channels") matched against the icons on screen (icons/), kept to those in the relation the
 * description names with its anchor text. Used when no text on screen matches.
 */

const candidatesOf = new WeakMap<OcrResult, IconCandidate[]>();

const SEARCH_ANCHOR = /^(?:the\s+)?search\s*(?:bar|box|field|input)$|^搜索(?:框|栏)$/i;

/** How far from its anchor an icon may be for "near": icons sit beside what they act on. */
const NEAR_RADIUS_HEIGHTS = 14;

/** The icon-like shapes of a screen (found once per reading). */
export function iconCandidates(screen: { ocr: OcrResult; rgb: RgbImage; frame: Frame }, lexicon: IconLexicon): IconCandidate[] {
  let all = candidatesOf.get(screen.ocr);
  if (!all) {
    all = findIcons(screen.rgb, screen.ocr, lexicon, { scale: screen.frame.scale || 1 });
    candidatesOf.set(screen.ocr, all);
  }
  return all;
}

export async function locateIcon(description: string, screen: { ocr: OcrResult; rgb: RgbImage; frame: Frame }): Promise<LocateResult | undefined> {
  let q;
  try {
    q = parseDescription(description);
  } catch (e) {
    if (e instanceof DescriptionError) return undefined;
    throw e;
  }
  // A quoted target is a text the user expects to read ("Click 'Reject'"), not an icon.
  if (!q.text || q.kind !== 'text' || q.quoted) return undefined;
  let lexicon: IconLexicon;
  try {
    lexicon = await sharedIconLexicon();
  } catch (e) {
    return { candidates: [], message: `the icon lexicon could not be loaded: ${(e as Error).message.split('\n')[0]}` };
  }
  const all = iconCandidates(screen, lexicon);
  let pool = all;
  let anchorBoxes: PixelBox[] = [];
  if (q.anchor) {
    // Only the anchor's whole text: an icon is matched by its shape alone, so a place found from
    // part of the anchor's words is one guess too many.
    const found = findAnchor(screen.ocr, q.anchor.text);
    let anchors: Array<{ box: PixelBox }> = found.span ? [] : found.hits;
    // "next to the search bar": the search field, found by its placeholder or its magnifier.
    if (!anchors.length && SEARCH_ANCHOR.test(q.anchor.text)) {
      const field = locateSearchField(screen.ocr, screen.rgb, q.anchor.text).match;
      if (field) anchors = [{ box: field.box as PixelBox }];
    }
    // "the new folder icon next to the upload button": the anchor is an icon too.
    const anchorIcon = anchors.length ? undefined : matchIcon(q.anchor.text, all, lexicon).match;
    if (anchorIcon) anchors = [{ box: anchorIcon.box as PixelBox }];
    if (!anchors.length) return { candidates: [], message: `no text matching "${q.anchor.text}" on screen to find the ${q.text} icon by` };
    anchorBoxes = anchors.map((a) => a.box);
    const rel = q.anchor.relation;
    const textHeight = medianTextHeight(screen.ocr);
    // "Refresh on the Top channels card": an icon in the card the anchor sits in, when the image shows one.
    const inside = rel === 'near' ? inAnchorContainers(all.map((c) => c.box as PixelBox), anchors.map((a) => a.box), screen.rgb) : undefined;
    pool = inside
      ? all.filter((_, i) => inside.has(i))
      : all.filter((c) =>
          // Text heights, not the anchor's height: a search field is two or three of them tall.
          anchors.some((a) => (rel === 'near' ? boxDistance(c.box as PixelBox, a.box) <= NEAR_RADIUS_HEIGHTS * Math.min(height(a.box), textHeight) : inRelation(c.box as PixelBox, a.box, rel))),
        );
  }
  if (q.anchor) pool = pool.filter((c) => !anchorBoxes.some((b) => sameBox(b, c.box as PixelBox)));
  if (q.region) {
    const there = pool.filter((c) => inRegion(c.box as PixelBox, q.region!, screen.rgb.width, screen.rgb.height));
    if (there.length) pool = there;
  }
  let m = matchIcon(q.text, pool, lexicon);
  const candidates = m.candidates.map((c) => ({ text: `${c.icon} icon`, box: c.box, score: c.score }));
  // "the notification bell": of two bells, the one beside the word "Notifications" is a labelled
  // menu entry, named by its label; a shape named by its look is the one that stands alone.
  if (m.reason === 'ambiguous' && !q.anchor) {
    // One per place: a part of an icon (a bell without its clapper) is the same icon.
    const tied = m.candidates.filter((c, i, all) => c.score >= all[0].score - MATCH_DEFAULTS.tieMargin && !all.slice(0, i).some((o) => overlap(o.box, c.box)));
    const alone = tied.filter((c) => !labelled(c.box, screen.ocr));
    if (alone.length === 1 && alone[0].score >= MATCH_DEFAULTS.minScore) {
      const c = alone[0];
      m = { match: { ...c, point: [(c.box[0] + c.box[2]) / 2, (c.box[1] + c.box[3]) / 2] }, candidates: m.candidates };
    }
  }
  if (!m.match) return { candidates, message: m.message };
  return {
    match: { point: m.match.point, box: m.match.box, text: `${m.match.icon} icon`, score: m.match.score, kind: 'image' },
    candidates: candidates.filter((c) => c.box !== m.match!.box),
  };
}


/** An icon with a word right beside it on its line: a labelled entry ("🔔 Notifications"), not a lone icon button. */
function labelled(box: PixelBox, ocr: OcrResult): boolean {
  const h = Math.max(8, box[3] - box[1]);
  const cy = (box[1] + box[3]) / 2;
  return ocr.words.some((w) => {
    if (Array.from(w.text).length < 2 || Math.abs((w.box[1] + w.box[3]) / 2 - cy) > h / 2) return false;
    const gap = w.box[0] >= box[2] ? w.box[0] - box[2] : box[0] >= w.box[2] ? box[0] - w.box[2] : 0;
    return gap <= 1.5 * h;
  });
}

const overlap = (a: number[], b: number[]): boolean => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
