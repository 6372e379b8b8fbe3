import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, withDependencies, type ConsumerProject } from '../support/consumer-project.ts';

// handeye as a user gets it from npm: the packed tarball, unpacked in a fresh project with only
// its production dependencies, used by plain Node, by the TypeScript compiler, by Playwright
// Test and through its bin. No network: the build and the dependencies come from this clone.

let project: ConsumerProject;
const run = (cmd: string, args: string[], timeout = 120_000) =>
  spawnSync(cmd, args, { cwd: project.dir, encoding: 'utf8', timeout, env: { ...process.env, PATH: `${path.join(project.dir, 'node_modules/.bin')}:${process.env.PATH}` } });

beforeAll(() => {
  project = consumerProject(withDependencies(['@playwright/test', 'typescript', '@types/node']));
}, 180_000);

describe('the npm package', () => {
  it('ships compiled code, declarations, the bin, the demo task and the docs; no sources, tests or dev config', () => {
    const files = project.files;
    for (const f of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/playwright.js', 'dist/src/playwright.d.ts', 'bin/handeye.mjs', 'tasks/login/index.html', 'README.md', 'LICENSE', 'package.json']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(test|docs|examples|scripts|src|agents|kernels)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /tsconfig|vitest/.test(f))).toEqual([]);
    // Code, declarations and source maps with their sources (for stack traces): about 4.05 MB with
    // twenty-one model families, the MCP/HTTP service, the queue, the instruction reader and the
    // icon lexicon, ~4.4 MB with compile and the step cache, 4.93 MB with query-driven reading,
    // the int8 quantizer and its three calibration screens (276 KB of PNG, read when int8 models
    // are built), 5.23 MB with the instruction readers of #17's later stops (Chinese possessives
    // and acts, dot menus, formatting letters), 5.54 MB with badges, layout dividers and 把, 5.90 MB
    // with breadcrumbs, sliders, select-all boxes and dropdowns by their value; a bound that
    // notices a stray folder (the test fixtures alone are tens of MB).
    expect(project.unpacked).toBeLessThan(6_300_000);
    const pkg = JSON.parse(readFileSync(path.join(project.dir, 'node_modules/handeye/package.json'), 'utf8'));
    expect(pkg.exports['.'].import).toBe('./dist/src/index.js');
    expect(pkg.dependencies.tsx).toBeUndefined();
  });

  it('imports in plain Node (ESM) and signs in on the bundled login page through createHandeye', () => {
    writeFileSync(
      path.join(project.dir, 'index.mjs'),
      `import { createHandeye, launchChromium, startStaticServer } from 'handeye';
const server = await startStaticServer(new URL('./node_modules/handeye/tasks/', import.meta.url).pathname);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.resolve('/login/index.html'));
  const agent = await createHandeye(page, { traceDir: 'node-trace' });
  await agent.act('Enter "bob" into the Username field, enter "correct horse" into the Password field and click "Sign in".');
  await agent.waitFor('Welcome, bob', { timeout: 10000 });
  console.log(JSON.stringify({ status: await page.textContent('#status') }));
  await agent.close();
} finally {
  await browser.close();
  await server.close();
}
`,
    );
    const r = run(process.execPath, ['index.mjs']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({ status: 'Welcome, bob!' });
  });

  it('type-checks a TypeScript program against the shipped declarations (and catches a type error)', () => {
    writeFileSync(path.join(project.dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] }, include: ['check.ts'] }));
    const program = `import { createHandeye, parseAction, type Handeye, type Action, type Summary } from 'handeye';
import { test, expect } from 'handeye/playwright';
const a: Action = parseAction({ action: 'click', target: { point: [1, 2] } });
async function where(h: Handeye): Promise<number> {
  return (await h.locate('Sign in')).point[0];
}
const s: Partial<Summary> = { success: true, reason: 'finished' };
void [a, where, s, createHandeye, test, expect];
`;
    writeFileSync(path.join(project.dir, 'check.ts'), program);
    const ok = run('tsc', ['--noEmit', '-p', '.']);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    writeFileSync(path.join(project.dir, 'check.ts'), program + `const wrong: number = parseAction({ action: 'wait', ms: 1 });\nvoid wrong;\n`);
    const bad = run('tsc', ['--noEmit', '-p', '.']);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/check\.ts\(9,7\): error TS2322/);
  });

  it('runs a Playwright Test spec with the handeye/playwright fixture in Chromium', () => {
    mkdirSync(path.join(project.dir, 'e2e'), { recursive: true });
    writeFileSync(
      path.join(project.dir, 'playwright.config.ts'),
      `import { defineConfig } from '@playwright/test';
import type { HandeyeTestOptions } from 'handeye/playwright';
export default defineConfig<HandeyeTestOptions>({
  testDir: './e2e',
  timeout: 120000,
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 720 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] },
    handeye: { engine: 'embedded', traceDir: 'pw-traces' },
  },
});
`,
    );
    writeFileSync(
      path.join(project.dir, 'e2e/login.spec.ts'),
      `import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from 'handeye';
import { test, expect } from 'handeye/playwright';
let server: StaticServer;
test.beforeAll(async () => { server = await startStaticServer(fileURLToPath(new URL('../node_modules/handeye/tasks/', import.meta.url))); });
test.afterAll(async () => { await server?.close(); });
test('signs in by looking at the page', async ({ page, agent }) => {
  await page.goto(server.resolve('/login/index.html'));
  await agent.type('alice', { into: 'Username' });
  await agent.type('hunter2', { into: 'Password' });
  await agent.click('Sign in');
  await agent.assert('Welcome, alice');
  await expect(page.locator('#status')).toHaveText('Welcome, alice!');
});
`,
    );
    const r = run('playwright', ['test'], 240_000);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 passed/);
  });

  it('runs the bundled task through the package bin, without a TypeScript loader', () => {
    const v = run('handeye', ['--version']);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(project.dir, 'node_modules/handeye/package.json'), 'utf8')).version);
    const r = run('handeye', ['run', 'node_modules/handeye/tasks/login/login.task.yaml', '--trace', 'cli-trace', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ success: true, reason: 'steps-completed' });
    // The service entry points load from the compiled package too: the MCP server answers an initialize over stdio.
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'consumer', version: '1' } } });
    const mcp = spawnSync(path.join(project.dir, 'node_modules/.bin/handeye'), ['mcp'], { cwd: project.dir, input: init + '\n', encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(mcp.stdout.trim().split('\n')[0])).toMatchObject({ id: 1, result: { serverInfo: { name: 'handeye' } } });
    const doc = spawnSync(process.execPath, ['--input-type=module', '-e', "import { openApiDocument } from 'handeye/service'; console.log(Object.keys(openApiDocument('1').paths).length)"], { cwd: project.dir, encoding: 'utf8' });
    expect(Number(doc.stdout.trim()), doc.stderr).toBeGreaterThanOrEqual(8);
    // Compiled JavaScript only: nothing was loaded through tsx.
    expect(execFileSync('ls', [path.join(project.dir, 'node_modules')], { encoding: 'utf8' })).not.toMatch(/^tsx$/m);
  });
});
