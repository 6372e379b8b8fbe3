import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Files under `dir` whose bytes contain `needle` (as UTF-8 or UTF-16). */
export function filesContaining(dir: string, needle: string): string[] {
  const forms = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  return filesUnder(dir).filter((f) => {
    const bytes = readFileSync(f);
    return forms.some((b) => bytes.includes(b));
  });
}

/** A secret value nobody could guess or find by accident in a page or a frame. */
export function freshSecret(): string {
  return `S3cr3t-${Math.random().toString(36).slice(2, 10)}-${Date.now().toString(36)}`;
}
