import type { Command } from 'commander';
import { EXIT, nonNegativeInt, UsageError, type Io } from './options.ts';

/** `handeye browser-server`: Debian's Chromium served to handeye on other machines (--browser-ws). */

interface BrowserServerFlags {
  host: string;
  port: number;
  headed?: boolean;
}

export function registerBrowserServer(program: Command, io: Io, result: { code: number }): void {
  program
    .command('browser-server')
    .description('serve a Chromium as a Playwright browser server; other machines run handeye with --browser-ws on the endpoint it prints')
    .option('--host <address>', 'address to listen on (the endpoint path is a random secret; anything but loopback exposes the browser to your network)', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', nonNegativeInt, 0)
    .option('--headed', 'show the browser windows')
    .action(async (flags: BrowserServerFlags) => {
      result.code = await serveBrowser(flags, io);
    });
}

async function serveBrowser(flags: BrowserServerFlags, io: Io): Promise<number> {
  const { launchBrowserServer, BrowserStartError } = await import('../executors/browser/chromium.ts');
  let server;
  try {
    server = await launchBrowserServer(flags);
  } catch (e) {
    if (e instanceof BrowserStartError) throw new UsageError(e.message);
    throw e;
  }
  // The endpoint on stdout (for scripts); the rest on stderr.
  io.out(server.wsEndpoint());
  io.err(`handeye browser-server: serving Chromium at ${server.wsEndpoint()}; stop with Ctrl-C`);
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      io.err(`handeye browser-server: ${sig}: closing the browser`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    server.process().once('exit', () => {
      io.err('handeye browser-server: the browser exited');
      resolve();
    });
  });
  await server.close().catch(() => {});
  return EXIT.ok;
}
