import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * ScreenSpot-family datasets in a local folder.
 * - ScreenSpot v1: screenspot_{mobile,desktop,web}.json, images in screenspot_imgs/ (or alongside).
 * - ScreenSpot v2: screenspot_{mobile,desktop,web}_v2.json, images in screenspotv2_image/ (or alongside).
 *   Both: [{ img_filename, bbox: [x, y, w, h] pixels, instruction, data_type: text|icon, data_source }].
 * - ScreenSpot-Pro: annotations/*.json, images/ — [{ img_filename, bbox: [x1, y1, x2, y2] pixels,
 *   instruction, ui_type: text|icon, group, platform, application, id }].
 * Items that cannot be used (degenerate box, missing image, missing field) are kept as invalid
 * items with the reason, so the run counts them instead of dropping them.
 */

export type Layout = 'screenspot-v1' | 'screenspot-v2' | 'screenspot-pro';

export interface GroundingItem {
  id: string;
  /** Absolute path of the screenshot. */
  image: string;
  instruction: string;
  /** Target box in image pixels, [x1, y1, x2, y2]. */
  box: [number, number, number, number];
  /** text or icon (ScreenSpot data_type, Pro ui_type). */
  type: string;
  /** v1/v2: the split (mobile, desktop, web); Pro: platform. */
  platform: string;
  /** v1/v2: data_source; Pro: group. */
  group: string;
}

export interface InvalidItem {
  id: string;
  file: string;
  problem: string;
}

export interface GroundingDataset {
  layout: Layout;
  dir: string;
  items: GroundingItem[];
  invalid: InvalidItem[];
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

const V1_FILE = /^screenspot_(mobile|desktop|web)\.json$/;
const V2_FILE = /^screenspot_(mobile|desktop|web)_v2\.json$/;
const IMAGE_DIRS = ['', 'images', 'screenspot_imgs', 'screenspotv2_image', 'screenspot_images'];

const Num = z.number().finite();
const V12Entry = z.object({ img_filename: z.string().min(1), bbox: z.tuple([Num, Num, Num, Num]), instruction: z.string().min(1), data_type: z.string().optional(), data_source: z.string().optional() });
const ProEntry = z.object({
  img_filename: z.string().min(1),
  bbox: z.tuple([Num, Num, Num, Num]),
  instruction: z.string().min(1),
  ui_type: z.string().optional(),
  group: z.string().optional(),
  platform: z.string().optional(),
  id: z.union([z.string(), z.number()]).optional(),
});

/** Which layout a folder has; the error says what was looked for and what was found. */
export function detectLayout(dir: string): { layout: Layout; files: string[] } {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new DatasetError(`dataset folder ${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new DatasetError(`${dir} is not a folder; --dataset expects the folder holding the ScreenSpot json files`);
  const names = readdirSync(dir).sort();
  const v2 = names.filter((n) => V2_FILE.test(n));
  const v1 = names.filter((n) => V1_FILE.test(n));
  const annotations = path.join(dir, 'annotations');
  const pro = existsSync(annotations) && statSync(annotations).isDirectory() ? readdirSync(annotations).filter((n) => n.endsWith('.json')).sort() : [];
  if (pro.length) return { layout: 'screenspot-pro', files: pro.map((n) => path.join(annotations, n)) };
  if (v2.length) return { layout: 'screenspot-v2', files: v2.map((n) => path.join(dir, n)) };
  if (v1.length) return { layout: 'screenspot-v1', files: v1.map((n) => path.join(dir, n)) };
  const jsons = names.filter((n) => n.endsWith('.json'));
  throw new DatasetError(
    `${dir} matches no ScreenSpot layout: expected screenspot_{mobile,desktop,web}.json (v1), screenspot_{mobile,desktop,web}_v2.json (v2) ` +
      `or an annotations/ folder of .json files with images/ (ScreenSpot-Pro); found ${jsons.length ? `only ${jsons.slice(0, 5).join(', ')}` : names.length ? `no .json files (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})` : 'an empty folder'}` +
      (existsSync(annotations) ? '; annotations/ holds no .json files' : ''),
  );
}

function findImage(dir: string, name: string): string | undefined {
  for (const sub of IMAGE_DIRS) {
    const p = path.join(dir, sub, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function badBox(b: [number, number, number, number]): string | undefined {
  const [x1, y1, x2, y2] = b;
  if (b.some((v) => v < 0)) return `box ${JSON.stringify(b)} has negative coordinates`;
  if (!(x2 > x1) || !(y2 > y1)) return `degenerate box ${JSON.stringify(b)} (zero or negative width or height)`;
  return undefined;
}

export function loadGroundingDataset(dir: string): GroundingDataset {
  const { layout, files } = detectLayout(dir);
  const items: GroundingItem[] = [];
  const invalid: InvalidItem[] = [];
  for (const file of files) {
    const rel = path.relative(dir, file);
    let entries: unknown;
    try {
      entries = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      invalid.push({ id: rel, file: rel, problem: `cannot read ${rel}: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    if (!Array.isArray(entries)) {
      invalid.push({ id: rel, file: rel, problem: `${rel} is not a JSON array of annotations` });
      continue;
    }
    const split = layout === 'screenspot-pro' ? undefined : path.basename(file).match(/^screenspot_([a-z]+)/)![1];
    entries.forEach((raw, i) => {
      const id = `${rel}#${i}`;
      const schema = layout === 'screenspot-pro' ? ProEntry : V12Entry;
      const r = schema.safeParse(raw);
      if (!r.success) {
        const issue = r.error.issues[0];
        invalid.push({ id, file: rel, problem: `annotation ${i}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}` });
        return;
      }
      const e = r.data as z.infer<typeof V12Entry> & z.infer<typeof ProEntry>;
      const [a, b, c, d] = e.bbox;
      const box: [number, number, number, number] = layout === 'screenspot-pro' ? [a, b, c, d] : [a, b, a + c, b + d];
      const problem = badBox(box);
      const image = findImage(layout === 'screenspot-pro' ? path.join(dir, 'images') : dir, e.img_filename) ?? findImage(dir, e.img_filename);
      if (problem || !image) {
        invalid.push({ id, file: rel, problem: `annotation ${i}: ${problem ?? `image ${e.img_filename} not found in ${IMAGE_DIRS.map((s) => s || '.').join(', ')}`}` });
        return;
      }
      items.push({
        id: layout === 'screenspot-pro' && e.id !== undefined ? String(e.id) : id,
        image,
        instruction: e.instruction,
        box,
        type: (layout === 'screenspot-pro' ? e.ui_type : e.data_type) ?? 'unknown',
        platform: (layout === 'screenspot-pro' ? e.platform : split) ?? 'unknown',
        group: (layout === 'screenspot-pro' ? e.group : e.data_source) ?? 'unknown',
      });
    });
  }
  return { layout, dir: path.resolve(dir), items, invalid };
}
