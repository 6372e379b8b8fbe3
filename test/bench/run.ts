// `npm run bench`: every benchmark of the project, one after the other, each printing its table.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const BENCHES = ['harness.ts', 'browser-capture.ts', 'ocr.ts', 'query-ocr.ts', 'ocr-floor.ts', 'grounding.ts', 'vlm-client.ts', 'cli-startup.ts', 'hostile.ts', 'queue.ts', 'instructions.ts', 'icons.ts', 'compile.ts'];
const only = process.argv.slice(2);
let failed = 0;
for (const file of BENCHES) {
  if (only.length && !only.some((o) => file.startsWith(o))) continue;
  const p = path.join(import.meta.dirname, file);
  if (!existsSync(p)) continue;
  console.log(`\n=== ${file}`);
  // Each bench in its own process: peak memory and model sessions don't leak between them.
  const r = spawnSync(process.execPath, ['--import', 'tsx', p], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
