import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { describeStep, StepSchema } from '../core/task.ts';
import { readTrace, type ReadTrace } from '../core/trace.ts';
import { asset, formatCount, formatMs, html, page, raw, type Html } from './html.ts';
import { stackedBars } from './plots.ts';
import { familiesOf, runView } from './run-view.ts';

export const RUN_REPORT_FILE = 'report.html';

function scriptLines(steps: unknown[] | undefined): Html | undefined {
  if (!steps?.length) return undefined;
  const items = steps.map((s) => {
    const r = StepSchema.safeParse(s);
    return html`<li>${r.success ? describeStep(r.data) : JSON.stringify(s)}</li>`;
  });
  return html`<details class="script"><summary>${steps.length} scripted step${steps.length === 1 ? '' : 's'}</summary><ol>${items}</ol></details>`;
}

function timingBar(t: { captureMs: number; modelMs: number; actMs: number; settleMs: number }): Html {
  const total = t.captureMs + t.modelMs + t.actMs + t.settleMs || 1;
  const part = (cls: string, name: string, ms: number) =>
    ms > 0 ? html`<span class="${cls}" style="width:${((ms / total) * 100).toFixed(2)}%" title="${name} ${formatMs(ms)}"></span>` : '';
  return html`<div class="timing-bar total">${part('s-capture', 'capture', t.captureMs)}${part('s-model', 'model', t.modelMs)}${part('s-act', 'act', t.actMs)}${part('s-settle', 'settle', t.settleMs)}</div>
<div class="timing-legend"><span><i class="s-capture"></i>capture ${formatMs(t.captureMs)}</span><span><i class="s-model"></i>model ${formatMs(t.modelMs)}</span><span><i class="s-act"></i>act ${formatMs(t.actMs)}</span><span><i class="s-settle"></i>settle ${formatMs(t.settleMs)}</span></div>`;
}

function runHeader(trace: ReadTrace): Html {
  const h = trace.header;
  const s = trace.summary;
  const taskId = h?.task.id ?? s?.taskId ?? path.basename(trace.dir);
  const status = s
    ? html`<span class="badge ${s.success ? 'ok' : 'fail'}">${s.success ? 'succeeded' : 'failed'}</span> <span class="reason">${s.reason}</span>`
    : html`<span class="badge warn">unfinished</span> <span class="reason">no summary: the run stopped before writing one</span>`;
  const families = familiesOf(trace);
  const ex = h?.executor;
  const executor = ex ? `${ex.kind}${ex.viewport ? ` ${ex.viewport[0]}×${ex.viewport[1]}` : ''}${ex.deviceScaleFactor && ex.deviceScaleFactor !== 1 ? ` @${ex.deviceScaleFactor}x` : ''}` : undefined;
  const stepsTotal = trace.steps.reduce(
    (t, st) => ({ captureMs: t.captureMs + st.timings.captureMs, modelMs: t.modelMs + st.timings.modelMs, actMs: t.actMs + st.timings.actMs, settleMs: t.settleMs + st.timings.settleMs }),
    { captureMs: 0, modelMs: 0, actMs: 0, settleMs: 0 },
  );
  const timings = s?.timings ?? stepsTotal;
  const tokens = s?.tokens ?? trace.steps.reduce((t, st) => ({ input: t.input + st.tokens.input, output: t.output + st.tokens.output }), { input: 0, output: 0 });
  const fact = (name: string, value: string | number | Html | undefined) => (value === undefined || value === '' ? '' : html`<div><dt>${name}</dt><dd>${value}</dd></div>`);
  const checks = s?.checks.length
    ? html`<ul class="checks">${s.checks.map((c) => html`<li class="${c.ok ? 'ok' : 'fail'}"><b>${c.ok ? '✓' : '✗'}</b> <code>${JSON.stringify(c.checker)}</code>${c.detail ? html` — ${c.detail}` : ''}</li>`)}</ul>`
    : '';
  return html`<header class="run-header">
<h1><span class="task-id">${taskId}</span> ${status}</h1>
${h?.task.goal ? html`<p class="goal">${h.task.goal}</p>` : ''}
${scriptLines(h?.task.steps)}
${s?.detail && s.detail !== s.answer ? html`<p class="detail${s.success ? '' : ' fail'}">${s.detail}</p>` : ''}
${s?.answer ? html`<p class="answer">answer: <q>${s.answer}</q></p>` : ''}
<dl class="facts">
${fact('engine', h?.engine ?? s?.engine)}
${fact('model', families.join(', ') || undefined)}
${fact('executor', executor)}
${fact('started', h?.startedAt ?? s?.startedAt)}
${fact('steps', s ? `${s.steps}${h ? ` of ${h.budgets.maxSteps}` : ''}` : `${trace.steps.length} recorded`)}
${fact('time', s ? formatMs(s.durationMs) : undefined)}
${fact('tokens', `${formatCount(tokens.input)} in / ${formatCount(tokens.output)} out`)}
${fact('repairs', s?.repairs)}
${fact('parse failures', s?.parseFailures)}
${s?.cache ? fact('step cache', `${s.cache.hits} hits, ${s.cache.misses} misses, ${s.cache.rejected} rejected; ${s.cache.modelCalls} model calls, ${s.cache.savedCalls} saved (${formatMs(s.cache.savedMs)} saved), ${s.cache.written} written (${s.cache.mode})`) : ''}
${trace.damaged ? fact('damaged lines', trace.damaged) : ''}
</dl>
${checks}
${timingBar(timings)}
</header>`;
}

