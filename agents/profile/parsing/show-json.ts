/**
 * A reply's value as error text: short (the message goes back to the model in a repair prompt)
 * and safe (JSON.stringify overflows the stack on the deeply nested arrays a broken model can emit).
 */
export function showJson(value: unknown, max = 80): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(value);
  } catch {
    return '(a value nested too deeply to show)';
  }
  if (s === undefined) return String(value);
  return s.length > max ? s.slice(0, max - 3) + '...' : s;
}

/** A piece of a reply quoted in an error message, cut to a readable length. */
export function clip(text: string, max = 60): string {
  return text.length > max ? text.slice(0, max - 3) + '...' : text;
}
