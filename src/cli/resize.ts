import type { Command } from 'commander';
import { size, type Io } from './options.ts';

export function registerResize(program: Command, io: Io): void {
  program
    .command('resize')
    .description("the image size a model family's server will use for a screenshot, and its image tokens")
    .requiredOption('--family <name>', 'model family, e.g. glm-4.1v-thinking, ui-tars-1.5, qwen3-vl (handeye families lists them)')
    .argument('<WxH>', 'screenshot size', size)
    .action(async ([w, h]: [number, number], flags: { family: string }) => {
      const { resizeInfo } = await import('../../agents/profile/inspect.ts');
      io.out(JSON.stringify(resizeInfo(flags.family, w, h)));
    });
}
