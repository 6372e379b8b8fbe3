// `node --import tsx test/bench/hostile.ts [--kill-after-ms N] [name-substring…]`: runs the hostile
// cases of issue 24 and prints, for each, the exit code, wall time against the run's budget,
// whether summary.json was written, what outlived the run, the trace size and any leak.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOSTILE_CASES } from '../support/hostile-cases.ts';
import { startHostilePages } from '../support/hostile-pages.ts';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const k = args.indexOf('--kill-after-ms');
  const killAfterMs = k >= 0 ? Number(args[k + 1]) : 90_000;
  const only = args.filter((a, i) => !a.startsWith('--') && (k < 0 || i !== k + 1));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'handeye-hostile-bench-'));
  const pages = await startHostilePages();
  const rows: string[][] = [['case', 'exit', 'wall s', 'limit s', 'summary', 'survivors', 'late requests', 'trace KB', 'leaks']];
  try {
    for (const c of HOSTILE_CASES.filter((c) => !only.length || only.some((o) => c.name.includes(o)))) {
      const r = await c.run({ tmp, pages, killAfterMs });
      rows.push([
        c.name,
        r.hung ? 'killed' : String(r.exit ?? r.signal),
        r.hung ? `> ${(killAfterMs / 1000).toFixed(0)}` : (r.wallMs / 1000).toFixed(1),
        (c.expect.maxWallMs / 1000).toFixed(0),
        r.summary ? String(r.summary.reason) : 'none',
        String(r.survivors.length),
        r.requestsAfter === undefined ? '-' : String(r.requestsAfter),
        (r.traceBytes / 1024).toFixed(0),
        r.leaks.length ? r.leaks.join('; ') : '-',
      ]);
      console.error(`${c.name}: done`);
    }
  } finally {
    await pages.close();
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  '));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
