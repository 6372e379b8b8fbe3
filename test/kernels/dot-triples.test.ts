import { describe, expect, it } from 'vitest';
import { dotsInStrip, dotTriples, formsTriple, isDot, stripContinued, type DotBox } from '../../kernels/dot-triples.ts';

// Kebab and meatball menus from edge-mask parts: three equal dots, evenly spaced on one line.

const dot = (x: number, y: number, s = 3): DotBox => [x, y, x + s, y + s];

/** The slow, obvious reading: every ordered triple of dots, checked on its own. */
function everyTriple(parts: DotBox[], maxDot: number): Set<string> {
  const dots = parts.filter((p) => isDot(p, maxDot));
  const out = new Set<string>();
  for (const vertical of [true, false]) {
    const along = (b: DotBox) => (vertical ? b[1] + b[3] : b[0] + b[2]);
    for (const a of dots) for (const b of dots) for (const c of dots) {
      if (along(a) < along(b) && along(b) < along(c) && formsTriple(a, b, c, vertical)) out.add(JSON.stringify([Math.min(a[0], b[0], c[0]), Math.min(a[1], b[1], c[1]), Math.max(a[2], b[2], c[2]), Math.max(a[3], b[3], c[3])]));
    }
  }
  return out;
}

describe('dot triples', () => {
  it('finds a kebab and a meatball, and not a dotted rule, two dots or a glyph row', () => {
    const parts: DotBox[] = [
      dot(100, 100), dot(100, 106), dot(100, 112), // ⋮
      dot(300, 50), dot(306, 50), dot(312, 50), // ⋯
      dot(20, 300), dot(28, 300), dot(36, 300), dot(44, 300), dot(52, 300), // a dotted rule
      dot(500, 500), dot(500, 506), // two dots: a colon
      [600, 40, 609, 52], [612, 40, 621, 52], [624, 40, 633, 52], // letters: too big to be dots
    ];
    const r = dotTriples(parts, 6);
    expect(r).toEqual([
      { box: [100, 100, 103, 115], vertical: true },
      { box: [300, 50, 315, 53], vertical: false },
    ]);
  });

  it('agrees with checking every triple on random screens of dots', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 50; n++) {
      const parts: DotBox[] = [];
      for (let i = 0; i < 3; i++) {
        const x = Math.round(rand() * 900);
        const y = Math.round(rand() * 500);
        const s = 2 + Math.round(rand() * 3);
        const vertical = rand() < 0.5;
        const gap = s + 2 + Math.round(rand() * 2);
        for (let k = 0; k < 3; k++) parts.push(vertical ? dot(x, y + k * gap, s) : dot(x + k * gap, y, s));
      }
      for (let i = 0; i < 12; i++) parts.push(dot(Math.round(rand() * 900), Math.round(rand() * 500), 2 + Math.round(rand() * 6)));
      const fast = dotTriples(parts, 6).map((t) => JSON.stringify(t.box));
      const slow = everyTriple(parts, 6);
      // Each triple found is one the obvious reading finds; every planted menu is found unless a stray dot continues it.
      for (const f of fast) expect(slow.has(f)).toBe(true);
      expect(fast.length).toBeGreaterThanOrEqual(1);
    }
  });
});

/** A white RGB canvas with grey squares drawn on it. */
function canvas(w: number, h: number, squares: DotBox[], level = 110): Uint8Array {
  const px = new Uint8Array(w * h * 3).fill(255);
  for (const [x1, y1, x2, y2] of squares) for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) px.fill(level, (y * w + x) * 3, (y * w + x) * 3 + 3);
  return px;
}

describe('dots set close together (one part of the edge mask)', () => {
  it('reads a kebab of 4 px dots a pixel or two apart as three dots, and its strip as the menu', () => {
    const px = canvas(40, 40, [[10, 10, 14, 14], [10, 15, 14, 19], [10, 21, 14, 25]]);
    expect(dotsInStrip(px, 40, 40, [10, 10, 15, 25], 7)).toEqual({ box: [10, 10, 15, 25], vertical: true });
    const row = canvas(40, 40, [[5, 20, 9, 24], [11, 20, 15, 24], [17, 20, 21, 24]]);
    expect(dotsInStrip(row, 40, 40, [5, 20, 21, 25], 7)).toEqual({ box: [5, 20, 21, 25], vertical: false });
  });

  it('reads no menu in a bar, two dots, four dots or unevenly spaced ones', () => {
    expect(dotsInStrip(canvas(40, 40, [[10, 10, 14, 25]]), 40, 40, [10, 10, 15, 25], 7)).toBeUndefined();
    expect(dotsInStrip(canvas(40, 40, [[10, 10, 14, 14], [10, 16, 14, 20]]), 40, 40, [10, 10, 15, 21], 7)).toBeUndefined();
    expect(dotsInStrip(canvas(40, 40, [[10, 5, 14, 9], [10, 11, 14, 15], [10, 17, 14, 21], [10, 23, 14, 27]]), 40, 40, [10, 5, 15, 27], 7)).toBeUndefined();
    expect(dotsInStrip(canvas(40, 40, [[10, 5, 14, 9], [10, 10, 14, 14], [10, 24, 14, 28]]), 40, 40, [10, 5, 15, 28], 7)).toBeUndefined();
  });
});

describe('stripContinued', () => {
  const strip = { box: [20, 10, 34, 13] as DotBox, vertical: false };
  it('is true when another part carries the line on within a dot spacing (a masked "••••", a dashed border)', () => {
    // The fourth dot of "•••• 0005", 3 px after the strip.
    expect(stripContinued(strip, [strip.box, [37, 10, 40, 13]])).toBe(true);
    // A dashed border's corner curve touching the strip's line, 2 px before it.
    expect(stripContinued(strip, [strip.box, [8, 8, 18, 20]])).toBe(true);
  });
  it('is false for a menu that stands clear, or parts off its line', () => {
    expect(stripContinued(strip, [strip.box, [50, 10, 53, 13]])).toBe(false);
    expect(stripContinued(strip, [strip.box, [36, 30, 39, 33]])).toBe(false);
    // A part inside the strip's own box is one of its dots.
    expect(stripContinued(strip, [strip.box, [20, 10, 23, 13]])).toBe(false);
  });
});
