/** How often the parent process is checked for (a killed npx leaves handeye re-parented). */
const PARENT_CHECK_MS = 500;

/**
 * Ctrl-C and SIGTERM for a command that cleans up: the first signal aborts (the command finishes
 * its trace or summary), a second one exits at once with 130. The parent dying counts as a
 * SIGTERM: `npx handeye …` killed by a supervisor does not forward the signal, and handeye would
 * otherwise go on alone. dispose() stops listening.
 */
export function catchInterrupts(say: (s: string) => void, message: string, also?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  also?.addEventListener('abort', () => controller.abort(), { once: true });
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    say(message);
    controller.abort();
  };
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphaned);
    say('the parent process ended: stopping as for SIGTERM');
    onSignal();
  }, PARENT_CHECK_MS);
  orphaned.unref();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      clearInterval(orphaned);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
