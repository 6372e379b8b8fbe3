import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The CPU's int8 dot-product units: what a quantized OCR model would run fast on. */
export interface CpuInt8Units {
  model: string;
  avx2: boolean;
  avx512: boolean;
  /** AVX-512 VNNI or AVX-VNNI: int8 multiply-accumulate in one instruction. */
  vnni: boolean;
  /** Intel AMX tiles with int8 (Sapphire Rapids and later). */
  amx: boolean;
}

/** Reads the flags of a /proc/cpuinfo text (the first processor's). */
export function int8UnitsOf(cpuinfo: string, model = ''): CpuInt8Units {
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '').split(/\s+/));
  return {
    model: model || (/^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown CPU').trim(),
    avx2: flags.has('avx2'),
    avx512: flags.has('avx512f'),
    vnni: flags.has('avx512_vnni') || flags.has('avx_vnni'),
    amx: flags.has('amx_int8') && flags.has('amx_tile'),
  };
}

let cached: CpuInt8Units | undefined;

/** This machine's units (Linux: from /proc/cpuinfo; elsewhere none are claimed). */
export function cpuInt8Units(): CpuInt8Units {
  if (cached) return cached;
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // Not Linux: the flags are unknown, so no int8 unit is assumed.
  }
  cached = int8UnitsOf(text, cpus()[0]?.model);
  return cached;
}

/**
 * How to choose the OCR models' precision: `auto` (int8 where the CPU has VNNI or AMX and the
 * int8 models pass the gate, int8-models.ts), `fp32`, `int8` (int8 on any CPU, still gated: for
 * measuring it where auto would not try it), `int8-unverified` (int8 without the gate: the gate
 * itself, and measurements of a quantization the gate rejects).
 */
export type OcrPrecisionSetting = 'auto' | 'fp32' | 'int8' | 'int8-unverified';
const SETTINGS: readonly OcrPrecisionSetting[] = ['auto', 'fp32', 'int8', 'int8-unverified'];

/** The setting from $HANDEYE_OCR_PRECISION (default auto); an unknown value is an error, not a silent auto. */
export function precisionSetting(env: NodeJS.ProcessEnv = process.env): OcrPrecisionSetting {
  const v = env.HANDEYE_OCR_PRECISION?.trim();
  if (!v) return 'auto';
  if ((SETTINGS as readonly string[]).includes(v)) return v as OcrPrecisionSetting;
  throw new Error(`HANDEYE_OCR_PRECISION=${v}: expected one of ${SETTINGS.join(', ')}`);
}

export interface PrecisionChoice {
  /** What to try: int8 is used only if its models build (and, when `verify`, pass the gate). */
  precision: 'fp32' | 'int8';
  verify: boolean;
  /**
   * Follow the verdict the gate noted on this machine, and measure nothing (auto): building and
   * comparing the int8 models takes about a minute, which no run should pay unasked. Without a
   * noted verdict, fp32.
   */
  followNoted?: boolean;
  why: string;
}

/**
 * The precision to try for the OCR models on a CPU, and why. With VNNI (u8×s8 dot products in
 * one instruction) or AMX, int8 convolutions can run several times faster than fp32, so auto
 * tries int8 there, gated (int8-models.ts). Without them (AVX2 only) onnxruntime's int8 path
 * measured slower than fp32 on the whole models (README, "OCR speed and memory"): the
 * quantize/dequantize around every fp32 activation outweighs the ~2x of int8 GEMMs, so auto
 * keeps fp32. On a VNNI + AMX Xeon it measured slower too (×0.7), and the gate's speed check
 * keeps fp32 there. What actually ran is OcrModels.precision /
 * OcrResult.reading.precision.
 */
export function ocrPrecision(units = cpuInt8Units(), setting: OcrPrecisionSetting = precisionSetting()): PrecisionChoice {
  const has = [units.vnni && 'VNNI', units.amx && 'AMX'].filter(Boolean).join(' + ');
  const isa = units.avx512 ? 'AVX-512' : units.avx2 ? 'AVX2' : 'no AVX2';
  switch (setting) {
    case 'fp32':
      return { precision: 'fp32', verify: false, why: 'fp32 asked for (HANDEYE_OCR_PRECISION / precision option)' };
    case 'int8':
      return { precision: 'int8', verify: true, why: `int8 asked for on ${has ? `a CPU with ${has}` : `a CPU without VNNI or AMX (${isa})`}, if it matches fp32 on the bench pages and reads faster` };
    case 'int8-unverified':
      return { precision: 'int8', verify: false, why: 'int8 asked for without the fp32 comparison (int8-unverified)' };
    default:
      return has
        ? { precision: 'int8', verify: true, followNoted: true, why: `this CPU has ${has}: int8, if it matched fp32 on the bench pages here and read faster` }
        : { precision: 'fp32', verify: false, why: `this CPU has no VNNI or AMX (${isa}): int8 measured slower than fp32 there` };
  }
}
