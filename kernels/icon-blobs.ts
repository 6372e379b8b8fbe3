/**
 * Icon-like blobs on a screen: compact clusters of edges, 10–48 px, away from text.
 *
 * Edges are colour steps to the right or below (any channel), so a light-grey icon on white
 * and a white icon on blue both show, whatever the theme. Edge pixels inside the boxes of
 * words OCR read are cleared first. 8-connected components of what is left are the parts;
 * parts too large to be an icon (panel borders, photos) are dropped; parts close together
 * relative to their size (the three dots of a kebab, the lid and can of a trash icon) merge
 * into one blob. Parts are also kept on their own when large enough, because two icons that
 * sit close in a tight toolbar can merge too.
 */

export type BlobBox = [number, number, number, number];

export interface BlobOptions {
  /** Smallest and largest icon side, px. */
  minSide?: number;
  maxSide?: number;
  /** Colour step (0..255, any channel) that counts as an edge. */
  edgeThreshold?: number;
}

export interface BlobScratch {
  mask: Uint8Array;
  labels: Int32Array;
  parent: Int32Array;
}

export function blobScratch(pixels: number): BlobScratch {
  return { mask: new Uint8Array(pixels), labels: new Int32Array(pixels), parent: new Int32Array(pixels + 1) };
}

/** Marks (1) pixels whose colour steps by ≥ threshold to the right or below neighbour. */
export function edgeMask(rgb: Uint8Array, width: number, height: number, threshold: number, out: Uint8Array): void {
  const stride = width * 3;
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const last = y === height - 1;
    for (let x = 0; x < width; x++) {
      const p = row + x * 3;
      let hit = 0;
      if (x < width - 1) {
        if (Math.abs(rgb[p] - rgb[p + 3]) >= threshold || Math.abs(rgb[p + 1] - rgb[p + 4]) >= threshold || Math.abs(rgb[p + 2] - rgb[p + 5]) >= threshold) hit = 1;
      }
      if (!hit && !last) {
        const q = p + stride;
        if (Math.abs(rgb[p] - rgb[q]) >= threshold || Math.abs(rgb[p + 1] - rgb[q + 1]) >= threshold || Math.abs(rgb[p + 2] - rgb[q + 2]) >= threshold) hit = 1;
      }
      out[y * width + x] = hit;
    }
  }
}

/** Clears the mask inside a box (clamped to the image). */
export function clearBox(mask: Uint8Array, width: number, height: number, [x1, y1, x2, y2]: BlobBox): void {
  const ax = Math.max(0, Math.floor(x1));
  const bx = Math.min(width, Math.ceil(x2));
  for (let y = Math.max(0, Math.floor(y1)); y < Math.min(height, Math.ceil(y2)); y++) mask.fill(0, y * width + ax, y * width + Math.max(ax, bx));
}

/** Joins label n (0: none) into the running root l (0: none); returns the root. */
function unite(parent: Int32Array, l: number, n: number): number {
  if (!n) return l;
  const a = find(parent, n);
  if (!l || a === l) return a;
  if (a < l) {
    parent[l] = a;
    return a;
  }
  parent[a] = l;
  return l;
}

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/**
 * 8-connected components of the mask: their boxes [x1, y1, x2, y2) and pixel counts.
 * Two passes with union-find over provisional labels.
 */
