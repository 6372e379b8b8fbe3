/**
 * Where int8 time goes (issue #23: "or the note shows why not"). One profiled read of a page per
 * precision, after a warm-up read, with onnxruntime's node timings summed by what they do:
 *
 * - convolutions: fp32 Conv/FusedConv (their activation fused in), int8 QLinearConv plus the convs
 *   left in fp32 (the first and last of each model);
 * - quantize/dequantize: the QuantizeLinear/DequantizeLinear nodes around each int8 conv;
 * - activations: HardSigmoid and Mul, which fp32 runs inside the conv and int8 runs on their own
 *   between a DequantizeLinear and a QuantizeLinear (hard-swish has no quantized kernel);
 * - the rest (pooling, resize, matmuls, layout reorders).
 *
 * `bestSpeedup` is what int8 would give if quantizing and the unfused activations cost nothing:
 * the fp32 kernel time with its convolutions replaced by the int8 ones. When it is below a
 * target, no tuning of the Q/DQ placement reaches that target on this CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import type { RgbImage } from '../../src/core/frame.ts';
import { readProfiles } from './ort-profile.ts';

const GROUPS = ['convolutions', 'quantize/dequantize', 'activations', 'rest'] as const;
type Group = (typeof GROUPS)[number];
export type KernelTimes = Record<Group, number> & { total: number };

function groupOf(op: string): Group {
  if (op === 'Conv' || op === 'FusedConv' || op === 'QLinearConv') return 'convolutions';
  if (op === 'QuantizeLinear' || op === 'DequantizeLinear') return 'quantize/dequantize';
  if (op === 'HardSigmoid' || op === 'Mul' || op === 'HardSwish') return 'activations';
  return 'rest';
}

const round = (v: number, d = 0): number => Math.round(v * 10 ** d) / 10 ** d;

/** Kernel time of the second read of `rgb` (the first warms up), both models, by group. */
async function profiledRead(rgb: RgbImage, precision: 'fp32' | 'int8-unverified'): Promise<KernelTimes> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handeye-int8-profile-'));
  const engine = new OcrEngine({ precision, pipeline: { recCacheSize: 0 }, profileDir: dir });
  try {
    await engine.recognize(rgb);
    await engine.recognize(rgb);
    await engine.close();
    const times: KernelTimes = { convolutions: 0, 'quantize/dequantize': 0, activations: 0, rest: 0, total: 0 };
    for (const events of readProfiles(dir).values()) {
      // The two reads run the same model calls (same image, no recognition cache): the second half is the second read.
      const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
      const from = runs[runs.length >> 1]?.ts ?? Infinity;
      for (const e of events) {
        if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < from) continue;
        const ms = e.dur / 1000;
        times[groupOf(e.args?.op_name ?? '')] += ms;
        times.total += ms;
      }
    }
    return times;
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Int8Profile {
  fp32: KernelTimes;
  int8: KernelTimes;
  /** fp32 kernel time / (fp32 kernel time − fp32 convolutions + int8 convolutions). */
  bestSpeedup: number;
}

export async function int8Profile(rgb: RgbImage): Promise<Int8Profile> {
  const fp32 = await profiledRead(rgb, 'fp32');
  const int8 = await profiledRead(rgb, 'int8-unverified');
  const rounded = (t: KernelTimes) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round(v)])) as KernelTimes;
  return { fp32: rounded(fp32), int8: rounded(int8), bestSpeedup: round(fp32.total / (fp32.total - fp32.convolutions + int8.convolutions), 2) };
}

export function printInt8Profile(name: string, p: Int8Profile): void {
  const row = (t: KernelTimes) => GROUPS.map((g) => `${g} ${t[g]}`).join(', ');
  console.log(`  where the time goes on ${name} (onnxruntime kernel ms, both models, one read each):`);
  console.log(`    fp32: ${p.fp32.total} = ${row(p.fp32)}`);
  console.log(`    int8: ${p.int8.total} = ${row(p.int8)}`);
  console.log(
    `    int8 convolutions ×${round(p.fp32.convolutions / Math.max(1, p.int8.convolutions), 2)} the fp32 ones; with free quantize/dequantize and activations, int8 would read at most ×${p.bestSpeedup} faster`,
  );
}
