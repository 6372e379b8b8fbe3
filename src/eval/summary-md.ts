import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { percent as pct, type Rate } from './stats.ts';
import type { RunSummary } from './summary.ts';

/** DIR/summary.md: the eval summary for people. */

const rate = (r: Rate) => `${pct(r.rate)} (${r.successes}/${r.n}; 95% CI ${pct(r.low)}–${pct(r.high)})`;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderSummaryMarkdown(s: RunSummary): string {
  const a = s.aggregates;
  const lines: string[] = [];
  lines.push(`# Eval${s.suite ? `: ${s.suite}` : ''}`, '');
  lines.push(`Engine **${s.engine}**${s.model ? ` (${s.model})` : ''}, ${s.mode} mode, seeds ${s.seeds.join(', ')}, concurrency ${s.concurrency}; started ${s.startedAt}.`, '');
  if (s.interrupted || s.pending.length) lines.push(`**Incomplete:** ${s.episodes.length} of ${s.planned} episodes recorded${s.interrupted ? ' (interrupted)' : ''}; rerun with the same --out to finish.`, '');
  lines.push(`**Success: ${rate(a.overall)}** over ${a.completed} completed episodes.`);
  lines.push(`Environment errors (page or setup failed; not counted as failures): ${a.envErrors}. Invalid task files: ${s.invalidTasks.length}.`, '');
  lines.push('| metric | value |', '|---|---|');
  lines.push(`| steps per episode (mean / median) | ${a.steps.mean} / ${a.steps.median} |`);
  lines.push(`| step-limit hits | ${a.stepLimitHits} |`);
  lines.push(`| parse failures per step | ${a.parseFailureRate} |`);
  lines.push(`| repairs | ${a.repairs} |`);
  lines.push(`| time per step: model / environment | ${a.timePerStep.modelMs} ms / ${a.timePerStep.envMs} ms |`);
  lines.push(`| tokens per episode: in / out | ${a.tokensPerEpisode.input} / ${a.tokensPerEpisode.output} |`);
  lines.push(`| end reasons | ${Object.entries(a.reasons).map(([k, v]) => `${k} ${v}`).join(', ')} |`, '');
  if (a.endpoints?.length) {
    lines.push('## Model servers', '', '| server | calls | errors | mean ms |', '|---|---|---|---|');
    for (const e of a.endpoints) lines.push(`| ${e.url} | ${e.calls} | ${e.errors} | ${e.meanMs ?? '–'} |`);
    lines.push('');
  }
  lines.push('## By category', '', '| category | success | 95% CI | passed |', '|---|---|---|---|');
  for (const [c, r] of Object.entries(a.categories)) lines.push(`| ${c} | ${pct(r.rate)} | ${pct(r.low)}–${pct(r.high)} | ${r.successes}/${r.n} |`);
  lines.push('', '## Episodes', '', '| task | seed | category | result | reason | steps | model ms | env ms | tokens in/out |', '|---|---|---|---|---|---|---|---|---|');
  for (const e of s.episodes) {
    const result = e.kind === 'env-error' ? 'ENV ERROR' : e.success ? 'pass' : 'fail';
    lines.push(`| [${e.task}](${e.traceDir}) | ${e.seed} | ${e.category} | ${result} | ${cell(e.reason + (e.detail ? `: ${e.detail}` : ''))} | ${e.steps} | ${e.modelMs} | ${e.envMs} | ${e.tokens.input}/${e.tokens.output} |`);
  }
  if (s.invalidTasks.length) {
    lines.push('', '## Invalid task files', '');
    for (const t of s.invalidTasks) lines.push(`- ${t.file}: ${cell(t.error)}`);
  }
  return lines.join('\n') + '\n';
}

export function writeSummaryMarkdown(dir: string, s: RunSummary): void {
  writeFileSync(path.join(dir, 'summary.md'), renderSummaryMarkdown(s));
}
