/**
 * Picks the icon a phrase names among the candidates findIcons returned, precision first: no
 * answer beats a wrong click. A candidate qualifies when its best rendering of a named icon
 * scores well in absolute terms and nearly as well as anything else in the lexicon (a sun
 * blob is not a gear even though it scores fairly against one). Two qualifying candidates in
 * different places scoring about the same are a tie, answered with none.
 */
import { bestRow, type IconCandidate } from './find-icons.ts';
import type { IconLexicon } from './icon-lexicon.ts';
import { iconTargets } from './icon-words.ts';
import { overlaps } from '../ground/geometry.ts';

export interface IconMatchOptions {
  /** Least cosine for the named icon. */
  minScore?: number;
  /** How far below the candidate's best lexicon icon the named one may score. */
  maxGap?: number;
  /** Candidates closer than this in score are a tie. */
  tieMargin?: number;
  /** How many candidates the answer lists (an ordinal counts among them). */
  maxShown?: number;
}

export interface ScoredCandidate {
  box: [number, number, number, number];
  /** The named icon that scored best here, and its score. */
  icon: string;
  score: number;
  /** The best lexicon icon here and its score. */
  best: string;
  bestScore: number;
  /** Described without the notification badge drawn over it (IconCandidate.badged). */
  badged?: boolean;
}

export type IconMatchReason = 'unknown-icon' | 'not-found' | 'weak' | 'ambiguous';

export interface IconMatch {
  match?: ScoredCandidate & { point: [number, number] };
  /** Candidates for the phrase, best first (at most 5). */
  candidates: ScoredCandidate[];
  /** Why there is no match, and for `unknown-icon` the nearest names the lexicon knows. */
  reason?: IconMatchReason;
  closest?: string[];
  message?: string;
}

/** The least score for the named icon of a shape that looks most like a variant of it. */
const VARIANT_SCORE = 0.75;

/** How much better a shape that looks most like another icon may score and still yield to one that looks most like the named icon. */
const OWN_MARGIN = 0.05;

export const MATCH_DEFAULTS: Required<IconMatchOptions> = { minScore: 0.6, maxGap: 0.04, tieMargin: 0.2, maxShown: 5 };

/** The target icon that scores best for one descriptor, and its score. */
function scoreTargets(d: Float32Array, lexicon: IconLexicon, targets: number[]): { icon: number; score: number } {
  let best = { icon: -1, score: -1 };
  for (const icon of targets) {
    const s = bestRow(d, lexicon, icon);
    if (s > best.score) best = { icon, score: s };
  }
  return best;
}

const fmt = (c: ScoredCandidate): string => `${c.icon} ${c.score.toFixed(2)} at [${c.box.map(Math.round).join(',')}] (looks most like ${c.best} ${c.bestScore.toFixed(2)})`;

export function matchIcon(query: string, candidates: IconCandidate[], lexicon: IconLexicon, options: IconMatchOptions = {}): IconMatch {
  const o = { ...MATCH_DEFAULTS, ...options };
  const t = iconTargets(query, lexicon.vocabulary);
  if (!t.icons.length) {
    const closest = 'closest' in t ? t.closest : [];
    return { candidates: [], reason: 'unknown-icon', closest, message: `no icon called "${t.phrase || query}" in the icon lexicon; closest: ${closest.join(', ')}` };
  }
  const targets = t.icons;
  // Ranking a candidate against the whole lexicon costs ~1 ms: only those that score well for the phrase are ranked.
  const scored: ScoredCandidate[] = candidates
    .map((c) => {
      const s = scoreTargets(c.descriptor, lexicon, targets);
      const icon = lexicon.icons[s.icon]?.name ?? '?';
      const top = s.score >= o.minScore ? c.names[0] : undefined;
      const best = top && top.score > s.score ? top : { name: icon, score: s.score };
      return { box: c.box, icon, score: round3(s.score), best: best.name, bestScore: round3(best.score), ranked: !!top, ...(c.badged ? { badged: true } : {}) };
    })
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.bestScore - b.bestScore)
    .map(({ ranked, ...c }) => c);
  const names = new Set(targets.map((i) => lexicon.icons[i]?.name));
  // A badge hides a corner of its icon, where sets draw their decorations: a badged bell that
  // looks most like a bell with a plus is the bell.
  const isNamed = (icon: string, badged = false): boolean => names.has(icon) || (badged && names.has(decoratedBase(icon)));
  // A shape that looks most like a variant of the named icon must match the named one well itself.
  const qualified = scored.filter((c) => c.score >= o.minScore && (c.score >= c.bestScore - o.maxGap || isNamed(c.best, c.badged) || (c.score >= VARIANT_SCORE && variantOfNamed(c.best, names))));
  const shown = (qualified.length ? qualified : scored).slice(0, o.maxShown);
  if (!qualified.length) {
    const reason: IconMatchReason = scored.length ? 'weak' : 'not-found';
    const near = scored.slice(0, 3).map(fmt).join('; ');
    return { candidates: shown, reason, message: scored.length ? `no icon on screen looks enough like "${t.phrase}"; nearest: ${near}` : `no icon-like shapes on screen for "${t.phrase}"` };
  }
  // A shape that looks more like another icon than like any drawing of the named one is that
  // other icon (a bulleted list beside the numbered one): such shapes yield to those that look
  // most like the named icon, when these score about as well.
  const own = qualified.filter((c) => c.bestScore <= c.score || isNamed(c.best, c.badged));
  const pool = own.length && own.length < qualified.length && own[0].score >= qualified[0].score - OWN_MARGIN ? own : qualified;
  const first = pool[0];
  const rival = pool.find((c) => c !== first && !overlaps(c.box, first.box) && c.score >= first.score - o.tieMargin);
  if (rival) {
    return { candidates: shown, reason: 'ambiguous', message: `"${t.phrase}" matches more than one icon about equally: ${fmt(first)}; ${fmt(rival)}` };
  }
  const point: [number, number] = [(first.box[0] + first.box[2]) / 2, (first.box[1] + first.box[3]) / 2];
  return { match: { ...first, point }, candidates: shown };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Marks an icon set adds to a base icon without changing what it stands for: a bell with a
 * plus, a dot or a check is still the bell (a badge or a hidden corner makes one look like
 * another). "-off" and "-x" are left out: they mean the opposite.
 */
const DECORATION = /-(?:plus|minus|check|dot|ring|fill|filled)$/;

/**
 * A named icon with more drawn in ("message-square-text" of "message-square", "settings-2" of
 * "settings") stands for the same thing. Not one whose added word turns or undoes it: an arrow
 * "-up-right" is another arrow, a "lock-open" no lock, a "bell-off" no bell.
 */
function variantOfNamed(icon: string, names: Set<string>): boolean {
  for (const n of names) {
    if (!icon.startsWith(`${n}-`)) continue;
    if (!/(?:^|-)(?:off|x|slash|open|no|left|right|up|down|top|bottom|start|end|in|out|plus|minus)(?:-|$)/.test(icon.slice(n.length + 1))) return true;
  }
  return false;
}

/** The base icon of a decorated one ("bell-plus" → "bell"), or the name itself. */
const decoratedBase = (icon: string): string => icon.replace(DECORATION, '');
