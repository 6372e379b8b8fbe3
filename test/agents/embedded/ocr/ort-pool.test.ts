import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrEngine } from '../../../../agents/embedded/ocr/ocr-engine.ts';
import { defaultModelPaths, loadOcrModels } from '../../../../agents/embedded/ocr/ocr-models.ts';
import { startWorkerPool, type WorkerPool } from '../../../../agents/embedded/ocr/ort-pool.ts';
import type { RgbImage } from '../../../../src/core/frame.ts';
import { PageRenderer, screenshotRgb } from './render-page.ts';

let page: RgbImage;
beforeAll(async () => {
  const renderer = await PageRenderer.start();
  try {
    const p = await renderer.open(readFileSync(new URL('../../../fixtures/ocr/widgets.html', import.meta.url), 'utf8'), { width: 1280, height: 720 }, 1);
    page = (await screenshotRgb(p)).rgb;
  } finally {
    await renderer.close();
  }
}, 60_000);

describe('OCR on worker threads', () => {
  it('reads a page as the calling thread does, with recognition spread over two workers', async () => {
    const here = new OcrEngine({ recognizerWorkers: 0, pipeline: { recCacheSize: 0 } });
    const pooled = new OcrEngine({ recognizerWorkers: 2, pipeline: { recCacheSize: 0 } });
    try {
      const a = await here.recognize(page);
      const b = await pooled.recognize(page);
      expect(a.words.length).toBeGreaterThan(10);
      expect(b.words.map((w) => [w.text, w.box])).toEqual(a.words.map((w) => [w.text, w.box]));
      // Incremental OCR on the workers equals a full pass too.
      const again = await pooled.recognizeIncremental({ image: page, result: b }, page);
      expect(again.words.map((w) => w.text)).toEqual(b.words.map((w) => w.text));
    } finally {
      await here.close();
      await pooled.close();
    }
  }, 60_000);

  it('names the model file a worker cannot load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handeye-pool-'));
    try {
      const detection = join(dir, 'det.onnx');
      writeFileSync(detection, 'not a model');
      const err = await loadOcrModels({ ...defaultModelPaths(), detection }, 1, { fold: false, recWorkers: 1 }).catch((e) => e);
      expect(err).toMatchObject({ name: 'OcrError', code: 'model-load' });
      expect(err.message).toContain(`detection model ${detection}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  describe('the pool', () => {
    let pool: WorkerPool;
    beforeAll(async () => {
      pool = await startWorkerPool([
        [{ name: 'det', source: { file: defaultModelPaths().detection }, options: { intraOpNumThreads: 1 } }],
        [{ name: 'det', source: { bytes: readFileSync(defaultModelPaths().detection) }, options: { intraOpNumThreads: 1 } }],
      ]);
    }, 60_000);
    afterAll(async () => {
      await pool?.release();
    });

    it('runs a model on either worker, from a file or from bytes', async () => {
      const runs = await Promise.all([0, 1, 2].map(() => pool.run('det', new Float32Array(3 * 32 * 64), [1, 3, 32, 64])));
      for (const out of runs) expect(Object.values(out).map((t) => t.dims)).toEqual([[1, 1, 32, 64]]);
      expect(pool.count('det')).toBe(2);
    });

    it('rejects a bad input with what onnxruntime said, and keeps working', async () => {
      await expect(pool.run('det', new Float32Array(10), [1, 3, 32, 64])).rejects.toThrow(/size|shape|dimension|length/i);
      await expect(pool.run('rec', new Float32Array(3 * 48 * 32), [1, 3, 48, 32])).rejects.toThrow(/no OCR worker holds the rec model/);
      const out = await pool.run('det', new Float32Array(3 * 32 * 32), [1, 3, 32, 32]);
      expect(Object.values(out)[0].dims).toEqual([1, 1, 32, 32]);
    });

    it('refuses runs once released', async () => {
      const p = await startWorkerPool([[{ name: 'det', source: { file: defaultModelPaths().detection }, options: {} }]]);
      await p.release();
      await expect(p.run('det', new Float32Array(3 * 32 * 32), [1, 3, 32, 32])).rejects.toThrow(/released/);
    }, 30_000);
  });
});
