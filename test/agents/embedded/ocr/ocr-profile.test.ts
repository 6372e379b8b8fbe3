import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultModelPaths, loadOcrModels } from '../../../../agents/embedded/ocr/ocr-models.ts';
import { classifyNode, readProfiles, summarizeEvents } from '../../../bench/ort-profile.ts';

const dirs: string[] = [];
const profileDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'handeye-profile-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const recInput = (n: number, w: number): [Float32Array, number[]] => [new Float32Array(n * 3 * 48 * w).fill(0.5), [n, 3, 48, w]];

describe('onnxruntime profiles of the OCR models', () => {
  it('records every run, and the dense convolutions of the recognizer scale with its input columns', async () => {
    // A directory that does not exist yet is made.
    const dir = join(profileDir(), 'nested', 'profiles');
    const models = await loadOcrModels(defaultModelPaths(), 2, { profileDir: dir });
    for (const [n, w] of [[1, 320], [2, 320], [1, 640]]) await models.rec.run(...recInput(n, w));
    await models.det.run(new Float32Array(3 * 64 * 96).fill(0.2), [1, 3, 64, 96]);
    await models.release();

    const profiles = readProfiles(dir);
    expect([...profiles.keys()].sort()).toEqual(['det', 'rec']);
    const rec = profiles.get('rec')!;
    expect(summarizeEvents(rec).runs).toBe(3);
    expect(summarizeEvents(profiles.get('det')!).runs).toBe(1);
    // Each run alone: skip the ones before it, subtract the ones after it.
    const from = [0, 1, 2, 3].map((k) => summarizeEvents(rec, k));
    const conv = (k: number): number => from[k].kinds.conv.gflop - from[k + 1].kinds.conv.gflop;
    expect(from[3].runs).toBe(0);
    expect(conv(0)).toBeGreaterThan(0.5);
    // Convolutions are per column: a batch of 2 x 320 is exactly twice 1 x 320, and 1 x 640
    // columns the same work but for a few border columns of the strided layers.
    expect(conv(1)).toBeCloseTo(2 * conv(0), 6);
    expect(Math.abs(conv(2) / conv(1) - 1)).toBeLessThan(1e-3);
    // The recognizer has depthwise convolutions, attention matmuls and the rest too.
    expect(from[0].kinds.depthwise.nodes).toBeGreaterThan(0);
    expect(from[0].kinds.matmul.gflop).toBeGreaterThan(0);
    expect(from[0].kinds.other.ms).toBeGreaterThan(0);
  }, 60_000);

  it('writes a profile per worker session when the models run on workers', async () => {
    const dir = profileDir();
    const models = await loadOcrModels(defaultModelPaths(), 2, { profileDir: dir, recWorkers: 2 });
    await Promise.all([models.rec.run(...recInput(1, 128)), models.rec.run(...recInput(1, 128))]);
    await models.release();
    const profiles = readProfiles(dir);
    expect([...profiles.keys()].sort()).toEqual(['det', 'rec-w0', 'rec-w1']);
    const runs = ['rec-w0', 'rec-w1'].map((k) => summarizeEvents(profiles.get(k)!).runs);
    expect(runs[0] + runs[1]).toBe(2);
  }, 60_000);

  it('names a profile directory it cannot create', async () => {
    const file = join(profileDir(), 'a-file');
    writeFileSync(file, '');
    await expect(loadOcrModels(defaultModelPaths(), 2, { profileDir: join(file, 'profiles') })).rejects.toThrow(
      /cannot create the profile directory .*a-file\/profiles/,
    );
  });
});

describe('classifyNode', () => {
  const conv = (w: number[], out: number[]) => ({
    cat: 'Node',
    name: 'c_kernel_time',
    ts: 0,
    dur: 1000,
    args: { op_name: 'Conv', input_type_shape: [{ float: [1, 8, 4, 4] }, { float: w }], output_type_shape: [{ float: out }] },
  });
  it('counts two operations per multiply-add and tells depthwise convolutions apart', () => {
    expect(classifyNode(conv([16, 8, 3, 3], [1, 16, 4, 4]))).toEqual({ kind: 'conv', flop: 2 * 16 * 16 * 8 * 9 });
    expect(classifyNode(conv([8, 1, 3, 3], [1, 8, 4, 4]))).toEqual({ kind: 'depthwise', flop: 2 * 8 * 16 * 9 });
    const matmul = { ...conv([0], [0]), args: { op_name: 'MatMul', input_type_shape: [{ float: [2, 5, 6] }, { float: [6, 7] }] } };
    expect(classifyNode(matmul)).toEqual({ kind: 'matmul', flop: 2 * 2 * 5 * 6 * 7 });
    expect(classifyNode({ ...matmul, args: { op_name: 'Softmax' } })).toEqual({ kind: 'other', flop: 0 });
  });
});
