#!/usr/bin/env node
// Runs the TypeScript sources directly: no build step between a clone and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
// The command has closed everything it started. A request or a connection that still holds the
// event loop open (a server that never answers) must not keep a finished run alive.
setTimeout(() => process.exit(), 2000).unref();
