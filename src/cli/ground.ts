import { Option, type Command } from 'commander';
import { EXIT, positiveNumber, type Io } from './options.ts';

export function registerGround(program: Command, io: Io, result: { code: number }): void {
  program
    .command('ground')
    .description('find a described target on a screenshot; prints {"point","box","text","score"} in image pixels')
    .argument('<image>', 'PNG or JPEG screenshot')
    .argument('<instruction>', 'what to find, e.g. \'the "Sign in" button\' or icon:./gear.png')
    .addOption(new Option('--engine <name>', 'grounding engine').choices(['embedded']).default('embedded'))
    .option('--scale <n>', "the screenshot's device pixel ratio (2 for a HiDPI capture): text detection runs at 1/scale", positiveNumber)
    .action(async (image: string, instruction: string, flags: { scale?: number }) => {
      const { groundImage } = await import('../../agents/embedded/ground/ground-image.ts');
      const r = await groundImage(image, instruction, { scale: flags.scale });
      if (r.ok) {
        io.out(JSON.stringify(r.result));
        result.code = EXIT.ok;
      } else {
        io.err(`handeye: ${r.message}`);
        for (const c of r.candidates ?? []) io.err(`  candidate: ${JSON.stringify(c)}`);
        result.code = r.usage ? EXIT.usage : EXIT.failed;
      }
    });
}
