import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh project that has installed handeye from its packed tarball, built without the network:
 * `npm pack` (which runs the build), the tarball unpacked into node_modules/handeye, and exactly
 * the packages a production install brings (those package-lock.json does not mark dev) linked
 * from this clone's node_modules, so a runtime import of a dev-only package fails as it would
 * for a user. `extra` adds the consumer's own tools (@playwright/test, typescript, @types/node).
 */

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface ConsumerProject {
  dir: string;
  tarball: string;
  /** Packed and unpacked sizes of the tarball, in bytes, and how many files it holds. */
  packed: number;
  unpacked: number;
  files: string[];
}

export function packTarball(into: string): { tarball: string; packed: number; unpacked: number; files: string[] } {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', into], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const info = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  return { tarball: path.join(into, info[0].filename), packed: info[0].size, unpacked: info[0].unpackedSize, files: info[0].files.map((f) => f.path) };
}

function link(dir: string, name: string): void {
  const from = path.join(REPO, 'node_modules', name);
  const to = path.join(dir, 'node_modules', name);
  if (!existsSync(from) || existsSync(to)) return;
  mkdirSync(path.dirname(to), { recursive: true });
  symlinkSync(from, to);
}

export function consumerProject(extra: string[] = []): ConsumerProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handeye-consumer-'));
  const pack = packTarball(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
  execFileSync('tar', ['-xzf', pack.tarball, '-C', path.join(dir, 'node_modules')]);
  renameSync(path.join(dir, 'node_modules/package'), path.join(dir, 'node_modules/handeye'));
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = key.replace(/^node_modules\//, '');
    if (!key || entry.dev || name.includes('node_modules/')) continue;
    link(dir, name);
  }
  for (const name of extra) link(dir, name);
  const bin = (name: string, target: string) => symlinkSync(target, path.join(dir, 'node_modules/.bin', name));
  bin('handeye', '../handeye/bin/handeye.mjs');
  if (extra.includes('@playwright/test')) bin('playwright', '../@playwright/test/cli.js');
  if (extra.includes('typescript')) bin('tsc', '../typescript/bin/tsc');
  return { dir, ...pack };
}

/** The direct dependencies of a package in this clone, for linking a consumer's own tools. */
export function withDependencies(names: string[]): string[] {
  const out = new Set<string>();
  const add = (name: string) => {
    if (out.has(name)) return;
    out.add(name);
    const pkg = path.join(REPO, 'node_modules', name, 'package.json');
    if (!existsSync(pkg)) return;
    const deps = JSON.parse(readFileSync(pkg, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const d of [...Object.keys(deps.dependencies ?? {}), ...Object.keys(deps.optionalDependencies ?? {})]) add(d);
  };
  names.forEach(add);
  return [...out].filter((n) => existsSync(path.join(REPO, 'node_modules', n)));
}

export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
