import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** handeye's version, from its package.json (found above this module, in a clone or an installed package). */
export function packageVersion(): string {
  for (let d = path.dirname(fileURLToPath(import.meta.url)); path.dirname(d) !== d; d = path.dirname(d)) {
    const file = path.join(d, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'handeye') return pkg.version ?? '0.0.0';
  }
  return '0.0.0';
}
