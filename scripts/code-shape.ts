/**
 * Reports the shape of the code: file sizes, function sizes, and imports that cross the layers
 * the wrong way. `node --import tsx scripts/code-shape.ts [--json] [--max-function 80] [--max-file 400]`
 * exits 1 when a limit or a layer rule is broken (exceptions are listed in ALLOWED_LONG below).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rolldown/parseAst';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['src', 'agents', 'kernels'];

export interface FunctionSize {
  file: string;
  name: string;
  line: number;
  lines: number;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function listSourceFiles(root = ROOT): string[] {
  return FOLDERS.flatMap((f) => sourceFiles(path.join(root, f))).map((f) => path.relative(root, f));
}

type Node = { type: string; start: number; end: number; [k: string]: unknown };

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function nameOf(node: Node, parent: Node | undefined): string {
  const id = node.id as Node | null | undefined;
  if (id && typeof id.name === 'string') return id.name;
  if (parent) {
    const key = (parent.key ?? parent.id) as Node | undefined;
    if (key && typeof key.name === 'string') return key.name;
  }
  return '(anonymous)';
}

/** Every function in a file with its length in lines (a nested function counts inside its parent too). */
export function functionSizes(file: string, root = ROOT): FunctionSize[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const starts = lineStarts(text);
  const ast = parseAst(text, { lang: /\.m?js$/.test(file) ? 'js' : 'ts' }) as unknown as Node;
  const out: FunctionSize[] = [];
  const visit = (node: unknown, parent: Node | undefined): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, parent);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (typeof n.type !== 'string') return;
    if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') {
      const line = lineOf(starts, n.start);
      out.push({ file, name: nameOf(n, parent), line, lines: lineOf(starts, n.end) - line + 1 });
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'type' && v && typeof v === 'object') visit(v, n);
  };
  visit(ast, undefined);
  return out;
}

export function fileLines(file: string, root = ROOT): number {
  const text = readFileSync(path.join(root, file), 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Relative imports of a file (static, dynamic, and re-exports), resolved to repository paths. */
export function importsOf(file: string, root = ROOT): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(path.normalize(path.join(path.dirname(file), m[1])));
  return out;
}

/**
 * The layers, lowest first. A file may import from its own layer and the ones below it, never
 * from above; SIDEWAYS lists the folders of one layer that must not import each other either.
 */
export const LAYERS: Array<{ name: string; paths: string[] }> = [
  { name: 'kernels', paths: ['kernels/'] },
  { name: 'core', paths: ['src/core/'] },
  { name: 'adapters', paths: ['src/executors/', 'src/model-clients/', 'src/policy/'] },
  { name: 'agents', paths: ['agents/'] },
  { name: 'runs', paths: ['src/run/', 'src/eval/', 'src/report/', 'src/api/', 'src/compile/', 'src/cache/'] },
  { name: 'service', paths: ['src/service/'] },
  { name: 'entry', paths: ['src/cli/', 'src/index.ts', 'src/playwright.ts'] },
];

/** Pairs (importer folder, imported folder) that the layer order allows but the design does not. */
export const SIDEWAYS: Array<[string, string]> = [
  // Executors, model clients and the policy know the core's interfaces, not each other.
  ['src/executors/browser/', 'src/executors/desktop/'],
  ['src/executors/desktop/', 'src/executors/browser/'],
  ['src/executors/', 'src/policy/'],
  ['src/executors/', 'src/model-clients/'],
  ['src/policy/', 'src/executors/'],
  ['src/policy/', 'src/model-clients/'],
  ['src/model-clients/', 'src/executors/'],
  ['src/model-clients/', 'src/policy/'],
  // Agents see the screen and the executor only through the core's interfaces.
  ['agents/', 'src/executors/'],
  ['agents/', 'src/policy/'],
  // Reports render what evals write; evals never need a report to run.
  ['src/eval/', 'src/report/'],
];

const norm = (f: string) => f.split(path.sep).join('/');

export function layerOf(file: string): number {
  const f = norm(file);
  return LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith('/') ? f.startsWith(p) : f === p)));
}

export interface LayerViolation {
  file: string;
  imports: string;
  rule: string;
}

export function layerViolations(files: string[], root = ROOT): { violations: LayerViolation[]; unplaced: string[] } {
  const violations: LayerViolation[] = [];
  const unplaced: string[] = [];
  for (const file of files) {
    const own = layerOf(file);
    if (own < 0) {
      unplaced.push(file);
      continue;
    }
    for (const imp of importsOf(file, root)) {
      const their = layerOf(imp);
      if (their > own) violations.push({ file, imports: imp, rule: `${LAYERS[own].name} imports ${LAYERS[their].name}` });
      const side = SIDEWAYS.find(([a, b]) => norm(file).startsWith(a) && norm(imp).startsWith(b));
      if (side) violations.push({ file, imports: imp, rule: `${side[0]} must not import ${side[1]}` });
    }
  }
  return { violations, unplaced };
}

function main(): void {
  const args = process.argv.slice(2);
  const maxFunction = Number(args[args.indexOf('--max-function') + 1]) || 80;
  const maxFile = Number(args[args.indexOf('--max-file') + 1]) || 400;
  const files = listSourceFiles();
  const functions = files.flatMap((f) => functionSizes(f)).sort((a, b) => b.lines - a.lines);
  const sizes = files.map((f) => ({ file: f, lines: fileLines(f) })).sort((a, b) => b.lines - a.lines);
  const longFunctions = functions.filter((f) => f.lines > maxFunction);
  const longFiles = sizes.filter((f) => f.lines > maxFile);
  const layers = layerViolations(files);
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify({ longFunctions, longFiles, layers, top: { functions: functions.slice(0, 20), files: sizes.slice(0, 20) } }, null, 2) + '\n');
  } else {
    const out = (s: string) => process.stdout.write(s + '\n');
    out(`${files.length} files, ${functions.length} functions in ${FOLDERS.join(' ')}`);
    out(`\nlongest functions (limit ${maxFunction} lines):`);
    for (const f of functions.slice(0, 15)) out(`  ${String(f.lines).padStart(4)}  ${f.file}:${f.line} ${f.name}`);
    out(`\nlongest files (limit ${maxFile} lines):`);
    for (const f of sizes.slice(0, 15)) out(`  ${String(f.lines).padStart(4)}  ${f.file}`);
    out(`\nlayers, lowest first: ${LAYERS.map((l) => `${l.name} (${l.paths.join(' ')})`).join(' < ')}`);
    out(`imports that break a layer rule: ${layers.violations.length}`);
    for (const v of layers.violations) out(`  ${v.file} imports ${v.imports} (${v.rule})`);
    if (layers.unplaced.length) out(`files in no layer: ${layers.unplaced.join(', ')}`);
  }
  process.exitCode = longFiles.length || layers.violations.length || layers.unplaced.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
