import type { EvalProgress } from './runner.ts';
import { percent } from './stats.ts';

/**
 * The live progress line on stderr: done/total, success so far, ETA. On a terminal it rewrites
 * one line; elsewhere (CI logs, tests) it prints one line per finished episode.
 */

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressText(p: EvalProgress, elapsedMs: number): string {
  const ranNow = p.done - p.skipped;
  const left = p.total - p.done;
  const eta = ranNow > 0 ? formatDuration((elapsedMs / ranNow) * left) : '?';
  const rate = p.completed ? ` (${percent(p.passed / p.completed)})` : '';
  const env = p.envErrors ? `, ${p.envErrors} env error${p.envErrors > 1 ? 's' : ''}` : '';
  const skipped = p.skipped ? `, ${p.skipped} resumed` : '';
  const remote = p.workers !== undefined ? `, ${p.running ?? 0} running on ${p.workers} worker${p.workers === 1 ? '' : 's'}` : '';
  return `eval ${p.done}/${p.total} done, ${p.passed} passed${rate}${env}${skipped}${remote}, ETA ${left ? eta : '0s'}`;
}

export class ProgressLine {
  private readonly started = Date.now();
  private lastLength = 0;
  private startPrinted = false;
  constructor(private readonly write: (s: string) => void, private readonly tty: boolean) {}

  update(p: EvalProgress): void {
    const text = progressText(p, Date.now() - this.started);
    if (this.tty) {
      this.write(`\r${text.padEnd(this.lastLength)}`);
      this.lastLength = text.length;
    } else if (p.last || (p.done === 0 && !this.startPrinted)) {
      this.startPrinted = true;
      const last = p.last ? `  [${p.last.task} seed ${p.last.seed}: ${p.last.kind === 'env-error' ? 'ENV ERROR' : p.last.success ? 'pass' : 'fail'}${p.last.kind === 'env-error' || !p.last.success ? ` ${p.last.reason}${p.last.detail ? ` (${p.last.detail.slice(0, 120)})` : ''}` : ''}]` : '';
      this.write(text + last + '\n');
    }
  }

  end(): void {
    if (this.tty && this.lastLength) this.write('\n');
    this.lastLength = 0;
  }
}
