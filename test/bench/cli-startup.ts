// `node --import tsx test/bench/cli-startup.ts`: how long `handeye --version` and `handeye run
// --help` take to start, median of 10, from the TypeScript sources through tsx (a clone, and
// what the package shipped before it was compiled) and from the packed package's compiled dist.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { consumerProject, REPO } from '../support/consumer-project.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(bin: string, args: string[], cwd: string, runs = 10): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
    ms.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(ms);
}

async function main(): Promise<void> {
  const project = consumerProject();
  console.log(`package: ${(project.packed / 1024).toFixed(0)} KB packed, ${(project.unpacked / 1024).toFixed(0)} KB unpacked, ${project.files.length} files`);
  const source = path.join(REPO, 'bin/handeye.mjs');
  const packaged = path.join(project.dir, 'node_modules/handeye/bin/handeye.mjs');
  const rows = [['command', 'sources + tsx ms', 'package dist ms', 'ratio']];
  for (const args of [['--version'], ['run', '--help']]) {
    const a = time(source, args, REPO);
    const b = time(packaged, args, project.dir);
    rows.push([`handeye ${args.join(' ')}`, a.toFixed(0), b.toFixed(0), `×${(a / b).toFixed(2)}`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  '));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
