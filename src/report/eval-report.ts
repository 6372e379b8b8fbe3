import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatIssues } from '../core/actions.ts';
import { EvalSummarySchema, type EvalSummary } from '../eval/eval-summary-schema.ts';
import type { Rate } from '../eval/stats.ts';
import { asset, formatCount, formatMs, html, page, percent, raw, relativeUrl } from './html.ts';
import { rateBars } from './plots.ts';
import { RUN_REPORT_FILE, writeRunReport } from './run-report.ts';

export const EVAL_REPORT_FILE = 'index.html';
export const EVAL_SUMMARY_FILE = 'summary.json';

export class ReportError extends Error {
  override name = 'ReportError';
}

/** Reads and validates DIR/summary.json of an eval; the error names the field that is wrong. */
export function readEvalSummary(evalDir: string): EvalSummary {
  const file = path.join(evalDir, EVAL_SUMMARY_FILE);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReportError(code === 'ENOENT' ? `no eval summary at ${file}` : `cannot read ${file}: ${(e as Error).message}`);
  }
  const r = EvalSummarySchema.safeParse(value);
  if (!r.success) throw new ReportError(`${file} is not an eval summary: ${formatIssues(r.error, value).slice(0, 5).join('; ')}`);
  return r.data;
}

/** Where an episode's trace folder is, if it stays inside the eval folder. */
function episodeDir(evalDir: string, traceDir: string): string | undefined {
  const normal = path.posix.normalize(traceDir.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(normal) || normal.startsWith('..')) return undefined;
  return path.join(evalDir, normal);
}

function rateCell(r: Rate) {
  return html`<td class="num">${percent(r.rate)}</td><td class="num">${percent(r.low)} – ${percent(r.high)}</td><td class="num">${r.successes} / ${r.n}</td>`;
}

/** The eval index page as a string. `reports` tells which episodes have a run report to link to. */
export function renderEvalReport(summary: EvalSummary, reports: Set<number>): string {
  const { overall, categories } = summary.aggregates;
  const catNames = Object.keys(categories);
  const aggregateRows = [
    html`<tr class="overall"><th>all</th>${rateCell(overall)}</tr>`,
    ...catNames.map((c) => html`<tr data-category="${c}"><td>${c}</td>${rateCell(categories[c])}</tr>`),
  ];
  const episodes = summary.episodes.map((e, i) => {
    const href = reports.has(i) ? `${relativeUrl(path.posix.normalize(e.traceDir.replace(/\\/g, '/')))}/${RUN_REPORT_FILE}` : undefined;
    return html`<tr class="episode ${e.success ? 'ok' : 'fail'}" data-category="${e.category}" data-success="${String(e.success)}" data-task="${e.task.toLowerCase()}">
<td>${href ? html`<a href="${href}">${e.task}</a>` : html`${e.task} <span class="meta">(no trace)</span>`}</td><td class="num">${e.seed}</td><td>${e.category}</td>
<td class="result">${e.success ? 'pass' : 'fail'}</td><td>${e.reason}${e.detail ? html`<div class="meta">${e.detail}</div>` : ''}</td>
<td class="num">${e.steps}</td><td class="num">${formatMs(e.modelMs)}</td><td class="num">${formatMs(e.envMs)}</td><td class="num">${formatCount(e.tokens.input + e.tokens.output)}</td></tr>`;
  });
  const options = catNames.map((c) => html`<option value="${c}">${c}</option>`);
  const totals = summary.episodes.reduce((t, e) => ({ modelMs: t.modelMs + e.modelMs, envMs: t.envMs + e.envMs, tokens: t.tokens + e.tokens.input + e.tokens.output }), { modelMs: 0, envMs: 0, tokens: 0 });
  const body = html`<header class="run-header">
<h1>Evaluation${summary.suite ? html` <span class="task-id">${summary.suite}</span>` : ''} <span class="badge ${overall.rate >= 0.5 ? 'ok' : 'fail'}">${percent(overall.rate)} success</span></h1>
<dl class="facts">
<div><dt>engine</dt><dd>${summary.engine}</dd></div>
${summary.model ? html`<div><dt>model</dt><dd>${summary.model}</dd></div>` : ''}
<div><dt>started</dt><dd>${summary.startedAt}</dd></div>
${summary.durationMs !== undefined ? html`<div><dt>time</dt><dd>${formatMs(summary.durationMs)}</dd></div>` : ''}
<div><dt>episodes</dt><dd>${summary.episodes.length}</dd></div>
<div><dt>model time</dt><dd>${formatMs(totals.modelMs)}</dd></div>
<div><dt>env time</dt><dd>${formatMs(totals.envMs)}</dd></div>
<div><dt>tokens</dt><dd>${formatCount(totals.tokens)}</dd></div>
</dl>
</header>
<section class="aggregates"><h2>Success rate (95% Wilson interval)</h2>
<table id="aggregates"><thead><tr><th>category</th><th class="num">rate</th><th class="num">95% interval</th><th class="num">passed</th></tr></thead><tbody>${aggregateRows}</tbody></table></section>
<section class="plots">${raw(rateBars({ title: 'Success per category', rows: [{ name: 'all', ...overall }, ...catNames.map((c) => ({ name: c, ...categories[c] }))] }))}</section>
<section><h2>Episodes</h2>
<div class="filters">
<label><input type="checkbox" id="failed-only"> failed only</label>
<label>category <select id="category"><option value="">all</option>${options}</select></label>
<input type="search" id="task-filter" placeholder="task…" aria-label="filter by task">
<span id="shown" aria-live="polite"></span>
</div>
<table id="episodes"><thead><tr><th>task</th><th class="num">seed</th><th>category</th><th>result</th><th>reason</th><th class="num">steps</th><th class="num">model</th><th class="num">env</th><th class="num">tokens</th></tr></thead>
<tbody>${episodes}</tbody></table></section>`;
  return page({ title: `handeye eval${summary.suite ? ` · ${summary.suite}` : ''}`, css: [asset('report.css')], body, scripts: [asset('eval-report.js')] });
}

export interface EvalReportOptions {
  /** Also (re)write each episode's report.html so the links work (default true). */
  runReports?: boolean;
}

/** Writes DIR/index.html for an eval directory (and each episode's report.html); returns the index path. */
export async function writeEvalReport(evalDir: string, options: EvalReportOptions = {}): Promise<string> {
  const summary = readEvalSummary(evalDir);
  const reports = new Set<number>();
  for (const [i, e] of summary.episodes.entries()) {
    const dir = episodeDir(evalDir, e.traceDir);
    if (!dir || !existsSync(path.join(dir, 'trace.jsonl'))) continue;
    if (options.runReports !== false) await writeRunReport(dir);
    if (existsSync(path.join(dir, RUN_REPORT_FILE))) reports.add(i);
  }
  const file = path.join(path.resolve(evalDir), EVAL_REPORT_FILE);
  await writeFile(file + '.tmp', renderEvalReport(summary, reports));
  await rename(file + '.tmp', file);
  return file;
}
