/**
 * Where the text is on a screen, before any model runs: tiles with glyph-like edges, and a
 * recursive XY-cut of the tile grid into text-bearing rectangles (the detector's regions).
 */

/** textTiles() flags: strokes of text (what the detector runs on), and a lone mark ("1", "+", "-"). */
export const TEXT_TILE = 1;
export const MARK_TILE = 2;

/**
 * Classifies tiles of `tile`×`tile` pixels. A luminance step above `edgeTolerance` is an edge;
 * an "event" is a change of direction between rising and falling steps along a row (or down a
 * column): a thin line crossing gives 2 (in, out), two glyph strokes give 4.
 *  - TEXT_TILE: at least two rows have 3 or more events. Rows through glyph strokes do; flat
 *    fills, gradients, and the straight borders of boxes and cards (one line crossing per row at
 *    most) do not, so the XY-cut can separate blocks inside bordered containers.
 *  - MARK_TILE: at least two rows and two columns have 2 or more events: a mark bounded both
 *    ways, such as a lone glyph ("1", "+", "-"), but also the corner of a box (a vertical line has
 *    no events down its columns, a horizontal one none along its rows, a corner has both).
 *    These are only candidates for the lone-glyph pass, never detector input. A glyph cut by tile
 *    borders may leave too little in each tile, so marks are also looked for on a grid shifted
 *    by half a tile, and a mark there flags the (up to four) tiles it overlaps.
 * `gray` is 1 byte per pixel. Returns a grid of gw×gh bytes holding the flags.
 */
export function textTiles(
  gray: Uint8Array,
  width: number,
  height: number,
  tile: number,
  edgeTolerance: number,
  out?: Uint8Array,
): { grid: Uint8Array; gw: number; gh: number } {
  const gw = Math.ceil(width / tile);
  const gh = Math.ceil(height / tile);
  const grid = out && out.length >= gw * gh ? out.subarray(0, gw * gh) : new Uint8Array(gw * gh);
  grid.fill(0);
  // One pass over the rows: TEXT_TILEs, and which tiles have any edge at all (most have none).
  // Marks are then checked tile by tile, only where there are edges and no text.
  const rowsWithEdges = new Uint8Array(gw);
  const edgy = new Uint8Array(gw * gh);
  // Most of a screen is flat: a row segment whose pixels (and the one before) all equal is
  // skipped four pixels at a time, where rows start on a 4-byte boundary.
  const words = width % 4 === 0 && tile % 4 === 0 && gray.byteOffset % 4 === 0 ? new Uint32Array(gray.buffer, gray.byteOffset, gray.length >> 2) : undefined;
  const wordsPerTile = tile >> 2;
  for (let ty = 0; ty < gh; ty++) {
    rowsWithEdges.fill(0);
    const y1 = Math.min(height, (ty + 1) * tile);
    for (let y = ty * tile; y < y1; y++) {
      const base = y * width;
      for (let tx = 0; tx < gw; tx++) {
        const x0 = tx * tile;
        const x1 = Math.min(width, x0 + tile);
        if (words && x0 > 0 && x1 - x0 === tile) {
          const rep = Math.imul(gray[base + x0 - 1], 0x01010101) >>> 0;
          let w = (base + x0) >> 2;
          const end = w + wordsPerTile;
          while (w < end && words[w] === rep) w++;
          if (w === end) continue;
        }
        let events = 0;
        let last = 0;
        for (let x = Math.max(1, x0); x < x1; x++) {
          const d = gray[base + x] - gray[base + x - 1];
          const sign = d > edgeTolerance ? 1 : d < -edgeTolerance ? -1 : 0;
          if (sign !== 0 && sign !== last) {
            events++;
            last = sign;
          }
        }
        if (events >= 3) rowsWithEdges[tx]++;
        if (events > 0) edgy[ty * gw + tx] = 1;
      }
    }
    for (let tx = 0; tx < gw; tx++) if (rowsWithEdges[tx] >= 2) grid[ty * gw + tx] = TEXT_TILE;
  }
  const half = tile >> 1;
  for (let ty = 0; ty < gh; ty++) {
    for (let tx = 0; tx < gw; tx++) {
      const i = ty * gw + tx;
      if (edgy[i] && !(grid[i] & TEXT_TILE) && isMark(gray, width, height, tx * tile, ty * tile, tile, edgeTolerance)) grid[i] |= MARK_TILE;
      // The tile shifted by half a tile down and right overlaps this one and three more.
      const tx2 = Math.min(gw - 1, tx + 1);
      const ty2 = Math.min(gh - 1, ty + 1);
      if (!(edgy[i] | edgy[ty * gw + tx2] | edgy[ty2 * gw + tx] | edgy[ty2 * gw + tx2])) continue;
      if (isMark(gray, width, height, tx * tile + half, ty * tile + half, tile, edgeTolerance)) {
        for (let y = ty; y <= ty2; y++) for (let x = tx; x <= tx2; x++) grid[y * gw + x] |= MARK_TILE;
      }
    }
  }
  return { grid, gw, gh };
}

