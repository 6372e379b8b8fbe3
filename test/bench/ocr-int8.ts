/**
 * The OCR bench's int8 section (issue #23): the same pages read by the fp32 models and by the
 * int8 ones forced on (int8-unverified: whatever the CPU and the gate say), runs interleaved so
 * that a busy machine slows both alike. Prints the read times, their ratio, whether the two
 * read the same lines and words (text and boxes: what the gate demands), each one's recall, and
 * what the gate decides on this machine (precision int8: the same check, on the stored renders).
 * OCR_BENCH_INT8=0 skips it.
 */
import { compareReaders } from '../../agents/embedded/ocr/int8-models.ts';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import { int8Profile, printInt8Profile, type Int8Profile } from './ocr-int8-profile.ts';
import type { RgbImage } from '../../src/core/frame.ts';
import { wordScores, type DomWord } from '../agents/embedded/ocr/render-page.ts';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};
const round = (v: number, d = 0): number => Math.round(v * 10 ** d) / 10 ** d;

export interface Int8Page {
  fp32Ms: number;
  int8Ms: number;
  /** fp32 time / int8 time: above 1, int8 is faster. */
  int8Speedup: number;
  identical: boolean;
  firstDifference?: string;
  fp32Recall: number;
  int8Recall: number;
}

export async function int8Section(shots: Array<{ name: string; rgb: RgbImage; dom: DomWord[] }>, runs: number): Promise<Record<string, unknown>> {
  const fp32 = new OcrEngine({ precision: 'fp32', pipeline: { recCacheSize: 0 } });
  const int8 = new OcrEngine({ precision: 'int8-unverified', pipeline: { recCacheSize: 0 } });
  const t0 = performance.now();
  await int8.warmUp();
  const out: Record<string, unknown> = { int8LoadMs: round(performance.now() - t0) };
  try {
    for (const s of shots) {
      const verdict = await compareReaders(fp32, int8, [{ name: s.name, rgb: s.rgb }]);
      const times: Record<'fp32' | 'int8', number[]> = { fp32: [], int8: [] };
      const recall = { fp32: 0, int8: 0 };
      for (let i = 0; i < runs; i++) {
        for (const [name, engine] of [['fp32', fp32], ['int8', int8]] as const) {
          const t = performance.now();
          const r = await engine.recognize(s.rgb);
          times[name].push(performance.now() - t);
          if (r.reading?.precision !== name) throw new Error(`the ${name} engine ran ${r.reading?.precision}`);
          recall[name] = wordScores(s.dom, r.words).recall;
        }
      }
      const page: Int8Page = {
        fp32Ms: round(median(times.fp32)),
        int8Ms: round(median(times.int8)),
        int8Speedup: round(median(times.fp32) / median(times.int8), 2),
        identical: verdict.pass,
        ...(!verdict.pass && { firstDifference: verdict.why }),
        fp32Recall: round(recall.fp32, 3),
        int8Recall: round(recall.int8, 3),
      };
      out[s.name] = page;
    }
  } finally {
    await Promise.all([fp32.close(), int8.close()]);
  }
  // Why int8 is as fast as it is: the largest page's kernel time, by what it does.
  const largest = shots.reduce((a, b) => (b.rgb.width * b.rgb.height > a.rgb.width * a.rgb.height ? b : a));
  out.profile = { page: largest.name, ...(await int8Profile(largest.rgb)) };
  // What this machine runs by default, and what the gate says of int8 here.
  const auto = new OcrEngine({ precision: 'auto' });
  const gated = new OcrEngine({ precision: 'int8' });
  try {
    out.auto = await auto.precision();
    out.gate = await gated.precision();
  } finally {
    await Promise.all([auto.close(), gated.close()]);
  }
  return out;
}

export function printInt8(r: Record<string, unknown>, pages: readonly string[]): void {
  console.log(`int8 vs fp32 (forced int8, interleaved runs; int8 models loaded in ${r.int8LoadMs} ms):`);
  for (const name of pages) {
    const p = r[name] as Int8Page | undefined;
    if (!p) continue;
    console.log(
      `  ${name}: fp32 ${p.fp32Ms} ms, int8 ${p.int8Ms} ms (fp32/int8 ×${p.int8Speedup}); recall fp32 ${p.fp32Recall}, int8 ${p.int8Recall}; ${p.identical ? 'identical lines and words' : `differs: ${p.firstDifference}`}`,
    );
  }
  const profile = r.profile as (Int8Profile & { page: string }) | undefined;
  if (profile) printInt8Profile(profile.page, profile);
  const auto = r.auto as { precision: string; why: string };
  const gate = r.gate as { precision: string; why: string };
  console.log(`  default (auto) here: ${auto.precision}: ${auto.why}`);
  console.log(`  precision=int8 here: ${gate.precision}: ${gate.why}`);
}
