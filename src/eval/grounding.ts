import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { parseAction } from '../core/actions.ts';
import type { Agent } from '../core/agent.ts';
import type { Frame } from '../core/frame.ts';
import { loadGroundingDataset, type GroundingItem } from './screenspot.ts';
import { percent as pct, rateOf, RateSchema } from './stats.ts';
import { writeJsonAtomic } from './summary.ts';

/**
 * Grounding evaluation: one point per instruction from the agent, correct when it lies in the
 * target box. The agent is asked exactly as in a run (a one-step `click` instruction on a frame
 * made from the screenshot), so any engine works: embedded (OCR) or a VLM profile.
 */

export const ItemOutcomeSchema = z.enum(['correct', 'wrong', 'no-answer', 'wrong-format', 'bad-item']);

export const GroundingResultSchema = z.object({
  id: z.string(),
  instruction: z.string().optional(),
  type: z.string().optional(),
  platform: z.string().optional(),
  group: z.string().optional(),
  outcome: ItemOutcomeSchema,
  point: z.tuple([z.number(), z.number()]).optional(),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  detail: z.string().optional(),
  modelMs: z.number().optional(),
});
export type GroundingResult = z.infer<typeof GroundingResultSchema>;

const Split = z.record(z.string(), RateSchema);
export const GroundingSummarySchema = z.object({
  type: z.literal('grounding'),
  version: z.literal(1),
  dataset: z.string(),
  layout: z.enum(['screenspot-v1', 'screenspot-v2', 'screenspot-pro']),
  engine: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  /** Accuracy over the usable items (bad items are counted apart). */
  accuracy: RateSchema,
  byType: Split,
  byPlatform: Split,
  byGroup: Split,
  counts: z.object({ items: z.number().int(), correct: z.number().int(), wrong: z.number().int(), noAnswer: z.number().int(), wrongFormat: z.number().int(), badItems: z.number().int() }),
  results: z.array(GroundingResultSchema),
});
export type GroundingSummary = z.infer<typeof GroundingSummarySchema>;

async function frameOf(file: string): Promise<Frame> {
  const bytes = await readFile(file);
  if (!bytes.length) throw new Error('the image file is empty');
  const meta = await sharp(bytes).metadata();
  if (!meta.width || !meta.height) throw new Error('the image has no size');
  const format = meta.format === 'jpeg' ? 'jpeg' : 'png';
  const image = meta.format === 'png' || meta.format === 'jpeg' ? bytes : await sharp(bytes).png().toBuffer();
  // Decode it fully now: a truncated file must fail here, as a bad item, not inside the agent.
  await sharp(image).raw().toBuffer();
  return { image, format, width: meta.width, height: meta.height, scale: 1, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
}

const inBox = ([x, y]: [number, number], b: [number, number, number, number]) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];

/** Asks the agent for one point for one item. */
export async function groundItem(agent: Agent, item: GroundingItem): Promise<GroundingResult> {
  const base = { id: item.id, instruction: item.instruction, type: item.type, platform: item.platform, group: item.group, box: item.box };
  let frame: Frame;
  try {
    frame = await frameOf(item.image);
  } catch (e) {
    return { ...base, outcome: 'bad-item', detail: `image ${path.basename(item.image)} cannot be decoded: ${(e as Error).message.split('\n')[0]}` };
  }
  const t = performance.now();
  let decision;
  try {
    decision = await agent.decide({ step: { click: item.instruction }, stepIndex: 0, stepCount: 1, frame, history: [] });
  } catch (e) {
    return { ...base, outcome: 'no-answer', detail: `the engine failed: ${(e as Error).message.split('\n')[0]}`, modelMs: performance.now() - t };
  }
  const modelMs = Math.round(decision.timings?.modelMs ?? performance.now() - t);
  let declined: string | undefined;
  for (const candidate of decision.actions) {
    let action;
    try {
      action = parseAction(candidate);
    } catch {
      continue;
    }
    if (action.action === 'fail') declined = action.reason;
    const target = 'target' in action ? action.target : undefined;
    if (!target || typeof target !== 'object') continue;
    const point = (target.point ?? (target.box ? [(target.box[0] + target.box[2]) / 2, (target.box[1] + target.box[3]) / 2] : undefined)) as [number, number] | undefined;
    if (!point) continue;
    return { ...base, outcome: inBox(point, item.box) ? 'correct' : 'wrong', point: [Math.round(point[0] * 10) / 10, Math.round(point[1] * 10) / 10], modelMs };
  }
  if (declined !== undefined) return { ...base, outcome: 'no-answer', detail: declined.slice(0, 300), modelMs };
  return { ...base, outcome: 'wrong-format', detail: `no action with a point in the reply${decision.raw ? `: ${decision.raw.slice(0, 200)}` : ''}`, modelMs };
}

