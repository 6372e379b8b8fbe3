/**
 * Three dots in a row: the kebab (⋮) and meatball (⋯) menus. Their dots are too small to be
 * icons on their own and, merged, too thin for an icon descriptor to read them. Found from the
 * parts of the edge mask: three near-square parts of about one size, on one line, evenly spaced
 * by one to four dot sizes.
 */

export type DotBox = [number, number, number, number];

export interface DotTriple {
  box: DotBox;
  vertical: boolean;
}

/** How unequal the two gaps of a triple may be, relative to the larger. */
const GAP_TOLERANCE = 0.35;

const side = (b: DotBox): number => Math.max(b[2] - b[0], b[3] - b[1]);
const cx = (b: DotBox): number => (b[0] + b[2]) / 2;
const cy = (b: DotBox): number => (b[1] + b[3]) / 2;

/** A part that could be one dot: small and about as wide as tall. */
export function isDot(b: DotBox, maxDot: number): boolean {
  const w = b[2] - b[0];
  const h = b[3] - b[1];
  return w >= 1 && h >= 1 && w <= maxDot && h <= maxDot && Math.abs(w - h) <= Math.max(1, 0.5 * Math.max(w, h));
}

/** Whether a, b, c (in order along the line) are one menu's dots. */
export function formsTriple(a: DotBox, b: DotBox, c: DotBox, vertical: boolean): boolean {
  const s = Math.max(side(a), side(b), side(c));
  if (Math.min(side(a), side(b), side(c)) < 0.6 * s) return false;
  const across = vertical ? cx : cy;
  const along = vertical ? cy : cx;
  const slack = Math.max(1.5, 0.4 * s);
  if (Math.abs(across(a) - across(b)) > slack || Math.abs(across(b) - across(c)) > slack) return false;
  const g1 = along(b) - along(a);
  const g2 = along(c) - along(b);
  if (g1 < 1.2 * s || g2 < 1.2 * s || g1 > 4 * s || g2 > 4 * s) return false;
  return Math.abs(g1 - g2) <= GAP_TOLERANCE * Math.max(g1, g2);
}

/**
 * Every triple of dots among the parts, each dot used once (the first triple found along the
 * line wins), with no fourth dot continuing it (a dotted rule is no menu).
 */
export function dotTriples(parts: DotBox[], maxDot: number): DotTriple[] {
  const dots = parts.filter((p) => isDot(p, maxDot));
  const out: DotTriple[] = [];
  for (const vertical of [true, false]) {
    const along = vertical ? cy : cx;
    const sorted = [...dots].sort((p, q) => along(p) - along(q));
    const used = new Set<DotBox>();
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i];
      if (used.has(a)) continue;
      const reach = along(a) + 8 * side(a) + 2;
      let found: [DotBox, DotBox] | undefined;
      for (let j = i + 1; j < sorted.length && along(sorted[j]) <= reach && !found; j++) {
        for (let k = j + 1; k < sorted.length && along(sorted[k]) <= reach && !found; k++) {
          if (!used.has(sorted[j]) && !used.has(sorted[k]) && formsTriple(a, sorted[j], sorted[k], vertical)) found = [sorted[j], sorted[k]];
        }
      }
      if (!found) continue;
      const [b, c] = found;
      // A fourth dot on the same line at the same spacing: a dotted line or a progress indicator.
      if (sorted.some((d) => d !== a && d !== b && d !== c && (formsTriple(b, c, d, vertical) || formsTriple(d, a, b, vertical)))) continue;
      for (const d of [a, b, c]) used.add(d);
      out.push({ box: [Math.min(a[0], b[0], c[0]), Math.min(a[1], b[1], c[1]), Math.max(a[2], b[2], c[2]), Math.max(a[3], b[3], c[3])], vertical });
    }
  }
  return out;
}

/**
 * Dots set close together merge into one part of the edge mask (its edges touch across a gap of
 * a pixel or two): the part is a thin strip. Read along the strip, its ink (pixels that differ
 * from the background just outside it) falls into runs; three runs that form a triple are the
 * menu's dots. RGB, 3 bytes per pixel.
 */
export function dotsInStrip(rgb: Uint8Array, width: number, height: number, box: DotBox, maxDot: number): DotTriple | undefined {
  const [x1, y1, x2, y2] = box;
  const w = x2 - x1;
  const h = y2 - y1;
  const vertical = h > w;
  if (Math.min(w, h) > maxDot || Math.max(w, h) < 2.5 * Math.min(w, h) || x1 < 1 || y1 < 1 || x2 >= width || y2 >= height) return undefined;
  const luma = (x: number, y: number) => {
    const i = (y * width + x) * 3;
    return (77 * rgb[i] + 150 * rgb[i + 1] + 29 * rgb[i + 2]) >> 8;
  };
  const bg = luma(x1 - 1, y1 - 1);
  const along = vertical ? h : w;
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let k = 0; k <= along; k++) {
    let ink = false;
    if (k < along) {
      for (let j = 0; j < (vertical ? w : h) && !ink; j++) {
        const v = vertical ? luma(x1 + j, y1 + k) : luma(x1 + k, y1 + j);
        if (Math.abs(v - bg) > 40) ink = true;
      }
    }
    if (ink && start < 0) start = k;
    if (!ink && start >= 0) {
      runs.push([start, k]);
      start = -1;
    }
  }
  if (runs.length !== 3) return undefined;
  const dots = runs.map(([a, b]): DotBox => (vertical ? [x1, y1 + a, x2, y1 + b] : [x1 + a, y1, x1 + b, y2]));
  // Dots a pixel or two apart: the spacing is judged on the dots' own length along the strip
  // (the strip's width takes in the edge pixels beside them).
  const s = Math.max(...runs.map(([a, b]) => b - a));
  const close = (a: DotBox, b: DotBox) => (vertical ? cy(b) - cy(a) : cx(b) - cx(a)) >= s + 1;
  if (!dots.every(isDotShaped) || !close(dots[0], dots[1]) || !close(dots[1], dots[2])) return undefined;
  const g1 = vertical ? cy(dots[1]) - cy(dots[0]) : cx(dots[1]) - cx(dots[0]);
  const g2 = vertical ? cy(dots[2]) - cy(dots[1]) : cx(dots[2]) - cx(dots[1]);
  if (Math.abs(g1 - g2) > GAP_TOLERANCE * Math.max(g1, g2) || g1 > 4 * s) return undefined;
  return { box, vertical };
}

/**
 * Whether another part continues a strip's line within about its dots' spacing: "•••• 0005", a
 * masked card number whose dots merged three into a strip and left the fourth apart, or three
 * dashes of a dashed border whose next dash joined the corner's curve. A menu's dots stand clear.
 */
export function stripContinued(t: DotTriple, parts: DotBox[]): boolean {
  const [x1, y1, x2, y2] = t.box;
  const spacing = (t.vertical ? y2 - y1 : x2 - x1) / 2.5;
  const mid = t.vertical ? cx(t.box) : cy(t.box);
  return parts.some((p) => {
    if (p === t.box) return false;
    const [a, b] = t.vertical ? [p[0], p[2]] : [p[1], p[3]];
    if (mid < a - 1 || mid > b + 1) return false;
    const gap = t.vertical ? Math.max(y1 - p[3], p[1] - y2) : Math.max(x1 - p[2], p[0] - x2);
    return gap >= 0 && gap <= spacing;
  });
}

const isDotShaped = (b: DotBox): boolean => Math.abs(b[2] - b[0] - (b[3] - b[1])) <= Math.max(1, 0.5 * side(b));
