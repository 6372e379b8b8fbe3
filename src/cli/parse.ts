import type { Command } from 'commander';
import { EXIT, size, UsageError, type Io } from './options.ts';

export function registerParse(program: Command, io: Io, result: { code: number }): void {
  program
    .command('parse')
    .description("parse a model reply (on stdin) with a family's parser; prints canonical actions in frame pixels")
    .requiredOption('--family <name>', 'model family')
    .requiredOption('--image-size <WxH>', 'size of the frame the reply refers to', size)
    .action(async (flags: { family: string; imageSize: [number, number] }) => {
      const { parseReply } = await import('../../agents/profile/inspect.ts');
      const text = await readStdin();
      try {
        io.out(JSON.stringify(parseReply(flags.family, text, { width: flags.imageSize[0], height: flags.imageSize[1] })));
      } catch (e) {
        if ((e as Error).name === 'UnknownFamilyError') throw new UsageError((e as Error).message);
        io.err(`handeye: ${(e as Error).message}`);
        result.code = EXIT.failed;
      }
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
