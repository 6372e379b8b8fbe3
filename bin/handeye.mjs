#!/usr/bin/env node
// The handeye command. In a clone it runs the TypeScript sources (no build step between an edit
// and a run); installed from npm it runs the compiled JavaScript in dist/, with no loader.
import { existsSync } from 'node:fs';

let main;
if (existsSync(new URL('../src/cli/index.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/index.ts'));
} else {
  ({ main } = await import('../dist/src/cli/index.js'));
}
process.exitCode = await main(process.argv.slice(2));
// The command has closed everything it started. A request or a connection that still holds the
// event loop open (a server that never answers) must not keep a finished run alive.
setTimeout(() => process.exit(), 2000).unref();
