/**
 * Issue #17's measure: the embedded engine on the instruction corpus (test/fixtures/instructions),
 * pages and phrasings written for it before any tuning. Each instruction is given as a goal to the
 * embedded agent on the rendered page; its first action that points somewhere is the answer.
 *
 *   correct  the point falls inside the target element (or one of the set);
 *   wrong    it points anywhere else, or a negative got an action;
 *   none     the agent refused (a `fail` action) or gave no pointed action.
 *
 * Prints correct/wrong/none per half and kind, the frozen half beside the dev half, and the time
 * interpretation + alignment take over OCR.
 *
 *   node --import tsx test/bench/instructions.ts [--half dev|frozen] [--tuning] [--misses] [--json FILE] [page ...]
 */
import { writeFileSync } from 'node:fs';
import { sharedIconLexicon } from '../../agents/embedded/icons/icon-lexicon.ts';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';
import { takeIconMs } from '../../agents/embedded/ground/ground-icon.ts';
import { OcrEngine, type RecognizeOptions } from '../../agents/embedded/ocr/ocr-engine.ts';
import type { OcrResult } from '../../kernels/ocr/types.ts';
import type { RgbImage } from '../../src/core/frame.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { CORPUS_DIR, corpusCounts, loadCorpus, renderCorpusPage, TUNING_DIR, type CorpusItem } from './instruction-corpus.ts';

export type Verdict = 'correct' | 'wrong' | 'none';

export interface ItemResult {
  id: string;
  half: CorpusItem['half'];
  kind: CorpusItem['kind'];
  lang: CorpusItem['lang'];
  instruction: string;
  verdict: Verdict;
  /** The action the agent gave first (its type and point), or its refusal. */
  answer: string;
  ms: number;
  /** Of ms, the time spent matching icons (its own budget in #17). */
  iconMs: number;
}

/** An OCR engine that reads each distinct screen once: the bench times interpretation + alignment, not OCR. */
class OnceOcr extends OcrEngine {
  // frameRgb decodes a frame once, so one screen is one RgbImage object.
  private readonly seen = new WeakMap<RgbImage, Promise<OcrResult>>();
  override recognize(image: RgbImage, opts: RecognizeOptions = {}): Promise<OcrResult> {
    let r = this.seen.get(image);
    if (!r) this.seen.set(image, (r = super.recognize(image, opts)));
    return r;
  }
}

const inBox = ([x, y]: number[], [x1, y1, x2, y2]: number[], slack = 1): boolean => x >= x1 - slack && x <= x2 + slack && y >= y1 - slack && y <= y2 + slack;

function pointOf(action: Record<string, unknown>): [number, number] | undefined {
  const t = (action.target ?? (action.from as unknown)) as { point?: [number, number]; box?: number[] } | undefined;
  if (t?.point) return t.point;
  if (t?.box) return [(t.box[0] + t.box[2]) / 2, (t.box[1] + t.box[3]) / 2];
  return undefined;
}

export async function runInstructionBench(opts: { pages?: string[]; half?: 'dev' | 'frozen'; dir?: string; log?: (s: string) => void } = {}): Promise<ItemResult[]> {
  const pages = loadCorpus(opts.pages, opts.dir);
  const ocr = new OnceOcr();
  const agent = new EmbeddedAgent({ ocr });
  const browser = await launchChromium();
  // Loaded once outside the timed part, as the OCR models are: the first icon lookup is no load.
  await sharedIconLexicon();
  const results: ItemResult[] = [];
  try {
    for (const page of pages) {
      const r = await renderCorpusPage(browser, page);
      // Read once outside the timed part.
      await agent.decide({ goal: 'assert "x"', frame: r.frame, history: [] }).catch(() => undefined);
      for (const item of page.items) {
        if (opts.half && item.half !== opts.half) continue;
        takeIconMs();
        const t0 = performance.now();
        let answer = '';
        let verdict: Verdict = 'none';
        try {
          const d = await agent.decide({ goal: item.instruction, frame: r.frame, history: [] });
          const actions = d.actions as Record<string, unknown>[];
          const pointed = actions.find((a) => pointOf(a));
          const failed = actions.find((a) => a.action === 'fail');
          if (pointed) {
            const p = pointOf(pointed)!;
            answer = `${String(pointed.action)} (${Math.round(p[0])}, ${Math.round(p[1])})`;
            const boxes = r.boxes.get(item.id)!;
            verdict = boxes.some((b) => inBox(p, b)) ? 'correct' : 'wrong';
          } else if (failed) {
            answer = `refused: ${String(failed.reason)}`;
          } else {
            answer = actions.length ? `no pointed action: ${actions.map((a) => a.action).join(', ')}` : 'no action';
          }
        } catch (e) {
          answer = `error: ${(e as Error).message}`;
        }
        if (item.kind === 'negative') verdict = verdict === 'none' ? 'correct' : 'wrong';
        results.push({ id: item.id, half: item.half, kind: item.kind, lang: item.lang, instruction: item.instruction, verdict, answer, ms: performance.now() - t0, iconMs: takeIconMs() });
      }
      opts.log?.(`${page.page}: ${results.filter((x) => x.id.startsWith(`${page.page}/`) && x.verdict === 'correct').length}/${results.filter((x) => x.id.startsWith(`${page.page}/`)).length}`);
    }
  } finally {
    await browser.close();
    await ocr.close();
  }
  return results;
}

