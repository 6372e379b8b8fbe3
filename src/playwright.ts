import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type TestInfo } from '@playwright/test';
import { createHandeye, type Handeye } from './api/handeye.ts';
import { HandeyeError, HandeyeUsageError } from './api/errors.ts';
import { HandeyeConfigSchema, type HandeyeConfig } from './api/types.ts';
import { formatIssues } from './core/actions.ts';

/**
 * Playwright Test integration: `test` with an `agent` fixture over the test's `page`.
 *
 *   // playwright.config.ts
 *   export default defineConfig<HandeyeTestOptions>({ use: { handeye: { engine: 'embedded', traceDir: 'traces' } } });
 *
 *   // login.spec.ts
 *   import { test, expect } from 'handeye/playwright';
 *   test('signs in', async ({ page, agent }) => {
 *     await page.goto('/login');
 *     await agent.type('alice', { into: 'Username' });
 *     await agent.click('Sign in');
 *   });
 *
 * Each agent call shows in the report as a step named like the call (`agent.click("Sign in")`).
 * A call that fails attaches the frame it saw, and the trace directory, to the test result.
 */

/** `use: { handeye: {...} }` in the Playwright config: the engine and where traces go. */
export type HandeyeFixtureOptions = Omit<HandeyeConfig, 'name'>;

/** The option fixtures this module adds; pass to defineConfig<HandeyeTestOptions>() for typed `use`. */
export interface HandeyeTestOptions {
  handeye: HandeyeFixtureOptions;
}

export interface HandeyeTestFixtures {
  agent: Handeye;
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'test';
}

/** Per-test trace folder: under the configured traceDir (relative to the config file), else in the test's own output folder. */
function traceDirFor(options: HandeyeFixtureOptions, info: TestInfo): string {
  if (!options.traceDir) return info.outputPath('handeye-trace');
  const name = `${slug(info.titlePath.slice(1).join('-'))}-${info.testId}-r${info.retry}${info.repeatEachIndex ? `-x${info.repeatEachIndex}` : ''}`;
  // Relative to the config file, like Playwright's own outputDir.
  const base = info.config.configFile ? path.dirname(info.config.configFile) : info.config.rootDir;
  const dir = path.resolve(base, options.traceDir, name);
  // A rerun without cleaning must not collide with the last run's trace.
  return existsSync(dir) ? `${dir}-${Date.now()}` : dir;
}

const OWN_SOURCES = path.dirname(fileURLToPath(import.meta.url)) + path.sep;

/** The first stack frame outside handeye and node_modules: the line of the spec that made the call. */
function callSite(): { file: string; line: number; column: number } | undefined {
  for (const line of new Error().stack?.split('\n').slice(1) ?? []) {
    const m = /\(?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!m) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (file.startsWith(OWN_SOURCES) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

async function attachFailure(info: TestInfo, call: string, e: unknown): Promise<void> {
  if (!(e instanceof HandeyeError)) return;
  const frame = e.trace.frame;
  if (frame && existsSync(frame)) {
    await info.attach(`${call} frame`, { path: frame, contentType: frame.endsWith('.png') ? 'image/png' : 'image/jpeg' });
  }
  await info.attach(`${call} trace`, { body: `${e.trace.dir}${e.trace.step !== undefined ? ` (step ${e.trace.step})` : ''}`, contentType: 'text/plain' });
}

export const test = base.extend<HandeyeTestFixtures & HandeyeTestOptions>({
  handeye: [{}, { option: true }],
  agent: async ({ page, handeye }, use, info) => {
    const parsed = HandeyeConfigSchema.safeParse(handeye ?? {});
    if (!parsed.success) {
      throw new HandeyeUsageError('handeye fixture', `bad \`use: { handeye }\` in the Playwright config: ${formatIssues(parsed.error, handeye).join('; ')}`, { dir: '' });
    }
    const agent = await createHandeye(page, {
      ...parsed.data,
      name: slug(info.title),
      traceDir: traceDirFor(parsed.data, info),
      wrapCall: (call, run) =>
        base.step(
          call,
          async () => {
            try {
              return await run();
            } catch (e) {
              await attachFailure(info, call, e);
              throw e;
            }
          },
          // Boxed at the spec's line: the report points at `await agent.click(...)`, not into handeye.
          { box: true, location: callSite() },
        ),
    });
    try {
      await use(agent);
    } finally {
      await agent.close();
    }
  },
});

export { expect } from '@playwright/test';
export * from './api/index.ts';
