/**
 * Changed regions between two same-sized images, for incremental OCR: compare tile by tile,
 * then merge changed tiles (8-connected) into rectangles, and merge rectangles that overlap.
 * With `threshold` 0 any changed byte marks its tile, so unchanged areas are bit-identical.
 */

/** [x1, y1, x2, y2] in pixels, exclusive ends. */
export type Rect = [number, number, number, number];

export interface ChangedRegionOptions {
  /** Tile side in pixels. */
  tile?: number;
  /** A byte must differ by more than this to count as a change. */
  threshold?: number;
}

/** 1 per tile whose pixels differ; `channels` bytes per pixel. */
export function changedTiles(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  channels: number,
  tile: number,
  threshold: number,
): { grid: Uint8Array; gw: number; gh: number } {
  const gw = Math.ceil(width / tile);
  const gh = Math.ceil(height / tile);
  const grid = new Uint8Array(gw * gh);
  const stride = width * channels;
  for (let y = 0; y < height; y++) {
    const rowBase = y * stride;
    const gRow = ((y / tile) | 0) * gw;
    for (let tx = 0; tx < gw; tx++) {
      if (grid[gRow + tx]) continue;
      const start = rowBase + tx * tile * channels;
      const end = rowBase + Math.min(width, (tx + 1) * tile) * channels;
      for (let i = start; i < end; i++) {
        const d = a[i] - b[i];
        if (d > threshold || d < -threshold) {
          grid[gRow + tx] = 1;
          break;
        }
      }
    }
  }
  return { grid, gw, gh };
}

/** Bounding rectangles (in tiles, exclusive ends) of the 8-connected components of a grid. */
export function tileComponents(grid: Uint8Array, gw: number, gh: number): Rect[] {
  const seen = new Uint8Array(grid.length);
  const stack = new Int32Array(grid.length);
  const rects: Rect[] = [];
  for (let s = 0; s < grid.length; s++) {
    if (!grid[s] || seen[s]) continue;
    seen[s] = 1;
    let top = 0;
    stack[top++] = s;
    let x1 = gw;
    let y1 = gh;
    let x2 = 0;
    let y2 = 0;
    while (top) {
      const p = stack[--top];
      const y = (p / gw) | 0;
      const x = p - y * gw;
      if (x < x1) x1 = x;
      if (y < y1) y1 = y;
      if (x + 1 > x2) x2 = x + 1;
      if (y + 1 > y2) y2 = y + 1;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(gh - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(gw - 1, x + 1); nx++) {
          const q = ny * gw + nx;
          if (grid[q] && !seen[q]) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    rects.push([x1, y1, x2, y2]);
  }
  return rects;
}

export const rectsIntersect = (a: Rect, b: Rect): boolean => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** Repeatedly replaces overlapping rectangles by their union. */
export function mergeRects(rects: Rect[]): Rect[] {
  const out = rects.map((r) => [...r] as Rect);
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      if (!rectsIntersect(out[i], out[j])) continue;
      const a = out[i];
      const b = out[j];
      out[i] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
      out.splice(j, 1);
      j = i; // the grown rectangle may now touch earlier ones
    }
  }
  return out;
}

/**
 * Rectangles (pixels, exclusive ends) covering every changed pixel between `a` and `b`.
 * Empty when the images are identical.
 */
export function changedRegions(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  channels: number,
  options: ChangedRegionOptions = {},
): Rect[] {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`changedRegions: invalid size ${width}x${height}`);
  }
  const need = width * height * channels;
  if (a.length !== need || b.length !== need) {
    throw new RangeError(
      `changedRegions: images must both hold ${width}x${height}x${channels} = ${need} bytes (got ${a.length} and ${b.length})`,
    );
  }
  const tile = options.tile ?? 16;
  const { grid, gw, gh } = changedTiles(a, b, width, height, channels, tile, options.threshold ?? 0);
  return mergeRects(tileComponents(grid, gw, gh)).map(
    ([x1, y1, x2, y2]) => [x1 * tile, y1 * tile, Math.min(width, x2 * tile), Math.min(height, y2 * tile)] as Rect,
  );
}
