import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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

/** Launches Debian's Chromium with the switches this offline machine needs. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = findChromium();
  try {
    return await chromium.launch({
      executablePath,
      headless: !options.headed,
      args: [...QUIET_ARGS, ...(options.args ?? [])],
      timeout: options.timeoutMs ?? 30_000,
      // Playwright's own signal handlers close the browser and exit at once (SIGINT: code 130),
      // cutting short a caller that handles the signal to finish its trace (the CLI does).
      handleSIGINT: process.listenerCount('SIGINT') === 0,
      handleSIGTERM: process.listenerCount('SIGTERM') === 0,
    });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const hint = options.headed && !process.env.DISPLAY ? ' (--headed needs an X display: set DISPLAY or run under xvfb-run)' : '';
    throw new BrowserStartError(`Chromium (${executablePath}) did not start: ${msg}${hint}`);
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
