import { InvalidArgumentError, Option, type Command } from 'commander';
import { ENGINE_NAMES } from '../../agents/registry.ts';
import { redactProcessSecrets } from '../core/secrets.ts';

/** Exit codes are a public contract: 0 task succeeded, 1 task ran and failed, 2 bad usage or unreachable component. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad usage: printed as `handeye: <message>`, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where a command writes: results to out (stdout), everything else to err (stderr). */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** stdout and stderr, scrubbed of the process's secrets (an API key a server echoed into an error). */
export const defaultIo: Io = {
  out: (s) => process.stdout.write(redactProcessSecrets(s) + '\n'),
  err: (s) => process.stderr.write(redactProcessSecrets(s) + '\n'),
};

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number >= 0, got ${JSON.stringify(value)}`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got ${JSON.stringify(value)}`);
  return n;
}

export function size(value: string): [number, number] {
  const m = /^(\d+)\s*[x×]\s*(\d+)$/i.exec(value.trim());
  if (!m || +m[1] <= 0 || +m[2] <= 0) throw new InvalidArgumentError(`expected WIDTHxHEIGHT like 1280x720, got ${JSON.stringify(value)}`);
  return [+m[1], +m[2]];
}

/** --base-url once is a string (as before); again, a list of the servers. */
function baseUrls(value: string, previous: string | string[] | undefined): string | string[] {
  return previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
}

/**
 * The flags that choose and configure the agent, declared once for every command that runs one.
 * `--engine` keeps its name (users' scripts use it); what it selects is an agent.
 */
export function addEngineOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--engine <name>', 'the agent that decides: embedded (OCR, no model), replay (a recorded trace), openai (a served VLM)').choices([...ENGINE_NAMES]))
    .option('--replay <trace-dir>', 'with --engine replay: the trace to replay')
    .option('--base-url <url>', 'with --engine openai: the server, e.g. http://127.0.0.1:8000/v1; give it again for more servers of the same model (calls go to the least busy, and fail over)', baseUrls)
    .option('--endpoint-timeout-ms <n>', 'with several --base-url: how long one server may take to start answering before the call goes to another (default 60000)', positiveInt)
    .option('--model <name>', 'with --engine openai: the served model name (default: the only model the server lists)')
    .option('--family <name>', 'with --engine openai: model family (glm-4.1v-thinking, glm-4.5v, glm-4.6v, ui-tars-1.5, ui-tars-2, qwen2.5-vl, qwen3-vl, generic, … see handeye families), or auto: recognised from the model name')
    .option('--api-key-env <NAME>', 'with --engine openai: environment variable holding the API key');
}
