import type { Command } from 'commander';
import type { EngineOptions } from '../../agents/registry.ts';
import { addEngineOptions, EXIT, nonNegativeInt, positiveInt, UsageError, type Io } from './options.ts';

/** `handeye mcp` and `handeye serve`: the same sessions and operations, over MCP or over HTTP/JSON. */

interface ServiceFlags extends EngineOptions {
  policy?: string;
  yes?: boolean;
  secret?: string[];
  maxSessions?: number;
  idleTimeoutMs?: number;
  requestTimeoutMs?: number;
  headed?: boolean;
  browserWs?: string;
  serveRoot?: string;
  traces?: string;
  allowCommands?: boolean;
  host: string;
  token?: string;
  http?: number;
  port?: number;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function addServiceOptions(cmd: Command): Command {
  return addEngineOptions(cmd)
    .option('--policy <file>', 'policy (YAML) every session and task runs under: allowed origins, forbidden keys and regions, confirmations (default $HANDEYE_POLICY)')
    .option('--yes', 'approve the actions the policy lists under confirm (no one is at a terminal to ask; otherwise they are refused)')
    .option('--secret <NAME>', 'an environment variable clients may type as {{secret:NAME}} without seeing it (repeatable)', collect)
    .option('--max-sessions <n>', 'sessions (and running tasks) open at once; past it, open answers too-many-sessions (429)', positiveInt, 4)
    .option('--idle-timeout-ms <n>', 'a session unused this long is closed (browser closed, trace finished)', positiveInt, 600_000)
    .option('--request-timeout-ms <n>', 'the longest one call may run before it is stopped', positiveInt, 300_000)
    .option('--headed', 'show the browser windows')
    .option('--browser-ws <url>', "open the sessions' pages in a Playwright browser server (ws://host:port/...) instead of a local Chromium")
    .option('--serve-root <dir>', 'folder served for relative URLs like /login/index.html (default: the bundled tasks)')
    .option('--traces <dir>', 'where sessions write their traces', 'traces')
    .option('--allow-commands', "let clients run commands on this machine: a desktop session's launch, a task's setup and command checks")
    .option('--host <address>', 'address to listen on (HTTP); anything but loopback needs --token', '127.0.0.1')
    .option('--token <token>', 'bearer token every HTTP request must send (default $HANDEYE_TOKEN)');
}

export function registerService(program: Command, io: Io, result: { code: number }): void {
  addServiceOptions(program.command('mcp').description('serve handeye as MCP tools over stdio (or streamable HTTP with --http PORT)'))
    .option('--http <port>', 'serve MCP over streamable HTTP on this port (0: any free port) instead of stdio', nonNegativeInt)
    .action(async (flags: ServiceFlags) => {
      result.code = await runService('mcp', flags, io);
    });
  addServiceOptions(program.command('serve').description('serve handeye as an HTTP/JSON API (sessions by id, OpenAPI at /openapi.json, progress as server-sent events)'))
    .option('--port <n>', 'port to listen on (0: any free port)', nonNegativeInt, 8765)
    .action(async (flags: ServiceFlags) => {
      result.code = await runService('serve', flags, io);
    });
}

/** Runs until stdin closes (MCP over stdio) or a signal; then every session is closed and the code returned. */
async function runService(kind: 'mcp' | 'serve', flags: ServiceFlags, io: Io): Promise<number> {
  const token = flags.token ?? process.env.HANDEYE_TOKEN;
  const { checkBind } = await import('../service/http-auth.ts');
  const overHttp = kind === 'serve' || flags.http !== undefined;
  if (overHttp) {
    try {
      checkBind(flags.host, token);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const { registerSecretValue } = await import('../core/secrets.ts');
  registerSecretValue(token, 'HANDEYE_TOKEN');
  for (const name of flags.secret ?? []) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--secret ${JSON.stringify(name)}: expected an environment variable name`);
    if (!process.env[name]) throw new UsageError(`--secret ${name}: the environment variable ${name} is not set`);
    registerSecretValue(process.env[name], name);
  }
  const { loadPolicyFile } = await import('../core/policy-schema.ts');
  const policyFile = flags.policy ?? process.env.HANDEYE_POLICY;
  const policy = policyFile ? await loadPolicyFile(policyFile) : undefined;
  const { SessionManager } = await import('../service/session-manager.ts');
  const { packageVersion } = await import('./version.ts');
  const version = packageVersion();
  const log = (line: string) => io.err(`handeye ${kind}: ${line}`);
  const manager = new SessionManager({
    engine: { engine: flags.engine, replay: flags.replay, baseUrl: flags.baseUrl, model: flags.model, family: flags.family, apiKeyEnv: flags.apiKeyEnv, endpointTimeoutMs: flags.endpointTimeoutMs },
    policy,
    approveAll: flags.yes,
    secrets: flags.secret,
    maxSessions: flags.maxSessions,
    idleTimeoutMs: flags.idleTimeoutMs,
    requestTimeoutMs: flags.requestTimeoutMs,
    headed: flags.headed,
    browserWs: flags.browserWs,
    serveRoot: flags.serveRoot,
    traceRoot: flags.traces,
    allowCommands: flags.allowCommands,
    log,
  });
  const stopped = stopSignal(log);
  try {
    if (kind === 'mcp' && flags.http === undefined) {
      const { serveMcpStdio } = await import('../service/mcp-server.ts');
      log(`serving MCP on stdio (engine ${flags.engine ?? process.env.HANDEYE_ENGINE ?? 'embedded'})`);
      await Promise.race([serveMcpStdio(manager, version), stopped.promise]);
      return EXIT.ok;
    }
    const http =
      kind === 'mcp'
        ? await (await import('../service/mcp-server.ts')).serveMcpHttp(manager, { host: flags.host, port: flags.http!, token, version })
        : await (await import('../service/http-api.ts')).serveHttpApi(manager, { host: flags.host, port: flags.port!, token, version });
    log(`listening on ${http.url}${kind === 'serve' ? ' (OpenAPI: /openapi.json)' : ''}${token ? ' (bearer token required)' : ''}`);
    await stopped.promise;
    await http.close();
    return EXIT.ok;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${kind === 'serve' ? flags.port : flags.http} on ${flags.host} is in use: pick another with ${kind === 'serve' ? '--port' : '--http'}`);
    throw e;
  } finally {
    stopped.dispose();
    await manager.shutdown();
    log('stopped; every session closed');
  }
}

/** SIGINT or SIGTERM: stop serving, close every session. */
function stopSignal(log: (s: string) => void): { promise: Promise<void>; dispose: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  const on = (sig: string) => {
    log(`${sig}: closing every session`);
    resolve();
  };
  const int = () => on('SIGINT');
  const term = () => on('SIGTERM');
  process.on('SIGINT', int);
  process.on('SIGTERM', term);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
    },
  };
}
