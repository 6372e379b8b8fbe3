import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from '../../src/run/static-server.ts';
// As a package (npm install handeye): import { test, expect, StepFailedError } from 'handeye/playwright';
import { test, expect, StepFailedError } from '../../src/playwright.ts';

// The bundled sign-in page (tasks/login/index.html), served on 127.0.0.1 for this file's tests.
const TASKS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'tasks');
let server: StaticServer;
test.beforeAll(async () => {
  server = await startStaticServer(TASKS);
});
test.afterAll(async () => {
  await server?.close();
});

test('signs in by looking at the page', async ({ page, agent }) => {
  await page.goto(server.resolve('/login/index.html'));
  // Visual steps and ordinary Playwright code mix freely.
  await agent.type('alice', { into: 'Username' });
  await agent.type('hunter2', { into: 'Password' });
  const button = await agent.locate('Sign in');
  const dom = await page.locator('#signin').boundingBox();
  // locate() answers in CSS px of the page, the same space as Playwright's own boxes.
  expect(Math.abs(button.point[0] - (dom!.x + dom!.width / 2))).toBeLessThan(dom!.width / 2);
  expect(Math.abs(button.point[1] - (dom!.y + dom!.height / 2))).toBeLessThan(dom!.height / 2);
  await agent.click('Sign in');
  await agent.assert('Welcome, alice');
  await expect(page.locator('#status')).toHaveText('Welcome, alice!');
  expect(await page.evaluate(() => (window as unknown as { __state: { signedIn: string } }).__state.signedIn)).toBe('alice');
});

test('a target that is not on the page fails with a typed error', async ({ page, agent }) => {
  await page.goto(server.resolve('/login/index.html'));
  // The failed call shows as a failed step with the frame it saw attached; the test goes on.
  const error = await agent.click('Create account').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StepFailedError);
  expect((error as StepFailedError).detail).toMatch(/Create account/);
  expect((error as StepFailedError).trace.frame).toMatch(/\.jpg$/);
});
