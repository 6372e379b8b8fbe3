import type { Command } from 'commander';
import type { Io } from './options.ts';

export function registerFamilies(program: Command, io: Io): void {
  program
    .command('families')
    .description('the model families --family accepts: grammar, coordinates and how to serve each')
    .option('--json', 'one JSON array instead of text')
    .action(async (flags: { json?: boolean }) => {
      const { familyList } = await import('../../agents/profile/inspect.ts');
      const list = await familyList();
      if (flags.json) return io.out(JSON.stringify(list));
      for (const f of list) {
        io.out(`${f.family}\n  ${f.description}\n  coordinates: ${f.coordinates}${f.tools ? '; native tool calls' : ''}${f.serving ? `\n  serve: ${f.serving}` : ''}`);
      }
    });
}
