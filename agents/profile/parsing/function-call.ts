/**
 * Reads Python-style function-call text as models write it: `left_click(start_box='[1,2]', element_info='OK')`.
 * Quoted values keep escaped quotes and commas intact (`content='It\'s, fine'`); an unescaped quote
 * only closes a value when what follows can end it (`)` or `, name=`), so a stray apostrophe
 * in typed text does not truncate it.
 */

export interface FunctionCall {
  name: string;
  args: Record<string, string>;
  positional: string[];
  /** Offsets of the call in the scanned text. */
  start: number;
  end: number;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

function skipSpace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
}

/** Whether an unescaped quote at i can close the value. */
function canClose(s: string, i: number): boolean {
  const j = skipSpace(s, i + 1);
  if (j >= s.length || s[j] === ')') return true;
  if (s[j] !== ',') return false;
  return /^\s*([A-Za-z_]\w*\s*=|['"]|\)|$)/.test(s.slice(j + 1, j + 64));
}

function readQuoted(s: string, i: number): { value: string; next: number } {
  const q = s[i];
  let out = '';
  let k = i + 1;
  while (k < s.length) {
    const c = s[k];
    if (c === '\\' && k + 1 < s.length) {
      const e = s[k + 1];
      out += ESCAPES[e] ?? e;
      k += 2;
      continue;
    }
    if (c === q && canClose(s, k)) return { value: out, next: k + 1 };
    out += c;
    k++;
  }
  return { value: out, next: k }; // unterminated: keep what there is
}

function readBare(s: string, i: number): { value: string; next: number } {
  let depth = 0;
  let k = i;
  for (; k < s.length; k++) {
    const c = s[k];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) break;
  }
  return { value: s.slice(i, k).trim(), next: k };
}

/** Parses the call whose name starts at `start`; null when no `(` follows the name. */
export function parseCallAt(s: string, start: number): FunctionCall | null {
  const m = /^([A-Za-z_]\w*)\s*\(/.exec(s.slice(start, start + 80));
  if (!m) return null;
  const call: FunctionCall = { name: m[1], args: {}, positional: [], start, end: s.length };
  let i = start + m[0].length;
  for (;;) {
    i = skipSpace(s, i);
    if (i >= s.length) break;
    if (s[i] === ')') {
      call.end = i + 1;
      return call;
    }
    if (s[i] === ',') {
      i++;
      continue;
    }
    let key: string | undefined;
    const km = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(s.slice(i, i + 80));
    if (km) {
      key = km[1];
      i = skipSpace(s, i + km[0].length);
    }
    const r = s[i] === "'" || s[i] === '"' ? readQuoted(s, i) : readBare(s, i);
    if (key !== undefined) call.args[key] = r.value;
    else call.positional.push(r.value);
    if (r.next === i) break; // no progress: malformed
    i = r.next;
  }
  return call; // no closing parenthesis: truncated reply, keep what was read
}

/** Every call to one of `names` in the text, in order (matches are whole identifiers). */
export function findCalls(text: string, names: readonly string[]): FunctionCall[] {
  const re = new RegExp(`(?<![\\w.])(${names.map((n) => n.replace(/\W/g, '\\$&')).join('|')})\\s*\\(`, 'g');
  const calls: FunctionCall[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const call = parseCallAt(text, m.index);
    if (!call) continue;
    calls.push(call);
    re.lastIndex = Math.max(call.end, m.index + 1);
  }
  return calls;
}
