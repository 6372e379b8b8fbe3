import { describe, expect, it } from 'vitest';
import { fillDetInput } from '../../kernels/ocr/det-input.ts';
import { fillRecInput, recBucketWidth, recGeometry, REC_HEIGHT } from '../../kernels/ocr/rec-input.ts';

// The obvious bilinear sample, one pixel and one channel at a time, clamped at the edges.
function sample(rgb: Uint8Array, w: number, h: number, sx: number, sy: number, c: number): number {
  sx = Math.min(w - 1, Math.max(0, sx));
  sy = Math.min(h - 1, Math.max(0, sy));
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = sx - x0;
  const fy = sy - y0;
  const at = (x: number, y: number) => rgb[(y * w + x) * 3 + c];
  return at(x0, y0) * (1 - fx) * (1 - fy) + at(x1, y0) * fx * (1 - fy) + at(x0, y1) * (1 - fx) * fy + at(x1, y1) * fx * fy;
}

function noise(w: number, h: number): Uint8Array {
  return Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 2654435761) >>> 24);
}

describe('bilinear resampling shared by the OCR inputs', () => {
  it('the detector input at a fractional scale is the obvious bilinear sample, normalized', () => {
    const [w, h] = [53, 41];
    const rgb = noise(w, h);
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    for (const scale of [0.7, 1.6]) {
      const region = { x: 5, y: 3, width: 40, height: 30 };
      const out = new Float32Array(3 * region.width * region.height);
      fillDetInput(rgb, w, h, region, scale, out);
      for (let c = 0; c < 3; c++) {
        for (let y = 0; y < region.height; y++) {
          for (let x = 0; x < region.width; x++) {
            const v = sample(rgb, w, h, (region.x + x + 0.5) / scale - 0.5, (region.y + y + 0.5) / scale - 0.5, c);
            expect(out[c * region.width * region.height + y * region.width + x]).toBeCloseTo((v / 255 - mean[c]) / std[c], 4);
          }
        }
      }
    }
  });

  it('the recognizer input is the obvious bilinear sample of the crop in [-1, 1], padded', () => {
    const [w, h] = [120, 30];
    const rgb = noise(w, h);
    const box = { x1: 7.5, y1: 4, x2: 101, y2: 21 };
    const g = recGeometry(box, 2);
    const bw = recBucketWidth(g.contentWidth);
    const out = new Float32Array(3 * REC_HEIGHT * bw);
    fillRecInput(rgb, w, h, box, g, [10, 20, 30], bw, out, 0);
    const sxScale = (box.x2 - box.x1) / g.contentWidth;
    const syScale = (box.y2 - box.y1) / g.contentHeight;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < REC_HEIGHT; y++) {
        for (let x = 0; x < bw; x++) {
          const cy = y - g.top;
          let want: number;
          if (x >= g.contentWidth) want = 0;
          else if (cy < 0 || cy >= g.contentHeight) want = [10, 20, 30][c] / 127.5 - 1;
          else want = sample(rgb, w, h, box.x1 + (x + 0.5) * sxScale - 0.5, box.y1 + (cy + 0.5) * syScale - 0.5, c) / 127.5 - 1;
          expect(out[c * REC_HEIGHT * bw + y * bw + x]).toBeCloseTo(want, 5);
        }
      }
    }
  });
});
