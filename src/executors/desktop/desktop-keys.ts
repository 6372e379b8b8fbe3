import { normalizeChord, UnknownKeyError } from '../../core/keys.ts';

/**
 * Our normalized key names (see executors/key-names.ts, shared with the browser) → nut.js Key
 * enum names. nut.js knows physical keys of a US layout, so a shifted character ("!", "A", "+")
 * becomes Shift plus its base key.
 */

const NAMED: Record<string, string> = {
  Control: 'LeftControl',
  Shift: 'LeftShift',
  Alt: 'LeftAlt',
  Meta: 'LeftSuper',
  AltGraph: 'RightAlt',
  Enter: 'Return',
  Escape: 'Escape',
  Tab: 'Tab',
  Space: 'Space',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  CapsLock: 'CapsLock',
  NumLock: 'NumLock',
  ScrollLock: 'ScrollLock',
  Pause: 'Pause',
  PrintScreen: 'Print',
  ContextMenu: 'Menu',
};

const PUNCTUATION: Record<string, string> = {
  '`': 'Grave',
  '-': 'Minus',
  '=': 'Equal',
  '[': 'LeftBracket',
  ']': 'RightBracket',
  '\\': 'Backslash',
  ';': 'Semicolon',
  "'": 'Quote',
  ',': 'Comma',
  '.': 'Period',
  '/': 'Slash',
};

/** Shifted characters of a US layout → their unshifted key. */
const SHIFTED: Record<string, string> = {
  '~': '`', '!': '1', '@': '2', '#': '3', '$': '4', '%': '5', '^': '6', '&': '7', '*': '8', '(': '9', ')': '0',
  _: '-', '+': '=', '{': '[', '}': ']', '|': '\\', ':': ';', '"': "'", '<': ',', '>': '.', '?': '/',
};

function baseKey(ch: string): string {
  if (/^[a-z]$/.test(ch)) return ch.toUpperCase();
  if (/^[0-9]$/.test(ch)) return `Num${ch}`;
  const p = PUNCTUATION[ch];
  if (p) return p;
  throw new UnknownKeyError(`no key on a US keyboard types ${JSON.stringify(ch)}`);
}

/** A chord in any accepted spelling → nut.js Key names, modifiers first, Shift added where a character needs it. */
export function nutChord(keys: string[]): string[] {
  const chord = normalizeChord(keys);
  const out: string[] = [];
  let needShift = false;
  for (const k of chord) {
    const named = NAMED[k] ?? (/^F([1-9]|1[0-2])$/.test(k) ? k : undefined);
    if (named) {
      out.push(named);
    } else if (/^[A-Z]$/.test(k)) {
      needShift = true;
      out.push(k);
    } else if (SHIFTED[k]) {
      needShift = true;
      out.push(baseKey(SHIFTED[k]));
    } else {
      out.push(baseKey(k));
    }
  }
  if (needShift && !out.includes('LeftShift')) {
    const firstKey = out.findIndex((n) => !['LeftControl', 'LeftAlt', 'LeftSuper', 'RightAlt'].includes(n));
    out.splice(firstKey < 0 ? out.length : firstKey, 0, 'LeftShift');
  }
  return out;
}

/** Text nut.js types correctly key by key: printable ASCII plus newline and tab (US layout). */
export function keyboardTypeable(text: string): boolean {
  return /^[\x20-\x7e\n\t]*$/.test(text);
}
