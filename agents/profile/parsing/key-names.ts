import { normalizeKeyName, UnknownKeyError } from '../../../src/core/keys.ts';

/**
 * A model's key spelling ("ctrl", "page_up", "Return") to the normalized name executors take.
 * One alias table serves parsers and executors; a name that is no key is passed through, so the
 * schema check and the executor reject it with their own clear message.
 */
export function normalizeKey(name: string): string {
  const k = name.trim() || name;
  try {
    return normalizeKeyName(k.length > 1 ? k.replace(/[\s_-]/g, '') : k);
  } catch (e) {
    if (e instanceof UnknownKeyError) return k;
    throw e;
  }
}

/** Splits "ctrl+c", "ctrl c", "Ctrl+Shift+T" into normalized key names. */
export function parseChord(chord: string): string[] {
  const s = chord.trim();
  if (s === '+' || s === ' ') return [s === ' ' ? 'Space' : '+'];
  const parts = s.includes('+') ? s.split('+') : s.split(/\s+/);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0).map(normalizeKey);
}
