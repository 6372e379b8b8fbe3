import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Executor } from '../core/executor.ts';
import type { Checker } from '../core/task.ts';
import type { CheckResult } from '../core/trace-schema.ts';

export interface CheckContext {
  executor: Executor;
  /** Reads the visible text from the screen when the DOM is not available (OCR). */
  readScreenText?: () => Promise<string>;
  cwd?: string;
}

/** `/re/flags` is a regular expression; anything else is a substring. */
export function matchesPattern(value: string, pattern: string): boolean {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (m) return new RegExp(m[1], m[2]).test(value);
  return value.includes(pattern);
}

function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export async function runChecker(checker: Checker, ctx: CheckContext): Promise<CheckResult> {
  try {
    if ('js' in checker) {
      if (!ctx.executor.evaluate) return { checker, ok: false, detail: 'js checks need a browser' };
      const value = await ctx.executor.evaluate(checker.js);
      return { checker, ok: value === true, detail: value === true ? undefined : `evaluated to ${JSON.stringify(value) ?? 'undefined'}` };
    }
    if ('url' in checker) {
      if (!ctx.executor.currentUrl) return { checker, ok: false, detail: 'url checks need a browser' };
      const url = ctx.executor.currentUrl();
      return { checker, ok: matchesPattern(url, checker.url), detail: `url is ${url}` };
    }
    if ('text' in checker) {
      const text = ctx.executor.visibleText ? await ctx.executor.visibleText() : ctx.readScreenText ? await ctx.readScreenText() : undefined;
      if (text === undefined) return { checker, ok: false, detail: 'no way to read the screen text' };
      const ok = /^\/.+\/[a-z]*$/s.test(checker.text)
        ? matchesPattern(text, checker.text)
        : normalizeSpace(text).toLowerCase().includes(normalizeSpace(checker.text).toLowerCase());
      return { checker, ok, detail: ok ? undefined : `text not on screen` };
    }
    if ('command' in checker) {
      const [cmd, ...args] = checker.command;
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000, cwd: ctx.cwd });
      if (r.error) return { checker, ok: false, detail: `cannot run ${cmd}: ${r.error.message}` };
      const codeOk = r.status === (checker.exitCode ?? 0);
      const outOk = checker.stdout === undefined || matchesPattern(r.stdout, checker.stdout);
      return { checker, ok: codeOk && outOk, detail: `exit ${r.status}${outOk ? '' : `, stdout ${JSON.stringify(r.stdout.slice(0, 200))}`}` };
    }
    const file = checker.file;
    if (!existsSync(file)) return { checker, ok: false, detail: `${file} does not exist` };
    if (checker.contains === undefined) return { checker, ok: true };
    const ok = matchesPattern(readFileSync(file, 'utf8'), checker.contains);
    return { checker, ok, detail: ok ? undefined : `${file} does not contain the expected text` };
  } catch (e) {
    return { checker, ok: false, detail: `check failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

export async function runCheckers(checkers: Checker[], ctx: CheckContext): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of checkers) out.push(await runChecker(c, ctx));
  return out;
}
