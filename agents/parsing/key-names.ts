/** Model key spellings to the normalized names executors take (Playwright's). */
const KEY_ALIASES: Record<string, string> = {
  ctrl: 'Control',
  control: 'Control',
  alt: 'Alt',
  option: 'Alt',
  shift: 'Shift',
  cmd: 'Meta',
  command: 'Meta',
  meta: 'Meta',
  super: 'Meta',
  win: 'Meta',
  windows: 'Meta',
  enter: 'Enter',
  return: 'Enter',
  esc: 'Escape',
  escape: 'Escape',
  tab: 'Tab',
  space: 'Space',
  backspace: 'Backspace',
  delete: 'Delete',
  del: 'Delete',
  insert: 'Insert',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  pgup: 'PageUp',
  pgdn: 'PageDown',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  arrowup: 'ArrowUp',
  arrowdown: 'ArrowDown',
  arrowleft: 'ArrowLeft',
  arrowright: 'ArrowRight',
  capslock: 'CapsLock',
};

export function normalizeKey(name: string): string {
  const k = name.trim();
  const alias = KEY_ALIASES[k.toLowerCase().replace(/[\s_-]/g, '')];
  if (alias) return alias;
  if (/^f([1-9]|1[0-2])$/i.test(k)) return k.toUpperCase();
  return k.length === 1 ? k.toLowerCase() : k;
}

/** Splits "ctrl+c", "ctrl c", "Ctrl+Shift+T" into normalized key names. */
export function parseChord(chord: string): string[] {
  const s = chord.trim();
  if (s === '+' || s === ' ') return [s === ' ' ? 'Space' : '+'];
  const parts = s.includes('+') ? s.split('+') : s.split(/\s+/);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0).map(normalizeKey);
}
