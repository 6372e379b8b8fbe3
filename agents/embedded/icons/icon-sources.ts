/**
 * The open icon sets the lexicon is built from, read from node_modules: Lucide (ISC; stroked
 * outlines on a 24 grid, with tags and the old names of renamed icons) and Bootstrap Icons
 * (MIT; filled paths on a 16 grid, outline and "-fill" variants). Two drawing traditions, so
 * the lexicon has both a stroked and a filled rendering of most everyday concepts.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { z } from 'zod';

export const IconSet = z.enum(['lucide', 'bootstrap']);
export type IconSet = z.infer<typeof IconSet>;

export interface IconSource {
  /** The set's own name for it ("rotate-ccw", "gear-fill"). */
  name: string;
  set: IconSet;
  /** Other names (renamed-from aliases) and tags, lower-case. */
  aliases: string[];
  tags: string[];
  svg: string;
  /** Drawn with strokes (stroke-width can vary), not filled paths. */
  stroked: boolean;
}

const require = createRequire(import.meta.url);

/** The package's folder (from its package.json, which both sets export). */
export function packageDir(pkg: string): string {
  return dirname(require.resolve(`${pkg}/package.json`));
}

export function packageVersion(pkg: string): string {
  return z.object({ version: z.string() }).parse(JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8'))).version;
}

/** The versions of the sets (part of the cache key: a new release rebuilds the lexicon). */
export function sourceVersions(): Record<IconSet, string> {
  return { lucide: packageVersion('lucide-static'), bootstrap: packageVersion('bootstrap-icons') };
}

const LucideTags = z.record(z.string(), z.array(z.string()));

/** Lucide's icons; a file without tags whose drawing equals a tagged one is an old name of it. */
export function lucideIcons(): IconSource[] {
  const dir = packageDir('lucide-static');
  const tags = LucideTags.parse(JSON.parse(readFileSync(join(dir, 'tags.json'), 'utf8')));
  const byBody = new Map<string, IconSource>();
  const aliases: Array<[string, string]> = [];
  const icons: IconSource[] = [];
  for (const file of readdirSync(join(dir, 'icons')).sort()) {
    if (!file.endsWith('.svg')) continue;
    const name = file.slice(0, -4);
    const svg = readFileSync(join(dir, 'icons', file), 'utf8');
    const body = drawingKey(svg);
    if (!tags[name]) {
      aliases.push([name, body]);
      continue;
    }
    const icon: IconSource = { name, set: 'lucide', aliases: [], tags: tags[name].map((t) => t.toLowerCase()), svg, stroked: true };
    icons.push(icon);
    byBody.set(body, icon);
  }
  for (const [name, body] of aliases) {
    const target = byBody.get(body);
    if (target) target.aliases.push(name);
  }
  return icons;
}

/** Bootstrap's icons (no tags ship with the package: the names carry the words). */
export function bootstrapIcons(): IconSource[] {
  const dir = join(packageDir('bootstrap-icons'), 'icons');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.svg'))
    .sort()
    .map((file) => ({ name: file.slice(0, -4), set: 'bootstrap' as const, aliases: [], tags: [], svg: readFileSync(join(dir, file), 'utf8'), stroked: false }));
}

export function allIcons(): IconSource[] {
  return [...lucideIcons(), ...bootstrapIcons()];
}

/** The drawing without the comment and class that name it (renamed icons differ only there). */
function drawingKey(svg: string): string {
  const body = svg.replace(/<!--[\s\S]*?-->/g, '').replace(/class="[^"]*"/g, '').replace(/\s+/g, ' ');
  return createHash('sha1').update(body).digest('hex');
}

/**
 * The SVG at `size` px, with `strokeWidth` (viewBox units) for stroked icons. Colour stays
 * currentColor (rendered black on transparent): the descriptor reads ink from alpha.
 */
export function sizedSvg(icon: IconSource, size: number, strokeWidth?: number): string {
  let svg = icon.svg.replace(/<!--[\s\S]*?-->/g, '');
  svg = svg.replace(/\swidth="[^"]*"/, ` width="${size}"`).replace(/\sheight="[^"]*"/, ` height="${size}"`);
  if (icon.stroked && strokeWidth !== undefined) svg = svg.replace(/stroke-width="[^"]*"/, `stroke-width="${strokeWidth}"`);
  return svg;
}
