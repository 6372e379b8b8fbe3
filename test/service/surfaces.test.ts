import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchBrowserServer } from '../../src/executors/browser/chromium.ts';
import { OPERATIONS } from '../../src/service/operations.ts';
import { ServiceError } from '../../src/service/service-errors.ts';
import { SessionManager } from '../../src/service/session-manager.ts';
import { commandOf, descendants, isAlive } from '../support/process-tree.ts';
import { freePort } from '../support/free-port.ts';
import { startOutsideChromium } from '../support/outside-chromium.ts';

/**
 * The surfaces a service session opens besides a launched page: a desktop on its own Xvfb with an
 * app launched on it, and a browser someone else started, attached over CDP. Through the
 * operations table, as both servers call it.
 */

const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-surfaces-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

const run = (m: SessionManager, name: string, args: Record<string, unknown>) => {
  const op = OPERATIONS.find((o) => o.name === name)!;
  return op.run(m, op.input.parse(args) as never, {}) as Promise<any>;
};


describe('service sessions on other surfaces', () => {
  it('opens a desktop on a private Xvfb with an app launched, acts on it, and stops the display on close', async () => {
    const m = new SessionManager({ engine: { engine: 'embedded' }, traceRoot: tmp, allowCommands: true });
    try {
      const xvfbs = () => descendants(process.pid).filter((p) => /Xvfb/.test(commandOf(p)));
      const before = xvfbs();
      const launch = ['xmessage', '-title', 'Confirm', '-center', '-buttons', 'Keep:0,Discard:3', 'Keep the unsaved changes?'];
      const opened = await run(m, 'open', { desktop: { xvfb: true, screen: [800, 600], launch, window: 'Confirm' } });
      expect(opened).toMatchObject({ kind: 'desktop', opened: expect.stringMatching(/^:\d+$/) });
      const xvfb = xvfbs().filter((p) => !before.includes(p));
      expect(xvfb).toHaveLength(1);
      // One mouse and keyboard: a second desktop session waits for this one to close.
      await expect(run(m, 'open', { desktop: { xvfb: true } })).rejects.toMatchObject({ code: 'desktop-busy' });
      const found = await run(m, 'locate', { target: 'Discard' });
      expect(found.session).toBe(opened.session);
      const shot = await run(m, 'screenshot', {});
      expect([shot.width, shot.height]).toEqual([800, 600]);
      await run(m, 'close', {});
      await expect.poll(() => xvfb.filter(isAlive), { timeout: 5000 }).toEqual([]);
      expect(existsSync(path.join(opened.traceDir, 'summary.json'))).toBe(true);
    } finally {
      await m.shutdown();
    }
  });

  it('opens its pages in a remote browser server (--browser-ws), which outlives the service', async () => {
    const server = await launchBrowserServer();
    const m = new SessionManager({ engine: { engine: 'embedded' }, traceRoot: tmp, browserWs: server.wsEndpoint() });
    try {
      const opened = await run(m, 'open', { url: '/login/index.html' });
      expect((await run(m, 'assert', { statement: 'Sign in to Example' })).session).toBe(opened.session);
      await m.shutdown();
      expect(server.process().exitCode).toBeNull();
    } finally {
      await m.shutdown();
      await server.close();
    }
  });

  it('attaches to a browser it did not start over CDP, and leaves that browser running when it closes', async () => {
    const port = await freePort();
    const outside = startOutsideChromium([`--remote-debugging-port=${port}`]);
    const chrome = outside.child;
    const m = new SessionManager({ engine: { engine: 'embedded' }, traceRoot: tmp });
    try {
      const cdp = `http://127.0.0.1:${port}`;
      await expect.poll(() => fetch(`${cdp}/json/version`).then(() => true, () => false), { timeout: 10_000 }).toBe(true);
      const opened = await run(m, 'open', { url: '/login/index.html', cdp });
      expect((await run(m, 'assert', { statement: 'Sign in to Example' })).session).toBe(opened.session);
      const pages = async () => ((await (await fetch(`${cdp}/json/list`)).json()) as { url: string }[]).map((p) => p.url);
      expect(await pages()).toContain(opened.url);
      await run(m, 'close', {});
      expect(chrome.exitCode).toBeNull();
      await expect.poll(pages, { timeout: 5000 }).not.toContain(opened.url);
      // Nobody at the other end: the URL is named.
      const dead = `http://127.0.0.1:${await freePort()}`;
      const refused = await run(m, 'open', { url: '/login/index.html', cdp: dead }).catch((e) => e);
      expect(refused).toBeInstanceOf(ServiceError);
      expect(refused.message).toContain(dead);
    } finally {
      await m.shutdown();
      await outside.stop();
    }
  });
});