/** The report page of one trace, as a string (no I/O besides checking which frames exist). */
export function renderRunReport(trace: ReadTrace): string {
  const view = runView(trace);
  const st = view.steps;
  const timePlot = stackedBars({
    id: 'plot-time',
    title: 'Time per step',
    unit: 'ms',
    series: [
      { name: 'capture', cls: 's-capture', values: st.map((s) => s.timings.captureMs) },
      { name: 'model', cls: 's-model', values: st.map((s) => s.timings.modelMs) },
      { name: 'act', cls: 's-act', values: st.map((s) => s.timings.actMs) },
      { name: 'settle', cls: 's-settle', values: st.map((s) => s.timings.settleMs) },
    ],
  });
  const tokenPlot = stackedBars({
    id: 'plot-tokens',
    title: 'Tokens per step',
    unit: 'tokens',
    series: [
      { name: 'input', cls: 's-input', values: st.map((s) => s.tokens.input) },
      { name: 'output', cls: 's-output', values: st.map((s) => s.tokens.output) },
    ],
  });
  const hasTokens = st.some((s) => s.tokens.input + s.tokens.output > 0);
  const body = html`${runHeader(trace)}
<section class="plots">${raw(timePlot)}${hasTokens ? raw(tokenPlot) : ''}</section>
<nav class="filmstrip" id="filmstrip" aria-label="steps"></nav>
<div class="toolbar">
<button type="button" id="prev" title="previous step (← or k)">◀</button>
<span id="position" aria-live="polite"></span>
<button type="button" id="next" title="next step (→ or j)">▶</button>
<input type="search" id="search" placeholder="search reasoning, replies, actions…" aria-label="search steps">
<span id="search-count"></span>
<label><input type="checkbox" id="show-overlay" checked> overlay <kbd>o</kbd></label>
<label><input type="checkbox" id="show-sent"> image as sent <kbd>s</kbd></label>
<span class="help">← → or j k: steps · Home End · / search</span>
</div>
<main id="step">${st.length ? html`<p class="empty">Loading…</p>` : html`<p class="empty">This trace has no steps.</p>`}</main>
<noscript><p class="empty">The step viewer needs JavaScript; the data is in trace.jsonl.</p></noscript>`;
  return page({
    title: `handeye · ${trace.header?.task.id ?? trace.summary?.taskId ?? 'run'}`,
    css: [asset('report.css')],
    body,
    data: view,
    scripts: [asset('run-report.js')],
  });
}

/** Writes report.html into the trace directory and returns its path. */
export async function writeRunReport(traceDir: string): Promise<string> {
  const trace = readTrace(traceDir);
  const file = path.join(trace.dir, RUN_REPORT_FILE);
  // Written beside and renamed, so an open report is never half-replaced.
  await writeFile(file + '.tmp', renderRunReport(trace));
  await rename(file + '.tmp', file);
  return file;
}
