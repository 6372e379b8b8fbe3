/**
 * Builds the icon lexicon: every icon of the sets (icon-sources.ts) rendered with sharp at a
 * few sizes and stroke weights, each rendering described (kernels/icon-descriptor.ts). An icon
 * keeps all its renderings as rows; a match takes its best row. Renderings differ where the
 * pixel grid bites (thin strokes at 16 px blur into grey) and in stroke weight, which the
 * descriptor only mostly absorbs.
 */
import sharp from 'sharp';
import { DESC_LEN, describeGrid, iconScratch, inkToGrid, type IconScratch } from '../../../kernels/icon-descriptor.ts';
import { allIcons, sizedSvg, type IconSource } from './icon-sources.ts';
import type { LexiconIcon } from './lexicon-format.ts';

/** The renderings: [size px, stroke width in viewBox units (stroked sets only)]. */
export const STROKED_RENDERINGS: ReadonlyArray<readonly [number, number]> = [
  [24, 2],
  [16, 2],
  [20, 1.5],
];
export const FILLED_RENDERINGS: ReadonlyArray<readonly [number]> = [[16], [24]];
/** Part of the cache key: change it when the renderings above change. */
export const BUILD_RECIPE = 'r1:24/2,16/2,20/1.5;f16,24';

export interface BuiltLexicon {
  icons: LexiconIcon[];
  /** rows × DESC_LEN descriptors. */
  table: Float32Array;
  /** The icon (index into icons) of each row. */
  owner: Uint16Array;
}

/** Renders an SVG and describes it from its alpha; false when nothing was drawn. */
export async function describeSvg(svg: string, out: Float32Array, offset: number, scratch: IconScratch): Promise<boolean> {
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const ink = n <= scratch.ink.length ? scratch.ink : new Float32Array(n);
  for (let i = 0; i < n; i++) ink[i] = data[i * 4 + 3] / 255;
  if (!inkToGrid(ink, info.width, info.height, scratch.grid)) return false;
  describeGrid(scratch.grid, out, offset);
  return true;
}

function renderings(icon: IconSource): string[] {
  return icon.stroked ? STROKED_RENDERINGS.map(([size, sw]) => sizedSvg(icon, size, sw)) : FILLED_RENDERINGS.map(([size]) => sizedSvg(icon, size));
}

/** Builds the lexicon from the installed sets; `concurrency` renderings are in flight at once (sharp runs them on its own threads). */
export async function buildLexicon(opts: { concurrency?: number; icons?: IconSource[] } = {}): Promise<BuiltLexicon> {
  const sources = opts.icons ?? allIcons();
  const jobs: Array<{ icon: number; svg: string }> = [];
  sources.forEach((icon, i) => renderings(icon).forEach((svg) => jobs.push({ icon: i, svg })));
  const rows = new Float32Array(jobs.length * DESC_LEN);
  const drawn = new Uint8Array(jobs.length);
  let cursor = 0;
  const worker = async (): Promise<void> => {
    const scratch = iconScratch();
    while (cursor < jobs.length) {
      const j = cursor++;
      drawn[j] = (await describeSvg(jobs[j].svg, rows, j * DESC_LEN, scratch)) ? 1 : 0;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  // Compact: drop renderings that drew nothing (none should), and icons left without a row.
  const kept = jobs.map((_, j) => j).filter((j) => drawn[j]);
  const iconIndex = new Map<number, number>();
  const icons: LexiconIcon[] = [];
  const table = new Float32Array(kept.length * DESC_LEN);
  const owner = new Uint16Array(kept.length);
  kept.forEach((j, r) => {
    const src = jobs[j].icon;
    if (!iconIndex.has(src)) {
      const s = sources[src];
      iconIndex.set(src, icons.length);
      icons.push({ name: s.name, set: s.set, aliases: s.aliases, tags: s.tags });
    }
    owner[r] = iconIndex.get(src)!;
    table.set(rows.subarray(j * DESC_LEN, (j + 1) * DESC_LEN), r * DESC_LEN);
  });
  return { icons, table, owner };
}
