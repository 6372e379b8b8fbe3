/**
 * Gray images and the one RGB → gray conversion every kernel uses, so a frame has one gray: OCR's
 * region planning, template matching and control detection all see the same levels.
 */

export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** BT.601 luma weights in 8-bit fixed point; they sum to 256, so white stays 255. */
export const LUMA_R = 77;
export const LUMA_G = 150;
export const LUMA_B = 29;

/** Luma of `pixels` packed RGB (or RGBA, with channels = 4) pixels into `out`. No allocation. */
export function lumaInto(rgb: Uint8Array, pixels: number, out: Uint8Array, channels = 3): Uint8Array {
  for (let i = 0, p = 0; i < pixels; i++, p += channels) {
    out[i] = (rgb[p] * LUMA_R + rgb[p + 1] * LUMA_G + rgb[p + 2] * LUMA_B) >> 8;
  }
  return out;
}

/** A gray image of packed RGB or RGBA pixels. */
export function rgbToGray(rgb: Uint8Array, width: number, height: number, channels = 3): GrayImage {
  return { data: lumaInto(rgb, width * height, new Uint8Array(width * height), channels), width, height };
}