export interface Tally {
  n: number;
  correct: number;
  wrong: number;
  none: number;
}

export function tally(results: ItemResult[], pick: (r: ItemResult) => boolean): Tally {
  const t: Tally = { n: 0, correct: 0, wrong: 0, none: 0 };
  for (const r of results) {
    if (!pick(r)) continue;
    t.n++;
    t[r.verdict]++;
  }
  return t;
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');

export function printReport(results: ItemResult[], log: (s: string) => void = console.log): void {
  const rows: Array<[string, (r: ItemResult) => boolean]> = [
    ['text targets', (r) => r.kind === 'text'],
    ['widget targets', (r) => r.kind === 'widget'],
    ['icon targets', (r) => r.kind === 'icon'],
    ['negatives (refused)', (r) => r.kind === 'negative'],
    ['Chinese instructions', (r) => r.lang === 'zh'],
    ['all', () => true],
  ];
  log('                          dev half                         frozen half');
  log('                          correct        wrong   none      correct        wrong   none');
  for (const [name, pick] of rows) {
    const cell = (half: string) => {
      const t = tally(results, (r) => r.half === half && pick(r));
      return `${`${t.correct}/${t.n} ${pct(t.correct, t.n)}`.padEnd(15)}${String(t.wrong).padStart(5)}${String(t.none).padStart(7)}`;
    };
    log(`${name.padEnd(26)}${cell('dev')}     ${cell('frozen')}`);
  }
  for (const half of ['dev', 'frozen']) {
    const all = tally(results, (r) => r.half === half);
    log(`${half}: wrong answers ${pct(all.wrong, all.n)} of all instructions (target ≤ 1%)`);
  }
  const q = (xs: number[], f: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * f))].toFixed(1);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const text = results.map((r) => r.ms - r.iconMs).sort((a, b) => a - b);
  const icon = results.filter((r) => r.iconMs > 0).map((r) => r.iconMs).sort((a, b) => a - b);
  if (!ms.length) return;
  log(`per instruction (OCR excluded): all of it median ${q(ms, 0.5)} ms, p95 ${q(ms, 0.95)} ms`);
  log(`  interpretation + alignment without icon matching: median ${q(text, 0.5)} ms, p95 ${q(text, 0.95)} ms (target ≤ 50 ms)`);
  if (icon.length) log(`  icon matching, in the ${icon.length} instructions that looked for icons: median ${q(icon, 0.5)} ms, p95 ${q(icon, 0.95)} ms, max ${icon[icon.length - 1].toFixed(1)} ms (target ≤ 150 ms on a 1920×1080 frame)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const half = flag('--half') as 'dev' | 'frozen' | undefined;
  const json = flag('--json');
  const misses = args.includes('--misses');
  // --tuning: the second tuning set (test/fixtures/instructions-tuning), not the measured corpus.
  const dir = args.includes('--tuning') ? TUNING_DIR : CORPUS_DIR;
  const pages = args.filter((a) => !a.startsWith('--'));
  console.log(`corpus: ${JSON.stringify(corpusCounts(loadCorpus(pages, dir)))}${dir === TUNING_DIR ? ' (the second tuning set)' : ''}`);
  const results = await runInstructionBench({ pages, half, dir, log: (s) => console.log(s) });
  printReport(results);
  // Misses of the dev half only: the frozen half is measured, never looked into for tuning.
  if (misses) for (const r of results.filter((x) => x.verdict !== 'correct' && x.half === 'dev')) console.log(`${r.verdict.padEnd(5)} ${r.id} [${r.kind}] ${r.instruction} → ${r.answer}`);
  if (json) writeFileSync(json, JSON.stringify(results, null, 1));
}
