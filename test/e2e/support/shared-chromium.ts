import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BrowserExecutor } from '../../../src/executors/browser/browser-executor.ts';
import { findChromium } from '../../../src/executors/browser/chromium.ts';
import { CLICK_RECORDER_SCRIPT } from './page-probe.ts';

/**
 * One headless Chromium for a whole test file, reached over CDP: every viewport size gets its own
 * browser context (BrowserExecutor.launch({ cdp })) without paying for another browser start.
 */
export interface SharedChromium {
  cdp: string;
  /** A fresh context at this viewport and scale factor, with the click recorder in every page. */
  open(viewport: [number, number], deviceScaleFactor: number, isMobile?: boolean): Promise<BrowserExecutor>;
  close(): Promise<void>;
}

export async function startSharedChromium(): Promise<SharedChromium> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'handeye-e2e-'));
  const child: ChildProcess = spawn(
    findChromium(),
    ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--font-render-hinting=none', '--disable-dev-shm-usage', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`chromium did not open its DevTools port within 30 s: ${err}`)), 30_000);
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`chromium exited: ${err}`));
      });
    });
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    throw e;
  }
  // Keep draining stderr so a chatty browser never blocks on a full pipe.
  child.stderr!.resume();
  const cdp = `http://127.0.0.1:${port}`;
  const open: SharedChromium['open'] = async (viewport, deviceScaleFactor, isMobile) => {
    const ex = await BrowserExecutor.launch({ viewport, deviceScaleFactor, cdp, isMobile });
    // Installed in the context: new tabs and navigations get the recorder too.
    await ex.context.addInitScript({ content: CLICK_RECORDER_SCRIPT });
    return ex;
  };
  return {
    cdp,
    open,
    close: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
      await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
