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
 * The precision the OCR models run at, and why. Only fp32 models exist so far; int8 is worth
 * building (and checking against fp32 on the bench) only on a CPU with VNNI or AMX.
 */
export function ocrPrecision(units = cpuInt8Units()): { precision: 'fp32'; why: string } {
  const has = [units.vnni && 'VNNI', units.amx && 'AMX'].filter(Boolean).join(' + ');
  return {
    precision: 'fp32',
    why: has ? `this CPU has ${has}, but no int8 models are built yet` : `this CPU has no VNNI or AMX (${units.avx512 ? 'AVX-512' : units.avx2 ? 'AVX2' : 'no AVX2'}): int8 would not pay`,
  };
}
