// A plain Node script driving the bundled sign-in page with handeye's library API.
// Run: node --import tsx examples/node-script.ts [traceDir]
// It prints one JSON line: what the page says happened, and where the trace is.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// As a package (npm install handeye): import { createHandeye, launchChromium, startStaticServer } from 'handeye';
import { createHandeye, launchChromium, startStaticServer } from '../src/index.ts';

const tasks = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'tasks');
const server = await startStaticServer(tasks);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.resolve('/login/index.html'));
  const agent = await createHandeye(page, { traceDir: process.argv[2], name: 'node-script' });
  try {
    // A whole goal: the embedded engine plans it from the sentence and grounds each part by OCR.
    const done = await agent.act('Enter "bob" into the Username field, enter "correct horse" into the Password field and click "Sign in".');
    // Single steps read and wait on the screen.
    await agent.waitFor('Welcome, bob', { timeout: 10_000 });
    const status = await agent.locate('Welcome, bob');
    const state = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
    console.log(JSON.stringify({ state, actions: done.actions.map((a) => a.action), statusBox: status.box, traceDir: agent.traceDir }));
  } finally {
    await agent.close();
  }
} finally {
  await browser.close();
  await server.close();
}
