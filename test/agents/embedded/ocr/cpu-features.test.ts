import { describe, expect, it } from 'vitest';
import { cpuInt8Units, int8UnitsOf, ocrPrecision } from '../../../../agents/embedded/ocr/cpu-features.ts';

/** Which int8 units a CPU has, read from /proc/cpuinfo flags as Linux prints them. */

const info = (flags: string) => `processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: ${flags}\n\nprocessor\t: 1\nflags\t\t: fpu\n`;

describe('CPU int8 units', () => {
  it('tells AVX2 only, AVX-512 with VNNI, AVX-VNNI, and AMX apart', () => {
    expect(int8UnitsOf(info('fpu sse4_2 avx avx2 fma'))).toMatchObject({ model: 'Test CPU', avx2: true, avx512: false, vnni: false, amx: false });
    expect(int8UnitsOf(info('avx2 avx512f avx512_vnni'))).toMatchObject({ avx512: true, vnni: true, amx: false });
    expect(int8UnitsOf(info('avx2 avx_vnni'))).toMatchObject({ avx512: false, vnni: true });
    expect(int8UnitsOf(info('avx2 avx512f avx512_vnni amx_tile amx_int8 amx_bf16'))).toMatchObject({ vnni: true, amx: true });
    expect(int8UnitsOf(info('avx2 amx_tile'))).toMatchObject({ amx: false });
  });

  it('keeps fp32 and says why', () => {
    expect(ocrPrecision(int8UnitsOf(info('avx2'))).why).toMatch(/no VNNI or AMX \(AVX2\)/);
    expect(ocrPrecision(int8UnitsOf(info('avx2 avx512f avx512_vnni amx_tile amx_int8'))).why).toMatch(/has VNNI \+ AMX, but no int8 models/);
    // This machine: whatever it has, the answer names it.
    const here = cpuInt8Units();
    expect(here.model.length).toBeGreaterThan(0);
    expect(ocrPrecision(here).precision).toBe('fp32');
  });
});
