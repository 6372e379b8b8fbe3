import { createHash } from 'node:crypto';
import { percent as formatPercent } from '../eval/stats.ts';
import { readFileSync } from 'node:fs';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function raw(text: string): Html {
  return new Html(text);
}

type Part = string | number | Html | undefined | null | false | Part[];

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (part instanceof Html) return part.text;
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/**
 * JSON for a `<script type="application/json">` block. Escaping `<`, `>` and `&` keeps any
 * string in the trace (a model reply containing `</script>`) from closing the block.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

const assets = new Map<string, string>();

/** A file under src/report/assets/, read once per process. */
export function asset(name: string): string {
  let text = assets.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
    assets.set(name, text);
  }
  return text;
}

/** A percent-encoded relative URL for a path inside the report's folder (frames/step-000.jpg). */
export function relativeUrl(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

/**
 * A whole self-contained page: inline CSS and JS, no external resources. The CSP forbids
 * any network fetch and any script but our own inline ones (by hash), so nothing in a trace can load or run code.
 */
export function page(o: { title: string; css: string[]; body: Html; data?: unknown; scripts: string[] }): string {
  // Scripts are allowed by hash, not 'unsafe-inline': even a string that escaped escaping could not run.
  const hashes = o.scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`).join(' ');
  const csp = `default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; script-src ${hashes}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style>${o.css.join('\n')}</style>
</head>
<body>
${o.body.text}
${o.data === undefined ? '' : `<script id="report-data" type="application/json">${jsonForScript(o.data)}</script>`}
${o.scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Percentages in reports: one decimal, none at 0% and 100%. */
export function percent(x: number): string {
  return formatPercent(x, 'compact');
}