/**
 * Whether the tile×tile square at (x0, y0) holds a mark: at least two rows and two columns
 * with 2 or more events (see textTiles).
 */
function isMark(gray: Uint8Array, width: number, height: number, x0: number, y0: number, tile: number, edgeTolerance: number): boolean {
  const x1 = Math.min(width, x0 + tile);
  const y1 = Math.min(height, y0 + tile);
  if (x1 - x0 < 3 || y1 - y0 < 3) return false;
  let rows = 0;
  for (let y = y0; y < y1 && rows < 2; y++) {
    let events = 0;
    let last = 0;
    for (let x = Math.max(1, x0), i = y * width + x; x < x1; x++, i++) {
      const d = gray[i] - gray[i - 1];
      const sign = d > edgeTolerance ? 1 : d < -edgeTolerance ? -1 : 0;
      if (sign !== 0 && sign !== last) {
        events++;
        last = sign;
      }
    }
    if (events >= 2) rows++;
  }
  if (rows < 2) return false;
  let cols = 0;
  for (let x = x0; x < x1 && cols < 2; x++) {
    let events = 0;
    let last = 0;
    for (let y = Math.max(1, y0), i = y * width + x; y < y1; y++, i += width) {
      const d = gray[i] - gray[i - width];
      const sign = d > edgeTolerance ? 1 : d < -edgeTolerance ? -1 : 0;
      if (sign !== 0 && sign !== last) {
        events++;
        last = sign;
      }
    }
    if (events >= 2) cols++;
  }
  return cols >= 2;
}

export interface TileRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Recursive XY-cut of the TEXT_TILEs of a grid: splits at blank bands of at least `minGap` tiles,
 * first horizontally, then vertically. Returns leaf rectangles in tile units (exclusive ends).
 */
export function xyCut(grid: Uint8Array, gw: number, gh: number, minGap: number): TileRect[] {
  const leaves: TileRect[] = [];
  const stack: TileRect[] = [{ x0: 0, y0: 0, x1: gw, y1: gh }];
  while (stack.length) {
    const r = trimBlank(grid, gw, stack.pop()!);
    if (!r) continue;
    const parts = splitAtGaps(grid, gw, r, true, minGap) ?? splitAtGaps(grid, gw, r, false, minGap);
    if (parts) stack.push(...parts);
    else leaves.push(r);
  }
  return leaves;
}

function rowHas(grid: Uint8Array, gw: number, y: number, x0: number, x1: number): boolean {
  for (let x = x0; x < x1; x++) if (grid[y * gw + x] & TEXT_TILE) return true;
  return false;
}

function colHas(grid: Uint8Array, gw: number, x: number, y0: number, y1: number): boolean {
  for (let y = y0; y < y1; y++) if (grid[y * gw + x] & TEXT_TILE) return true;
  return false;
}

function trimBlank(grid: Uint8Array, gw: number, r: TileRect): TileRect | null {
  let { x0, y0, x1, y1 } = r;
  while (y0 < y1 && !rowHas(grid, gw, y0, x0, x1)) y0++;
  while (y1 > y0 && !rowHas(grid, gw, y1 - 1, x0, x1)) y1--;
  while (x0 < x1 && !colHas(grid, gw, x0, y0, y1)) x0++;
  while (x1 > x0 && !colHas(grid, gw, x1 - 1, y0, y1)) x1--;
  return x0 < x1 && y0 < y1 ? { x0, y0, x1, y1 } : null;
}

function splitAtGaps(grid: Uint8Array, gw: number, r: TileRect, rows: boolean, minGap: number): TileRect[] | null {
  const start = rows ? r.y0 : r.x0;
  const end = rows ? r.y1 : r.x1;
  const parts: TileRect[] = [];
  let partStart = start;
  let gap = 0;
  for (let i = start; i < end; i++) {
    const has = rows ? rowHas(grid, gw, i, r.x0, r.x1) : colHas(grid, gw, i, r.y0, r.y1);
    if (has) {
      if (gap >= minGap && i - gap > partStart) {
        parts.push(rows ? { ...r, y0: partStart, y1: i - gap } : { ...r, x0: partStart, x1: i - gap });
        partStart = i;
      }
      gap = 0;
    } else gap++;
  }
  if (!parts.length) return null;
  parts.push(rows ? { ...r, y0: partStart, y1: end } : { ...r, x0: partStart, x1: end });
  return parts;
}
