import { existsSync } from 'node:fs';
import path from 'node:path';
import { EVAL_SUMMARY_FILE, ReportError, writeEvalReport } from './eval-report.ts';
import { writeRunReport } from './run-report.ts';

export { writeRunReport, renderRunReport, RUN_REPORT_FILE } from './run-report.ts';
export { writeEvalReport, renderEvalReport, readEvalSummary, ReportError, EVAL_REPORT_FILE, EVAL_SUMMARY_FILE } from './eval-report.ts';
export * from '../eval/eval-summary-schema.ts';
export { rateOf, RateSchema, wilsonInterval, type Rate } from '../eval/stats.ts';

/**
 * `handeye report DIR`: a run report when DIR holds trace.jsonl, else an eval index when it
 * holds an eval summary.json. Returns what was written.
 */
export async function writeReport(dir: string): Promise<{ kind: 'run' | 'eval'; file: string }> {
  if (existsSync(path.join(dir, 'trace.jsonl'))) return { kind: 'run', file: await writeRunReport(dir) };
  if (existsSync(path.join(dir, EVAL_SUMMARY_FILE))) return { kind: 'eval', file: await writeEvalReport(dir) };
  throw new ReportError(`${dir} is neither a trace directory (no trace.jsonl) nor an eval directory (no ${EVAL_SUMMARY_FILE})`);
}
