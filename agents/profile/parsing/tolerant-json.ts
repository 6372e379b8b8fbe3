/**
 * JSON as models write it: in ```json fences, Python-dict style (single quotes, True/False/None),
 * with trailing commas, surrounded by prose. Strict JSON is tried first.
 */

/** Rewrites Python literal syntax to JSON outside of strings; single-quoted strings become double-quoted. */
function pythonToJson(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === "'") {
      let k = i + 1;
      let body = '';
      while (k < s.length && s[k] !== c) {
        if (s[k] === '\\' && k + 1 < s.length) {
          const e = s[k + 1];
          body += e === "'" ? "'" : '\\' + e;
          k += 2;
          continue;
        }
        body += s[k] === '"' ? '\\"' : s[k] === '\n' ? '\\n' : s[k];
        k++;
      }
      out += '"' + body + '"';
      i = k + 1;
      continue;
    }
    const word = /^(True|False|None)\b/.exec(s.slice(i, i + 5));
    if (word && !/\w/.test(s[i - 1] ?? '')) {
      out += word[1] === 'True' ? 'true' : word[1] === 'False' ? 'false' : 'null';
      i += word[1].length;
      continue;
    }
    out += c;
    i++;
  }
  return out.replace(/,\s*([}\]])/g, '$1');
}

/** The first balanced {...} or [...] in the text, starting at or after `from`. */
export function balancedSpan(s: string, from = 0, open: '{' | '[' | 'any' = 'any'): string | undefined {
  const startRe = open === 'any' ? /[{[]/g : open === '{' ? /\{/g : /\[/g;
  startRe.lastIndex = from;
  const m = startRe.exec(s);
  if (!m) return undefined;
  let depth = 0;
  let quote: string | null = null;
  for (let i = m.index; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return s.slice(m.index, i + 1);
    }
  }
  return undefined;
}

export class LooseJsonError extends Error {
  override name = 'LooseJsonError';
}

/** Parses one JSON value out of a model reply; throws LooseJsonError saying what was wrong. */
export function parseLooseJson(text: string): unknown {
  const fenced = /```(?:json|JSON|python)?\s*\n?([\s\S]*?)```/.exec(text);
  const body = fenced ? fenced[1] : text;
  const span = balancedSpan(body);
  if (span === undefined) throw new LooseJsonError('no JSON object or array found in the reply');
  try {
    return JSON.parse(span);
  } catch {
    /* fall through to the tolerant reading */
  }
  try {
    return JSON.parse(pythonToJson(span));
  } catch (e) {
    throw new LooseJsonError(`the JSON in the reply does not parse: ${(e as Error).message}`);
  }
}
