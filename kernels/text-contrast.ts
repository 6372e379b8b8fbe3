import type { GrayImage } from './gray.ts';
import { clampBox, modeLevel, type Box } from './field-detect.ts';

/**
 * How far a text's ink stands from its background, 0..255: the background is the box's most
 * common level, the ink the level 90% of the way from it to the farthest pixel. Placeholders
 * and disabled labels are drawn in a lighter ink than the page's text.
 */
export function textContrast(img: GrayImage, box: Box): number {
  const [x1, y1, x2, y2] = clampBox(img, box);
  if (x2 - x1 < 1 || y2 - y1 < 1) return 0;
  const bg = modeLevel(img, [x1, y1, x2, y2]);
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = y1; y < y2; y++) {
    const row = y * img.width;
    for (let x = x1; x < x2; x++) {
      const d = img.data[row + x] - bg;
      const a = d < 0 ? -d : d;
      if (a > 16) {
        hist[a]++;
        n++;
      }
    }
  }
  if (!n) return 0;
  // The 90th percentile of ink distance: anti-aliased edges pull the mean down, one dark pixel should not decide.
  let seen = 0;
  for (let a = 0; a < 256; a++) {
    seen += hist[a];
    if (seen >= 0.9 * n) return a;
  }
  return 255;
}
