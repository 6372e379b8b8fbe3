// `npm run build` (and `npm pack`, through prepack): compiles src/, agents/ and kernels/ to dist/
// (ES modules, .d.ts and source maps) and copies the files the code reads at run time.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const started = Date.now();

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

// Files the code opens next to itself: the OCR worker, the screens int8 OCR is calibrated and
// gated on, the report's CSS and scripts, the Chromium wrapper.
const copies = [
  'agents/embedded/ocr/ort-worker.mjs',
  ...readdirSync(path.join(root, 'agents/embedded/ocr/screens')).map((f) => `agents/embedded/ocr/screens/${f}`),
  'src/executors/browser/chromium-wrapper.sh',
  ...readdirSync(path.join(root, 'src/report/assets')).map((f) => `src/report/assets/${f}`),
];
for (const rel of copies) {
  const to = path.join(dist, rel);
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(path.join(root, rel), to);
  chmodSync(to, statSync(path.join(root, rel)).mode);
}

// Declarations keep the sources' "./x.ts" specifiers (TypeScript rewrites them in .js only):
// point them at "./x.js", which a consumer's compiler resolves to x.d.ts.
function walk(dir) {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
}
let rewritten = 0;
for (const file of walk(dist).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const out = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, (_m, pre, spec, q) => `${pre}${spec}.js${q}`);
  if (out !== text) {
    writeFileSync(file, out);
    rewritten++;
  }
}
console.log(`build: dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${copies.length} files copied, ${rewritten} declaration files re-pointed)`);
