import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { BrowserStartError } from '../../../src/executors/browser/chromium.ts';
import { startStaticServer, type StaticServer } from '../../../src/run/static-server.ts';
import { centreInFrame, FIXTURE_ROOT } from './browser-support.ts';
import { startOutsideChromium } from '../../support/outside-chromium.ts';

let server: StaticServer;
beforeAll(async () => {
  server = await startStaticServer(FIXTURE_ROOT);
});
afterAll(async () => {
  await server?.close();
});

describe('start errors', () => {
  it('a CDP URL that does not answer is a one-line BrowserStartError', async () => {
    const err = await BrowserExecutor.launch({ viewport: [800, 600], deviceScaleFactor: 1, cdp: 'http://127.0.0.1:9' }).catch((e) => e);
    expect(err).toBeInstanceOf(BrowserStartError);
    expect(err.message).toContain('http://127.0.0.1:9');
    expect(err.message).not.toContain('\n');
  });

  it('a browser that cannot start is a BrowserStartError', async () => {
    const saved = process.env.HANDEYE_CHROMIUM;
    process.env.HANDEYE_CHROMIUM = '/nonexistent/chromium';
    try {
      const err = await BrowserExecutor.launch({ viewport: [800, 600], deviceScaleFactor: 1 }).catch((e) => e);
      expect(err).toBeInstanceOf(BrowserStartError);
      expect(err.message).toMatch(/\/nonexistent\/chromium does not exist/);
    } finally {
      if (saved === undefined) delete process.env.HANDEYE_CHROMIUM;
      else process.env.HANDEYE_CHROMIUM = saved;
    }
  });

  it('rejects a bad viewport or scale factor before starting anything', async () => {
    await expect(BrowserExecutor.launch({ viewport: [0, 600], deviceScaleFactor: 1 })).rejects.toThrow(/viewport must be two positive integers/);
    await expect(BrowserExecutor.launch({ viewport: [800, 600], deviceScaleFactor: 0 })).rejects.toThrow(/deviceScaleFactor must be in/);
  });
});

describe('connecting over CDP', () => {
  it('drives a running browser and leaves it running on close', async () => {
    const outside = startOutsideChromium(['--remote-debugging-port=0'], 'pipe-stderr');
    const child = outside.child;
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', () => reject(new Error(`chromium exited: ${err}`)));
      });
      const cdp = `http://127.0.0.1:${port}`;
      const ex = await BrowserExecutor.launch({ viewport: [640, 480], deviceScaleFactor: 1.5, cdp });
      await ex.goto(server.resolve('/events.html'));
      const frame = await ex.capture();
      expect([frame.width, frame.height]).toEqual([960, 720]);
      await ex.perform({ action: 'click', target: { point: await centreInFrame(ex, '#b1') }, button: 'left', count: 1 }, frame);
      expect(await ex.evaluate('__state.clicks[0].id')).toBe('b1');
      await ex.close();
      const version = await fetch(`${cdp}/json/version`).then((r) => r.json());
      expect(version.Browser).toMatch(/Chrome/);
      expect(child.exitCode).toBeNull();
    } finally {
      await outside.stop();
    }
  });
});
