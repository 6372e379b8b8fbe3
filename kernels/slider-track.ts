import type { GrayImage } from './gray.ts';

/**
 * A slider's track in a window of the screen: the longest horizontal band, at most MAX_TRACK
 * rows thick, whose pixels differ from the page (the window's border level) all along; its
 * thumb is the part of the band where more rows differ (a knob is taller than its track). The
 * filled and empty parts of a track differ in colour but both differ from the page, so the band
 * runs through the thumb from one end to the other.
 */

export interface SliderTrack {
  /** The band's ends and rows: [x1, y1, x2, y2) in image pixels. */
  track: [number, number, number, number];
  /** The thumb's box, when one rises above or below the band. */
  thumb?: [number, number, number, number];
}

/** Levels by which a pixel must differ from the page to be part of the track (a light grey track on white differs by ~16). */
export const TRACK_LEVELS = 12;
/** Thickest track, in pixels (at DPR 1; scaled by the caller's `scale`). */
const MAX_TRACK = 8;

type Box = readonly [number, number, number, number];

/** The page level of a window: the median of its border pixels (no allocation beyond a 256-bin histogram reused). */
function borderLevel(img: GrayImage, w: Box, hist: Uint32Array): number {
  hist.fill(0);
  const { data, width } = img;
  let n = 0;
  for (let x = w[0]; x < w[2]; x++) {
    hist[data[w[1] * width + x]]++;
    hist[data[(w[3] - 1) * width + x]]++;
    n += 2;
  }
  for (let y = w[1]; y < w[3]; y++) {
    hist[data[y * width + w[0]]]++;
    hist[data[y * width + w[2] - 1]]++;
    n += 2;
  }
  let acc = 0;
  for (let v = 0; v < 256; v++) if ((acc += hist[v]) * 2 >= n) return v;
  return 255;
}

/** Solid runs of off-page pixels at least `minRun` long, row by row: [row, x1, x2) triples appended to `out`. */
function rowRuns(img: GrayImage, w: Box, page: number, minRun: number, out: number[]): void {
  const { data, width } = img;
  for (let y = w[1]; y < w[3]; y++) {
    let start = -1;
    for (let x = w[0], i = y * width + w[0]; x <= w[2]; x++, i++) {
      const d = x < w[2] ? data[i] - page : 0;
      const off = d > TRACK_LEVELS || d < -TRACK_LEVELS;
      if (off && start < 0) start = x;
      else if (!off && start >= 0) {
        if (x - start >= minRun) out.push(y, start, x);
        start = -1;
      }
    }
  }
}

type Band = [number, number, number, number];

/** Runs of consecutive rows with about the same ends (a bar): [x1, y1, x2, y2), their common span. */
function bandsOf(runs: number[], tolerance: number): Band[] {
  const open: Band[] = [];
  const done: Band[] = [];
  for (let k = 0; k < runs.length; k += 3) {
    const [y, x1, x2] = [runs[k], runs[k + 1], runs[k + 2]];
    const b = open.find((o) => o[3] === y && Math.abs(o[0] - x1) <= tolerance && Math.abs(o[2] - x2) <= tolerance);
    if (b) {
      b[0] = Math.max(b[0], x1);
      b[2] = Math.min(b[2], x2);
      b[3] = y + 1;
    } else open.push([x1, y, x2, y + 1]);
    // Bands that did not reach this row are finished.
    for (let i = open.length - 1; i >= 0; i--) if (open[i][3] < y) done.push(...open.splice(i, 1));
  }
  return [...done, ...open];
}

/**
 * The longest track at least `minLength` long in the window `w` (clipped to the image), or
 * undefined. `scale` is the screen's device pixel ratio. A thumb drawn hollow splits the bar in
 * two: bars on the same rows with a gap no wider than a thumb between them are one track.
 */
export function findSliderTrack(img: GrayImage, window: Box, minLength: number, scale = 1): SliderTrack | undefined {
  const w: Box = [Math.max(0, Math.floor(window[0])), Math.max(0, Math.floor(window[1])), Math.min(img.width, Math.ceil(window[2])), Math.min(img.height, Math.ceil(window[3]))];
  if (w[2] - w[0] < minLength || w[3] - w[1] < 3) return undefined;
  const page = borderLevel(img, w, new Uint32Array(256));
  const runs: number[] = [];
  const maxThick = Math.round(MAX_TRACK * scale);
  rowRuns(img, w, page, 2 * maxThick, runs);
  const tolerance = Math.max(2, Math.round(2 * scale));
  const bars = bandsOf(runs, tolerance).filter((b) => b[3] - b[1] >= 2 && b[3] - b[1] <= maxThick);
  bars.sort((a, b) => a[0] - b[0]);
  const maxGap = 3 * maxThick;
  let best: Band | undefined;
  for (let i = 0; i < bars.length; i++) {
    const t: Band = [...bars[i]];
    for (const b of bars.slice(i + 1)) {
      if (b[0] - t[2] > maxGap) break;
      if (b[0] >= t[2] && Math.abs(b[1] - t[1]) <= 1 && Math.abs(b[3] - t[3]) <= 1) t[2] = b[2];
    }
    if (t[2] - t[0] >= minLength && (!best || t[2] - t[0] > best[2] - best[0])) best = t;
  }
  if (!best) return undefined;
  return { track: best, thumb: thumbOf(img, best, page, maxThick, scale) };
}

/**
 * The thumb: the columns of the track where off-page pixels reach clearly further above or below
 * its rows than they do along most of it (a track's own rounded edges reach a pixel or two).
 */
function thumbOf(img: GrayImage, t: Box, page: number, reach: number, scale: number): [number, number, number, number] | undefined {
  const { data, width, height } = img;
  const n = t[2] - t[0];
  const ups = new Int32Array(n);
  const downs = new Int32Array(n);
  for (let x = t[0]; x < t[2]; x++) {
    let up = t[1];
    while (up > 0 && t[1] - up < 2 * reach && Math.abs(data[(up - 1) * width + x] - page) > TRACK_LEVELS) up--;
    let down = t[3];
    while (down < height && down - t[3] < 2 * reach && Math.abs(data[down * width + x] - page) > TRACK_LEVELS) down++;
    ups[x - t[0]] = t[1] - up;
    downs[x - t[0]] = down - t[3];
  }
  const extent = Int32Array.from(ups, (u, i) => u + downs[i]).sort();
  const typical = extent[n >> 1];
  const rise = Math.max(3, Math.round(3 * scale));
  let x1 = -1;
  let x2 = -1;
  let y1 = t[1];
  let y2 = t[3];
  for (let i = 0; i < n; i++) {
    if (ups[i] + downs[i] < typical + rise) continue;
    if (x1 < 0) x1 = t[0] + i;
    x2 = t[0] + i + 1;
    y1 = Math.min(y1, t[1] - ups[i]);
    y2 = Math.max(y2, t[3] + downs[i]);
  }
  // A thumb is about as wide as tall: a long rise is a thicker stretch of track, not a knob.
  return x1 < 0 || x2 - x1 > 3 * (y2 - y1) ? undefined : [x1, y1, x2, y2];
}