function splitBy(results: GroundingResult[], key: 'type' | 'platform' | 'group') {
  const m = new Map<string, GroundingResult[]>();
  for (const r of results) m.set(r[key] ?? 'unknown', [...(m.get(r[key] ?? 'unknown') ?? []), r]);
  const out: Record<string, z.infer<typeof RateSchema>> = {};
  for (const [k, rs] of [...m].sort(([a], [b]) => a.localeCompare(b))) out[k] = rateOf(rs.filter((r) => r.outcome === 'correct').length, rs.length);
  return out;
}

export function summarizeGrounding(base: Pick<GroundingSummary, 'dataset' | 'layout' | 'engine' | 'startedAt' | 'durationMs'>, results: GroundingResult[]): GroundingSummary {
  const usable = results.filter((r) => r.outcome !== 'bad-item');
  const count = (o: GroundingResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return {
    type: 'grounding',
    version: 1,
    ...base,
    accuracy: rateOf(count('correct'), usable.length),
    byType: splitBy(usable, 'type'),
    byPlatform: splitBy(usable, 'platform'),
    byGroup: splitBy(usable, 'group'),
    counts: { items: results.length, correct: count('correct'), wrong: count('wrong'), noAnswer: count('no-answer'), wrongFormat: count('wrong-format'), badItems: count('bad-item') },
    results,
  };
}

export interface EvaluateGroundingOptions {
  dataset: string;
  agent: Agent;
  limit?: number;
  out?: string;
  onItem?: (done: number, total: number, r: GroundingResult) => void;
  signal?: AbortSignal;
}

/** Runs the dataset (bad items recorded, never fatal); writes summary.json and summary.md when `out` is given. */
export async function evaluateGrounding(o: EvaluateGroundingOptions): Promise<GroundingSummary> {
  const ds = loadGroundingDataset(o.dataset);
  const started = Date.now();
  const items = o.limit ? ds.items.slice(0, o.limit) : ds.items;
  const invalid = o.limit ? ds.invalid.slice(0, Math.max(0, o.limit - items.length)) : ds.invalid;
  const results: GroundingResult[] = invalid.map((b) => ({ id: b.id, outcome: 'bad-item', detail: b.problem }));
  const total = items.length + results.length;
  for (const item of items) {
    if (o.signal?.aborted) break;
    const r = await groundItem(o.agent, item);
    results.push(r);
    o.onItem?.(results.length, total, r);
  }
  const summary = summarizeGrounding({ dataset: ds.dir, layout: ds.layout, engine: o.agent.name, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started }, results);
  if (o.out) {
    mkdirSync(o.out, { recursive: true });
    writeJsonAtomic(path.join(o.out, 'summary.json'), GroundingSummarySchema.parse(summary));
    writeFileSync(path.join(o.out, 'summary.md'), renderGroundingMarkdown(summary));
  }
  return summary;
}


export function renderGroundingMarkdown(s: GroundingSummary): string {
  const rows = (title: string, split: Record<string, z.infer<typeof RateSchema>>) => [
    `## By ${title}`, '', `| ${title} | accuracy | 95% CI | correct |`, '|---|---|---|---|',
    ...Object.entries(split).map(([k, r]) => `| ${k} | ${pct(r.rate)} | ${pct(r.low)}–${pct(r.high)} | ${r.successes}/${r.n} |`), '',
  ];
  const c = s.counts;
  return [
    `# Grounding: ${path.basename(s.dataset)} (${s.layout})`, '',
    `Engine **${s.engine}**; ${c.items} items in ${(s.durationMs / 1000).toFixed(1)} s.`, '',
    `**Accuracy: ${pct(s.accuracy.rate)}** (${s.accuracy.successes}/${s.accuracy.n}; 95% CI ${pct(s.accuracy.low)}–${pct(s.accuracy.high)}).`, '',
    `Correct ${c.correct}, wrong ${c.wrong}, no answer ${c.noAnswer}, wrong format ${c.wrongFormat}; bad items (not counted in accuracy) ${c.badItems}.`, '',
    ...rows('type', s.byType), ...rows('platform', s.byPlatform), ...rows('group', s.byGroup),
    ...(c.badItems ? ['## Bad items', '', ...s.results.filter((r) => r.outcome === 'bad-item').map((r) => `- ${r.id}: ${r.detail}`), ''] : []),
  ].join('\n');
}
