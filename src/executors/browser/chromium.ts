import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { killTree } from '../processes.ts';

/** Starts the real browser with a parent-death signal and records its PID (see the script). */
const WRAPPER = fileURLToPath(new URL('./chromium-wrapper.sh', import.meta.url));
const pids = new WeakMap<Browser, number>();
let launches = 0;

/** Debian's Chromium; playwright's own browser downloads cannot work offline. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

const QUIET_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--hide-scrollbars',
  '--font-render-hinting=none',
];

export class BrowserStartError extends Error {
  override name = 'BrowserStartError';
}

export function findChromium(): string {
  const fromEnv = process.env.HANDEYE_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new BrowserStartError(`HANDEYE_CHROMIUM=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = CHROMIUM_PATHS.find((p) => existsSync(p));
  if (!found) {
    throw new BrowserStartError(
      `no Chromium found at ${CHROMIUM_PATHS.join(', ')}; run "npm run setup" (installs Debian's chromium) or set HANDEYE_CHROMIUM`,
    );
  }
  return found;
}

export interface LaunchOptions {
  headed?: boolean;
  /** Extra command-line switches. */
  args?: string[];
  timeoutMs?: number;
}

/**
 * Launches Debian's Chromium with the switches this offline machine needs. The browser dies with
 * this process (a parent-death signal), and forceCloseChromium can kill it by PID.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const real = findChromium();
  const pidFile = path.join(os.tmpdir(), `handeye-chromium-${process.pid}-${++launches}.pid`);
  const wrapped = existsSync(WRAPPER);
  try {
    const browser = await chromium.launch({
      executablePath: wrapped ? WRAPPER : real,
      env: { ...process.env, HANDEYE_CHROMIUM_REAL: real, HANDEYE_CHROMIUM_PIDFILE: pidFile },
      headless: !options.headed,
      args: [...QUIET_ARGS, ...(options.args ?? [])],
      timeout: options.timeoutMs ?? 30_000,
      // Playwright's own signal handlers close the browser and exit at once (SIGINT: code 130),
      // cutting short a caller that handles the signal to finish its trace (the CLI does).
      handleSIGINT: process.listenerCount('SIGINT') === 0,
      handleSIGTERM: process.listenerCount('SIGTERM') === 0,
    });
    const pid = wrapped ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
    if (Number.isInteger(pid) && pid > 0) pids.set(browser, pid);
    return browser;
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const hint = options.headed && !process.env.DISPLAY ? ' (--headed needs an X display: set DISPLAY or run under xvfb-run)' : '';
    throw new BrowserStartError(`Chromium (${real}) did not start: ${msg}${hint}`);
  } finally {
    rmSync(pidFile, { force: true });
  }
}

/**
 * Closes a browser this process launched, and kills it with its whole process tree when it does
 * not close within `graceMs` (a browser stuck in a screenshot does not).
 */
export async function closeChromium(browser: Browser, graceMs = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    browser.close().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs))),
  ]);
  clearTimeout(timer);
  const pid = pids.get(browser);
  if (!closed && pid) killTree(pid);
}

/**
 * Connects to a Playwright browser server (`launchServer`, `npx playwright run-server`,
 * `handeye browser-server`) at its ws:// endpoint: a browser that lives on another machine.
 */
export async function connectBrowserServer(wsEndpoint: string, timeoutMs = 10_000): Promise<Browser> {
  if (!/^wss?:\/\//.test(wsEndpoint)) throw new BrowserStartError(`--browser-ws expects a ws:// or wss:// endpoint, got ${JSON.stringify(wsEndpoint)}`);
  try {
    return await chromium.connect(wsEndpoint, { timeout: timeoutMs });
  } catch (e) {
    throw new BrowserStartError(`no browser server answered at ${wsEndpoint}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Serves Debian's Chromium to other machines' handeye (--browser-ws) as a Playwright browser server. */
export async function launchBrowserServer(o: { host?: string; port?: number; headed?: boolean } = {}): Promise<BrowserServer> {
  const real = findChromium();
  try {
    return await chromium.launchServer({
      // The wrapper's parent-death signal: a killed server takes its browser with it.
      executablePath: existsSync(WRAPPER) ? WRAPPER : real,
      env: { ...process.env, HANDEYE_CHROMIUM_REAL: real },
      headless: !o.headed,
      args: QUIET_ARGS,
      host: o.host ?? '127.0.0.1',
      port: o.port ?? 0,
      handleSIGINT: false,
      handleSIGTERM: false,
    });
  } catch (e) {
    throw new BrowserStartError(`Chromium (${real}) did not start as a browser server: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Connects to a browser already running with --remote-debugging-port. */
export async function connectChromium(cdpUrl: string, timeoutMs = 10_000): Promise<Browser> {
  try {
    return await chromium.connectOverCDP(cdpUrl, { timeout: timeoutMs });
  } catch (e) {
    throw new BrowserStartError(`no browser answered at ${cdpUrl}: ${(e as Error).message.split('\n')[0]}`);
  }
}
