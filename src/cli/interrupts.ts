/**
 * Ctrl-C and SIGTERM for a command that cleans up: the first signal aborts (the command finishes
 * its trace or summary), a second one exits at once with 130. dispose() stops listening.
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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
