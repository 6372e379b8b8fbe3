/**
 * Set-of-marks overlay: numbered boxes drawn over an RGB image, so that a model can answer
 * `Click [N]` instead of coordinates. Digits come from a built-in 3x5 bitmap font (no font
 * files, no text renderer), scaled by an integer factor. Draws in place; no allocation per pixel.
 */

export interface MarkRgb {
  /** 3 bytes per pixel, row-major. */
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Mark {
  /** [x1, y1, x2, y2] in pixels of the image drawn on (x2/y2 exclusive). */
  box: [number, number, number, number];
  label: number;
}

export interface MarkStyle {
  /** Pixel size of one font cell; digits are 3x5 cells. */
  fontScale: number;
  /** Outline thickness in pixels. */
  thickness: number;
}

export const DEFAULT_MARK_STYLE: MarkStyle = { fontScale: 2, thickness: 2 };

/** Saturated colours that stay readable under white digits. */
export const MARK_PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [220, 20, 60],
  [0, 90, 200],
  [0, 140, 60],
  [150, 40, 180],
  [210, 100, 0],
  [0, 130, 140],
];

/** 3x5 glyphs, one 3-bit row per entry, most significant bit on the left. */
const DIGITS: ReadonlyArray<readonly number[]> = [
  [0b111, 0b101, 0b101, 0b101, 0b111],
  [0b010, 0b110, 0b010, 0b010, 0b111],
  [0b111, 0b001, 0b111, 0b100, 0b111],
  [0b111, 0b001, 0b111, 0b001, 0b111],
  [0b101, 0b101, 0b111, 0b001, 0b001],
  [0b111, 0b100, 0b111, 0b001, 0b111],
  [0b111, 0b100, 0b111, 0b101, 0b111],
  [0b111, 0b001, 0b010, 0b010, 0b010],
  [0b111, 0b101, 0b111, 0b101, 0b111],
  [0b111, 0b101, 0b111, 0b001, 0b111],
];

/** Whether cell (cx, cy) of digit d is lit. */
export function glyphBit(d: number, cx: number, cy: number): boolean {
  return ((DIGITS[d][cy] >> (2 - cx)) & 1) === 1;
}

/** Geometry of a mark's label tag: above the box when there is room, else inside its top-left. */
export function labelRect(mark: Mark, style: MarkStyle): [number, number, number, number] {
  const s = style.fontScale;
  const digits = String(Math.max(0, Math.trunc(mark.label))).length;
  const w = digits * 4 * s + s; // 3 cells per digit + 1 cell gap, + 1 cell right padding
  const h = 7 * s; // 5 cells + 1 cell padding above and below
  const x = Math.round(mark.box[0]);
  const top = Math.round(mark.box[1]);
  const y = top - h >= 0 ? top - h : top;
  return [x, y, x + w, y + h];
}

function fillRect(img: MarkRgb, x1: number, y1: number, x2: number, y2: number, r: number, g: number, b: number): void {
  const xa = Math.max(0, x1);
  const ya = Math.max(0, y1);
  const xb = Math.min(img.width, x2);
  const yb = Math.min(img.height, y2);
  const d = img.data;
  for (let y = ya; y < yb; y++) {
    let i = (y * img.width + xa) * 3;
    for (let x = xa; x < xb; x++, i += 3) {
      d[i] = r;
      d[i + 1] = g;
      d[i + 2] = b;
    }
  }
}

/** Draws every mark (outline, label tag, white digits) in order; later marks paint over earlier ones. */
export function drawMarks(img: MarkRgb, marks: readonly Mark[], style: MarkStyle = DEFAULT_MARK_STYLE): void {
  if (img.data.length !== img.width * img.height * 3) {
    throw new RangeError(`RGB buffer holds ${img.data.length} bytes, expected ${img.width}x${img.height}x3`);
  }
  const t = style.thickness;
  const s = style.fontScale;
  for (let m = 0; m < marks.length; m++) {
    const mark = marks[m];
    const [r, g, b] = MARK_PALETTE[m % MARK_PALETTE.length];
    const x1 = Math.round(mark.box[0]);
    const y1 = Math.round(mark.box[1]);
    const x2 = Math.round(mark.box[2]);
    const y2 = Math.round(mark.box[3]);
    fillRect(img, x1, y1, x2, y1 + t, r, g, b);
    fillRect(img, x1, y2 - t, x2, y2, r, g, b);
    fillRect(img, x1, y1, x1 + t, y2, r, g, b);
    fillRect(img, x2 - t, y1, x2, y2, r, g, b);
    const [lx1, ly1, lx2, ly2] = labelRect(mark, style);
    fillRect(img, lx1, ly1, lx2, ly2, r, g, b);
    const text = String(Math.max(0, Math.trunc(mark.label)));
    for (let k = 0; k < text.length; k++) {
      const d = text.charCodeAt(k) - 48;
      const gx = lx1 + s + k * 4 * s;
      const gy = ly1 + s;
      for (let cy = 0; cy < 5; cy++) {
        for (let cx = 0; cx < 3; cx++) {
          if (glyphBit(d, cx, cy)) fillRect(img, gx + cx * s, gy + cy * s, gx + (cx + 1) * s, gy + (cy + 1) * s, 255, 255, 255);
        }
      }
    }
  }
}
