import { describe, expect, it } from 'vitest';
import { cpuInt8Units, int8UnitsOf, ocrPrecision, precisionSetting } from '../../../../agents/embedded/ocr/cpu-features.ts';

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

  it('tries int8 only where the CPU has VNNI or AMX (auto), and says why', () => {
    const avx2 = int8UnitsOf(info('avx2'));
    const vnni = int8UnitsOf(info('avx2 avx512f avx512_vnni'));
    const amx = int8UnitsOf(info('avx2 avx512f avx512_vnni amx_tile amx_int8'));
    expect(ocrPrecision(avx2, 'auto')).toMatchObject({ precision: 'fp32', verify: false, why: expect.stringMatching(/no VNNI or AMX \(AVX2\)/) });
    expect(ocrPrecision(int8UnitsOf(info('avx2 avx512f')), 'auto')).toMatchObject({ precision: 'fp32', why: expect.stringMatching(/\(AVX-512\)/) });
    // Auto follows the verdict noted on the machine; it never builds and compares on its own.
    expect(ocrPrecision(vnni, 'auto')).toMatchObject({ precision: 'int8', verify: true, followNoted: true, why: expect.stringMatching(/has VNNI:/) });
    expect(ocrPrecision(vnni, 'int8').followNoted).toBeUndefined();
    expect(ocrPrecision(int8UnitsOf(info('avx2 avx_vnni')), 'auto')).toMatchObject({ precision: 'int8', verify: true });
    expect(ocrPrecision(amx, 'auto')).toMatchObject({ precision: 'int8', verify: true, why: expect.stringMatching(/VNNI \+ AMX/) });
  });

  it('follows the override, still gated unless int8-unverified', () => {
    const avx2 = int8UnitsOf(info('avx2'));
    const amx = int8UnitsOf(info('avx2 avx512f avx512_vnni amx_tile amx_int8'));
    expect(ocrPrecision(amx, 'fp32')).toMatchObject({ precision: 'fp32', verify: false });
    expect(ocrPrecision(avx2, 'int8')).toMatchObject({ precision: 'int8', verify: true, why: expect.stringMatching(/without VNNI or AMX \(AVX2\)/) });
    expect(ocrPrecision(avx2, 'int8-unverified')).toMatchObject({ precision: 'int8', verify: false });
    expect(precisionSetting({})).toBe('auto');
    expect(precisionSetting({ HANDEYE_OCR_PRECISION: 'int8' })).toBe('int8');
    expect(precisionSetting({ HANDEYE_OCR_PRECISION: ' fp32 ' })).toBe('fp32');
    expect(() => precisionSetting({ HANDEYE_OCR_PRECISION: 'fast' })).toThrow(/HANDEYE_OCR_PRECISION=fast: expected one of auto, fp32, int8, int8-unverified/);
    // This machine: whatever it has, the answer names it, and auto tries int8 exactly when it has VNNI or AMX.
    const here = cpuInt8Units();
    expect(here.model.length).toBeGreaterThan(0);
    expect(ocrPrecision(here, 'auto').precision).toBe(here.vnni || here.amx ? 'int8' : 'fp32');
  });
});