export function components(mask: Uint8Array, width: number, height: number, s: BlobScratch): Array<{ box: BlobBox; pixels: number }> {
  const { labels, parent } = s;
  let next = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) {
        labels[i] = 0;
        continue;
      }
      // Already-visited neighbours: left, up-left, up, up-right.
      let l = x > 0 ? unite(parent, 0, labels[i - 1]) : 0;
      if (y > 0) {
        if (x > 0) l = unite(parent, l, labels[i - width - 1]);
        l = unite(parent, l, labels[i - width]);
        if (x < width - 1) l = unite(parent, l, labels[i - width + 1]);
      }
      if (!l) {
        l = next++;
        parent[l] = l;
      }
      labels[i] = l;
    }
  }
  const boxes = new Map<number, { box: BlobBox; pixels: number }>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const l0 = labels[y * width + x];
      if (!l0) continue;
      const l = find(parent, l0);
      const c = boxes.get(l);
      if (!c) boxes.set(l, { box: [x, y, x + 1, y + 1], pixels: 1 });
      else {
        const b = c.box;
        if (x < b[0]) b[0] = x;
        if (x + 1 > b[2]) b[2] = x + 1;
        if (y + 1 > b[3]) b[3] = y + 1;
        c.pixels++;
      }
    }
  }
  return [...boxes.values()];
}

const side = (b: BlobBox): number => Math.max(b[2] - b[0], b[3] - b[1]);
const gap = (a: BlobBox, b: BlobBox): number => Math.max(0, Math.max(a[0], b[0]) - Math.min(a[2], b[2]), Math.max(a[1], b[1]) - Math.min(a[3], b[3]));
const unionBox = (a: BlobBox, b: BlobBox): BlobBox => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];

/**
 * Merges parts into icons: parts whose gap is within ~a third of the larger part's side (at
 * least minGap; dots: 1.6 sides) join, as long as the union stays within maxSide and no more than 6:1 (a kebab is about 5:1). Returns
 * the merged blobs and the large-enough parts, deduplicated, each with its part count.
 */
export function mergeParts(parts: BlobBox[], options: { minSide: number; maxSide: number; minGap: number }): Array<{ box: BlobBox; parts: number }> {
  const { minSide, maxSide, minGap } = options;
  const order = parts.map((_, i) => i).sort((a, b) => parts[a][0] - parts[b][0]);
  const group = parts.map((b) => ({ box: [...b] as BlobBox, parts: 1 }));
  const owner = parts.map((_, i) => i);
  const root = (i: number): number => (owner[i] === i ? i : (owner[i] = root(owner[i])));
  // Neighbours by a sweep on x: only parts whose x-ranges come within maxSide can merge.
  for (let oi = 0; oi < order.length; oi++) {
    const a = order[oi];
    for (let oj = oi + 1; oj < order.length; oj++) {
      const b = order[oj];
      if (parts[b][0] - parts[a][2] > maxSide) break;
      const ra = root(a);
      const rb = root(b);
      if (ra === rb) continue;
      const g = gap(parts[a], parts[b]);
      const larger = Math.max(side(parts[a]), side(parts[b]));
      // Dots (a kebab's, an ellipsis's) sit further apart than their own size.
      const reach = larger <= maxSide / 5 ? 1.6 * larger : 0.35 * larger;
      if (g > Math.max(minGap, reach)) continue;
      const u = unionBox(group[ra].box, group[rb].box);
      const w = u[2] - u[0];
      const h = u[3] - u[1];
      if (Math.max(w, h) > maxSide || Math.max(w, h) > 6 * Math.max(1, Math.min(w, h))) continue;
      owner[rb] = ra;
      group[ra] = { box: u, parts: group[ra].parts + group[rb].parts };
    }
  }
  const out = new Map<string, { box: BlobBox; parts: number }>();
  const keep = (g: { box: BlobBox; parts: number }): void => {
    // A minus sign is a bar a little shorter than the smallest icon: 7 px of a 10 px icon's box.
    const w = g.box[2] - g.box[0];
    const h = g.box[3] - g.box[1];
    const bar = Math.max(w, h) >= 3 * Math.max(1, Math.min(w, h)) && side(g.box) >= 0.7 * minSide;
    if ((side(g.box) >= minSide || bar) && side(g.box) <= maxSide) out.set(g.box.join(','), g);
  };
  for (let i = 0; i < parts.length; i++) if (root(i) === i) keep(group[i]);
  for (const p of parts) if (!out.has(p.join(','))) keep({ box: p, parts: 1 });
  return [...out.values()];
}
