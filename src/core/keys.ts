/**
 * Normalized key names for `key` actions, mapped to the names Playwright's keyboard understands.
 * Models write keys many ways ("ctrl", "CMD", "esc", "return", "pgdn", "up"); the loop must not
 * fail on spelling, but it must fail clearly on a name that is not a key.
 */

export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
}

const MODIFIERS = new Set(['Control', 'Shift', 'Alt', 'Meta']);

/** Lower-cased alias → Playwright key name. */
const ALIASES: Record<string, string> = {
  ctrl: 'Control',
  control: 'Control',
  ctl: 'Control',
  cmd: 'Meta',
  command: 'Meta',
  meta: 'Meta',
  super: 'Meta',
  win: 'Meta',
  windows: 'Meta',
  os: 'Meta',
  alt: 'Alt',
  option: 'Alt',
  opt: 'Alt',
  altgr: 'AltGraph',
  altgraph: 'AltGraph',
  shift: 'Shift',
  esc: 'Escape',
  escape: 'Escape',
  return: 'Enter',
  enter: 'Enter',
  del: 'Delete',
  delete: 'Delete',
  backspace: 'Backspace',
  bksp: 'Backspace',
  tab: 'Tab',
  space: 'Space',
  spacebar: 'Space',
  ' ': 'Space',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  arrowup: 'ArrowUp',
  arrowdown: 'ArrowDown',
  arrowleft: 'ArrowLeft',
  arrowright: 'ArrowRight',
  pgup: 'PageUp',
  pageup: 'PageUp',
  pgdn: 'PageDown',
  pgdown: 'PageDown',
  pagedown: 'PageDown',
  home: 'Home',
  end: 'End',
  insert: 'Insert',
  ins: 'Insert',
  capslock: 'CapsLock',
  numlock: 'NumLock',
  scrolllock: 'ScrollLock',
  pause: 'Pause',
  printscreen: 'PrintScreen',
  contextmenu: 'ContextMenu',
  menu: 'ContextMenu',
  plus: '+',
  minus: '-',
};

/** Maps one key name (any common spelling) to Playwright's name; throws UnknownKeyError otherwise. */
export function normalizeKeyName(name: string): string {
  const trimmed = name.length === 1 ? name : name.trim();
  const alias = ALIASES[trimmed.toLowerCase()];
  if (alias) return alias;
  const fn = /^f([1-9]|1[0-2])$/i.exec(trimmed);
  if (fn) return `F${fn[1]}`;
  // A single printable character is a key of its own: letters, digits, punctuation.
  if ([...trimmed].length === 1 && /^[\x21-\x7e]$/.test(trimmed)) return trimmed;
  throw new UnknownKeyError(
    `unknown key name ${JSON.stringify(name)}; use a modifier (Control, Shift, Alt, Meta), a named key ` +
      '(Enter, Tab, Escape, Backspace, Delete, Space, ArrowUp/Down/Left/Right, Home, End, PageUp, PageDown, F1-F12) ' +
      'or a single character',
  );
}

/**
 * Normalizes a chord: modifiers first, then the other keys in order. Accepts "ctrl+a" written
 * as one name. A letter held with Control/Alt/Meta is lower-cased (Ctrl+A means Ctrl+a, not
 * Ctrl+Shift+a).
 */
export function normalizeChord(keys: string[]): string[] {
  if (keys.length === 0) throw new UnknownKeyError('a key chord needs at least one key');
  const names = keys
    .flatMap((k) => (k.length > 1 && /[^+]\+[^+]|[^+]\+\+$/.test(k) ? splitPlus(k) : [k]))
    .map(normalizeKeyName);
  const modifiers = names.filter((n) => MODIFIERS.has(n));
  const others = names.filter((n) => !MODIFIERS.has(n));
  const commandHeld = modifiers.some((m) => m !== 'Shift');
  const rest = others.map((n) => (commandHeld && /^[A-Z]$/.test(n) ? n.toLowerCase() : n));
  return [...new Set(modifiers), ...rest];
}

/** "ctrl+shift+t" → ["ctrl","shift","t"]; "ctrl++" → ["ctrl","+"]. */
function splitPlus(chord: string): string[] {
  const parts = chord.split('+');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '' && i === parts.length - 1 && out.length) out.push('+');
    else if (parts[i] !== '') out.push(parts[i]);
  }
  return out;
}

/** A chord written as one string ("Control+Alt+Delete") or as its keys (["Meta", "l"]), normalized. */
export function chordOf(chord: string | string[]): string[] {
  return normalizeChord(typeof chord === 'string' ? [chord] : chord);
}

/**
 * A model's key spelling ("ctrl", "page_up", "Return") to the normalized name executors take.
 * A name that is no key is passed through, so the schema check and the executor reject it with
 * their own clear message.
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

/** Splits a model's "ctrl+c", "ctrl c", "Ctrl+Shift+T" into normalized key names (unknown names kept as written). */
export function parseChord(chord: string): string[] {
  const s = chord.trim();
  if (s === '+' || s === ' ') return [s === ' ' ? 'Space' : '+'];
  const parts = s.includes('+') ? s.split('+') : s.split(/\s+/);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0).map(normalizeKey);
}
