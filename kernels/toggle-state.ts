import type { GrayImage } from './gray.ts';

/**
 * Whether a checkbox (or radio button) is ticked, from its pixels: the share of its inside that
 * differs from the page around it. An empty box shows the page's own level inside its border; a
 * ticked one is filled with an accent colour or holds a check mark or dot. The inside is the box
 * inset by a quarter of its size on each side (clear of the border and its anti-aliasing), the
 * page level the mean of a one-pixel ring two pixels outside the box.
 */

/** Levels (0..255) by which an inside pixel must differ from the page to count as ink. */
export const TICK_INK_LEVELS = 48;
/** Share of the inside that must be ink for the box to count as ticked. */
export const TICKED_SHARE = 0.2;

type Box = readonly [number, number, number, number];

/** Share of the box's inside that differs from the ring around it by more than TICK_INK_LEVELS. No allocation. */
export function tickInk(img: GrayImage, box: Box): number {
  const { data, width, height } = img;
  const x1 = Math.round(box[0]);
  const y1 = Math.round(box[1]);
  const x2 = Math.round(box[2]);
  const y2 = Math.round(box[3]);
  // The ring: two pixels outside, clipped to the image.
  const rx1 = Math.max(0, x1 - 2);
  const ry1 = Math.max(0, y1 - 2);
  const rx2 = Math.min(width - 1, x2 + 1);
  const ry2 = Math.min(height - 1, y2 + 1);
  let ringSum = 0;
  let ringN = 0;
  for (let x = rx1; x <= rx2; x++) {
    ringSum += data[ry1 * width + x] + data[ry2 * width + x];
    ringN += 2;
  }
  for (let y = ry1 + 1; y < ry2; y++) {
    ringSum += data[y * width + rx1] + data[y * width + rx2];
    ringN += 2;
  }
  if (!ringN) return 0;
  const page = ringSum / ringN;
  const iw = x2 - x1;
  const ih = y2 - y1;
  const ix1 = Math.max(0, x1 + Math.round(iw / 4));
  const iy1 = Math.max(0, y1 + Math.round(ih / 4));
  const ix2 = Math.min(width, x2 - Math.round(iw / 4));
  const iy2 = Math.min(height, y2 - Math.round(ih / 4));
  let ink = 0;
  let n = 0;
  for (let y = iy1; y < iy2; y++) {
    for (let x = ix1, i = y * width + ix1; x < ix2; x++, i++) {
      const d = data[i] - page;
      if (d > TICK_INK_LEVELS || d < -TICK_INK_LEVELS) ink++;
      n++;
    }
  }
  return n ? ink / n : 0;
}

export function isTicked(img: GrayImage, box: Box): boolean {
  return tickInk(img, box) >= TICKED_SHARE;
}
