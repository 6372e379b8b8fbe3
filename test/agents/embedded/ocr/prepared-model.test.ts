import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discard, modelCacheDir, prepareModel } from '../../../../agents/embedded/ocr/prepared-model.ts';
import { defaultModelPaths, loadOcrModels } from '../../../../agents/embedded/ocr/ocr-models.ts';
import { OnnxGraph } from '../../../../agents/embedded/ocr/onnx-graph.ts';
import { foldGraph } from '../../../../agents/embedded/ocr/fold-graph.ts';
import { GREEDY_OUTPUTS } from '../../../../agents/embedded/ocr/rec-head.ts';

const paths = defaultModelPaths();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handeye-cache-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

let builds = 0;
function foldDetection(source: Uint8Array) {
  builds++;
  const graph = new OnnxGraph(source);
  const counts = foldGraph(graph);
  return { bytes: graph.encode(), meta: { convAffine: counts.convAffine } };
}

describe('prepared models', () => {
  it('builds a model once and reads it back from the cache after that', async () => {
    const source = readFileSync(paths.detection);
    builds = 0;
    const first = await prepareModel({ path: paths.detection, source, recipe: 'fold', build: foldDetection, cacheDir: dir });
    expect(first.cached).toBe(false);
    expect(builds).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([expect.stringMatching(/^ch_PP-OCRv4_det_infer\.fold\.[0-9a-f]{24}\.json$/), expect.stringMatching(/\.onnx$/)]);
    const second = await prepareModel({ path: paths.detection, source, recipe: 'fold', build: foldDetection, cacheDir: dir });
    expect(second.cached).toBe(true);
    expect(builds).toBe(1);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.meta).toEqual({ convAffine: first.meta.convAffine });
    expect(first.meta.convAffine).toBeGreaterThan(0);
  });

  it('keys entries by the source bytes: a changed model is rebuilt and its stale entry removed', async () => {
    const source = readFileSync(paths.detection);
    const a = await prepareModel({ path: paths.detection, source, recipe: 'fold', build: foldDetection, cacheDir: dir });
    const changed = Buffer.from(source);
    changed[changed.length - 1] ^= 1; // the last byte of the opset version's varint: still parses
    builds = 0;
    const b = await prepareModel({ path: paths.detection, source: changed, recipe: 'fold', build: foldDetection, cacheDir: dir });
    expect(b.cached).toBe(false);
    expect(builds).toBe(1);
    expect(b.entry).not.toBe(a.entry);
    expect(existsSync(`${a.entry}.onnx`)).toBe(false);
    expect(existsSync(`${b.entry}.onnx`)).toBe(true);
  });

  it('works without a writable cache, and without a cache', async () => {
    const source = readFileSync(paths.detection);
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, 'x');
    const r = await prepareModel({ path: paths.detection, source, recipe: 'fold', build: foldDetection, cacheDir: join(blocked, 'models') });
    expect(r.cached).toBe(false);
    expect(r.bytes.length).toBeGreaterThan(1000);
    const none = await prepareModel({ path: paths.detection, source, recipe: 'fold', build: foldDetection });
    expect(none.cached).toBe(false);
    expect(none.entry).toBeUndefined();
    await discard(none);
  });

  it('finds its directory from the environment', () => {
    expect(modelCacheDir({ HANDEYE_CACHE_DIR: '/x/y' })).toBe('/x/y/models');
    expect(modelCacheDir({ HANDEYE_CACHE_DIR: 'off' })).toBeUndefined();
    expect(modelCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/handeye/models');
    expect(modelCacheDir({})).toMatch(/\.cache\/handeye\/models$/);
  });

  it('loads the models again when a cached entry is damaged, and rebuilds it on the next load', async () => {
    const before = process.env.HANDEYE_CACHE_DIR;
    process.env.HANDEYE_CACHE_DIR = dir;
    try {
      const first = await loadOcrModels(paths, 1);
      await first.release();
      const models = join(dir, 'models');
      const rec = readdirSync(models).find((f) => f.startsWith('ch_PP-OCRv4_rec_infer') && f.endsWith('.onnx'))!;
      writeFileSync(join(models, rec), 'damaged');
      const again = await loadOcrModels(paths, 1);
      const out = await again.rec.run(new Float32Array(3 * 48 * 64), [1, 3, 48, 64]);
      expect(out[GREEDY_OUTPUTS.classes].dims).toEqual([1, 8]);
      await again.release();
      expect(existsSync(join(models, rec))).toBe(false);
      const third = await loadOcrModels(paths, 1);
      await third.release();
      expect(readFileSync(join(models, rec)).length).toBeGreaterThan(1_000_000);
    } finally {
      if (before === undefined) delete process.env.HANDEYE_CACHE_DIR;
      else process.env.HANDEYE_CACHE_DIR = before;
    }
  }, 60_000);
});
