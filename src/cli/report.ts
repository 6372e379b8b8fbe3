import type { Command } from 'commander';
import { UsageError, type Io } from './options.ts';

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('write an HTML report: report.html in a run trace directory, index.html in an eval directory')
    .argument('<dir>', 'a trace directory (trace.jsonl) or an eval directory (summary.json)')
    .action(async (dir: string) => {
      const { writeReport, ReportError } = await import('../report/index.ts');
      try {
        const r = await writeReport(dir);
        io.out(r.file);
      } catch (e) {
        if (e instanceof ReportError) throw new UsageError(e.message);
        throw e;
      }
    });
}
