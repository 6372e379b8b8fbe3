import { createInterface } from 'node:readline/promises';
import type { ConfirmFn, ConfirmRequest } from './policy-guard.ts';

export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** Asks a person on a terminal, one action at a time; only "y" or "yes" approves. */
export function terminalConfirm(streams: PromptStreams): ConfirmFn {
  return async (request: ConfirmRequest) => {
    const rl = createInterface({ input: streams.input, output: streams.output, terminal: false });
    try {
      // An input that closes before a line comes is nobody approving (a pending question would never settle).
      const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
      const answer = await Promise.race([rl.question(`handeye: allow ${request.description}? [y/N] `), closed]);
      return /^\s*y(es)?\s*$/i.test(answer);
    } catch {
      return false; // the input closed: nobody approved
    } finally {
      rl.close();
    }
  };
}

/**
 * The CLI's confirmation: --yes approves everything, a terminal asks, anything else (a pipe, CI)
 * refuses, so an unattended run never does what the policy says needs a person.
 */
export function cliConfirm(o: { yes?: boolean; isTty: boolean; streams: PromptStreams }): ConfirmFn | undefined {
  if (o.yes) return () => true;
  if (o.isTty) return terminalConfirm(o.streams);
  return undefined;
}
