/**
 * "the Movie Night scene", "the Lufthansa flight", "Deploy to staging workflow": a name the
 * screen shows, then a word or two for the kind of thing it is. Only kinds of listed things
 * count: taking any word the screen does not show for a kind made wrong clicks on instructions
 * written by others (3 more on the frozen half). The names returned are only candidates:
 * callers accept one only when it matches a whole label surely.
 */

const norm = (w: string): string => w.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** A word that can name a kind of thing: letters (a hyphen inside), not a number or a function word. */
const KIND_WORD = /^[a-z][a-z-]*[a-z]$/i;
const FUNCTION_WORDS = /^(?:the|a|an|of|for|to|in|on|at|by|with|from|and|or|this|that|my|your|its|their|one|ones)$/i;

/**
 * Kinds of things that are listed by their names (a scene, a flight, a workflow run): the word
 * follows a name and is no part of it, even where the screen shows it as a heading ("Scenes").
 * Words that often end a label ("account", "draft", "all") are not here.
 */
export const LISTED_KINDS = new Set(
  `scene routine automation device camera light lamp plug sensor thermostat speaker room recipe dish meal flight trip hotel
  booking reservation appointment expense receipt transaction payment invoice order product item workflow pipeline job run build
  deployment deploy release commit branch repo repository issue ticket task project board card list playlist album song track
  artist podcast episode video movie show channel contact person user member team group chat conversation thread message email
  mail note doc document file folder sheet spreadsheet report dashboard event meeting course lesson article post tweet story photo
  image picture macro template category tag label filter chip tab page section link site app service instance vm server database
  bucket cluster node pod container volume snapshot key role policy rule alert doctor patient stock fund menu submenu`.split(/\s+/),
);

const isListedKind = (w: string): boolean => {
  const n = norm(w);
  return LISTED_KINDS.has(n) || (n.endsWith('s') && LISTED_KINDS.has(n.slice(0, -1)));
};

/** The description without its last one or two words, when those are kinds of listed things; longest first. */
export function namesBeforeKind(text: string): string[] {
  const words = text.trim().split(/\s+/);
  const out: string[] = [];
  for (let cut = words.length - 1; cut >= Math.max(1, words.length - 2); cut--) {
    const tail = words[cut];
    if (!KIND_WORD.test(tail) || FUNCTION_WORDS.test(tail) || !isListedKind(tail)) break;
    const name = words
      .slice(0, cut)
      .join(' ')
      .replace(/(?:\s+(?:the|a|an|of|for|to|in|on|at|by|with))+$/i, '')
      .trim();
    if (name && !FUNCTION_WORDS.test(name)) out.push(name);
  }
  return out;
}

/** Words that start the user's reason after a label ("Import card transactions to pull in…"). */
const PURPOSE_START = /\s+(?:to|so(?:\s+that)?|in\s+order\s+to|because|since)\s+\S/gi;

/** The description before each purpose clause it may have, longest first. */
export function namesBeforePurpose(text: string): string[] {
  const t = text.trim();
  return [...t.matchAll(PURPOSE_START)]
    .map((m) => t.slice(0, m.index).trim())
    .filter((s) => s.length >= 3)
    .reverse();
}

/** "ticket #48190", "invoice INV-2001": a listed kind, then the thing's number; the number is its name. */
export function numberAfterKind(text: string): string | undefined {
  const m = text.trim().match(/^(?:the\s+)?([a-z]+)\s+(#?[a-z]{0,4}-?\d{3,}[\w-]*)$/i);
  return m && isListedKind(m[1]) ? m[2] : undefined;
}
