import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../kernels/gray.ts';
import { findSliderTrack } from '../../kernels/slider-track.ts';

function page(width: number, height: number, level: number): GrayImage {
  return { width, height, data: new Uint8Array(width * height).fill(level) };
}
function fill(img: GrayImage, [x1, y1, x2, y2]: [number, number, number, number], level: number): void {
  for (let y = y1; y < y2; y++) img.data.fill(level, y * img.width + x1, y * img.width + x2);
}

describe('findSliderTrack', () => {
  it('finds a bar and the filled thumb on it, whatever the two parts of the bar look like', () => {
    const img = page(400, 60, 255);
    fill(img, [50, 28, 130, 34], 40); // the filled part
    fill(img, [130, 28, 350, 34], 225); // the empty part: light grey, only 30 levels off white
    fill(img, [122, 22, 138, 40], 60); // a 16 px knob at 130
    expect(findSliderTrack(img, [0, 0, 400, 60], 80)).toEqual({ track: [50, 28, 350, 34], thumb: [122, 22, 138, 40] });
  });

  it('joins a bar split by a hollow thumb, and finds the thumb by its rim', () => {
    const img = page(400, 60, 255);
    fill(img, [50, 28, 350, 34], 120);
    // A ring: 20 px across, 2 px rim, white inside (it hides the bar).
    fill(img, [190, 21, 210, 41], 30);
    fill(img, [192, 23, 208, 39], 255);
    const r = findSliderTrack(img, [0, 0, 400, 60], 80);
    expect(r?.track).toEqual([50, 28, 350, 34]);
    expect(r?.thumb?.[0]).toBe(190);
    expect(r?.thumb?.[2]).toBe(210);
  });

  it('takes no line of text, no 1 px divider and no tall box for a track', () => {
    const img = page(400, 90, 255);
    // "Text": strokes 2 px wide every 5 px on rows 10..22.
    for (let x = 40; x < 360; x += 5) fill(img, [x, 10, x + 2, 22], 30);
    fill(img, [20, 40, 380, 41], 200); // a divider
    fill(img, [20, 55, 380, 85], 235); // an input box
    expect(findSliderTrack(img, [0, 0, 400, 90], 80)).toBeUndefined();
  });

  it('works on a dark page, and at DPR 2', () => {
    const img = page(800, 120, 30);
    fill(img, [100, 56, 700, 68], 120);
    fill(img, [380, 44, 412, 80], 230);
    expect(findSliderTrack(img, [0, 0, 800, 120], 160, 2)).toEqual({ track: [100, 56, 700, 68], thumb: [380, 44, 412, 80] });
  });
});
