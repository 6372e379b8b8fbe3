import { normalizeChord, UnknownKeyError } from '../../src/core/keys.ts';

/** Keys that are also common button labels count as keys only when the goal says "key". */
const AMBIGUOUS_KEYS = /^(?:delete|del|home|end|menu|insert|pause|option|up|down|left|right|plus|minus|ok)$/i;
const ZH_KEYS: Record<string, string> = { 回车: 'Enter', 回车键: 'Enter', 确认键: 'Enter', 退格: 'Backspace', 空格: 'Space', 删除: 'Delete', 制表: 'Tab', 上箭头: 'ArrowUp', 下箭头: 'ArrowDown', 左箭头: 'ArrowLeft', 右箭头: 'ArrowRight' };

/** The key chord a "press X" names, or undefined when X is something to click. */
export function keyChord(what: string, saidKey: boolean): string[] | undefined {
  const name = what.trim();
  if (!name) return undefined;
  if (ZH_KEYS[name]) return [ZH_KEYS[name]];
  if (!saidKey && AMBIGUOUS_KEYS.test(name)) return undefined;
  if (!saidKey && name.length === 1 && /[a-z]/i.test(name) && name === name.toUpperCase()) return undefined;
  const pieces = /[+-]/.test(name) && name.length > 1 ? name.split(/\s*[+-]\s*|\s+/) : name.split(/\s+/);
  if (pieces.length > 1 && !/[+-]/.test(name)) return undefined;
  try {
    return normalizeChord(pieces.filter(Boolean));
  } catch (e) {
    if (e instanceof UnknownKeyError) return undefined;
    throw e;
  }
}
