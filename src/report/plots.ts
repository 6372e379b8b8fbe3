import { escapeHtml, formatMs, percent } from './html.ts';

/**
 * Inline SVG plots. Each series of a bar chart is one <path> (one subpath per bar), so a
 * 200-step run costs a few kilobytes, not a DOM node per bar.
 */
export interface Series {
  name: string;
  /** CSS class that colours it (defined in report.css). */
  cls: string;
  values: number[];
}

const W = 800;
const H = 150;
const PAD = { left: 52, right: 8, top: 10, bottom: 22 };

/** A round number at or above `max`, for the y axis. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * mag >= max) return m * mag;
  return 10 * mag;
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * Stacked bars, one per step. `data-steps` and the plot geometry let the page map a click
 * or hover back to a step.
 */
export function stackedBars(o: { id: string; title: string; series: Series[]; unit: 'ms' | 'tokens' }): string {
  const n = Math.max(0, ...o.series.map((s) => s.values.length));
  const totals = Array.from({ length: n }, (_, i) => o.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const top = niceCeiling(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = n ? plotW / n : plotW;
  const gap = bw > 4 ? Math.min(2, bw * 0.15) : 0;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const paths: string[] = [];
  const base = new Array<number>(n).fill(0);
  for (const s of o.series) {
    let d = '';
    for (let i = 0; i < n; i++) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      const y0 = y(base[i]);
      const y1 = y(base[i] + v);
      d += `M${fmt(PAD.left + i * bw + gap / 2)} ${fmt(y0)}V${fmt(y1)}h${fmt(bw - gap)}V${fmt(y0)}z`;
      base[i] += v;
    }
    paths.push(`<path class="${s.cls}" d="${d}"><title>${escapeHtml(s.name)}</title></path>`);
  }
  const label = (v: number) => (o.unit === 'ms' ? formatMs(v) : Math.round(v).toLocaleString('en-US'));
  const ticks = [0, top / 2, top]
    .map((v) => `<text class="tick" x="${PAD.left - 4}" y="${fmt(y(v) + 4)}" text-anchor="end">${escapeHtml(label(v))}</text><line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/>`)
    .join('');
  const every = Math.max(1, Math.ceil(n / 10));
  const xTicks = Array.from({ length: n }, (_, i) => i)
    .filter((i) => i % every === 0 || i === n - 1)
    .map((i) => `<text class="tick" x="${fmt(PAD.left + (i + 0.5) * bw)}" y="${H - 6}" text-anchor="middle">${i + 1}</text>`)
    .join('');
  const legend = o.series.map((s) => `<span class="key"><i class="${s.cls}"></i>${escapeHtml(s.name)}</span>`).join('');
  return `<figure class="plot" id="${escapeHtml(o.id)}"><figcaption>${escapeHtml(o.title)} ${legend}</figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(o.title)}" data-steps="${n}" data-left="${PAD.left}" data-width="${plotW}">${ticks}${paths.join('')}${xTicks}<rect class="cursor" x="0" y="${PAD.top}" width="${fmt(bw)}" height="${plotH}" visibility="hidden"/></svg></figure>`;
}

/** Horizontal bars of success rate per category with their 95% interval as a whisker. */
export function rateBars(o: { title: string; rows: { name: string; rate: number; low: number; high: number; n: number }[] }): string {
  const rowH = 26;
  const left = 180;
  const right = 120;
  const h = PAD.top + o.rows.length * rowH + PAD.bottom;
  const plotW = W - left - right;
  const x = (v: number) => left + v * plotW;
  const rows = o.rows
    .map((r, i) => {
      const cy = PAD.top + i * rowH + rowH / 2;
      const name = r.name.length > 26 ? r.name.slice(0, 25) + '…' : r.name;
      return `<g class="rate-row" data-category="${escapeHtml(r.name)}"><title>${escapeHtml(`${r.name}: ${percent(r.rate)} (95% CI ${percent(r.low)}–${percent(r.high)}), n=${r.n}`)}</title>
<text class="tick" x="${left - 6}" y="${fmt(cy + 4)}" text-anchor="end">${escapeHtml(name)}</text>
<rect class="s-ok" x="${left}" y="${fmt(cy - 8)}" width="${fmt(r.rate * plotW)}" height="16"/>
<line class="whisker" x1="${fmt(x(r.low))}" x2="${fmt(x(r.high))}" y1="${fmt(cy)}" y2="${fmt(cy)}"/>
<line class="whisker" x1="${fmt(x(r.low))}" x2="${fmt(x(r.low))}" y1="${fmt(cy - 5)}" y2="${fmt(cy + 5)}"/>
<line class="whisker" x1="${fmt(x(r.high))}" x2="${fmt(x(r.high))}" y1="${fmt(cy - 5)}" y2="${fmt(cy + 5)}"/>
<text class="tick" x="${W - right + 6}" y="${fmt(cy + 4)}">${escapeHtml(`${percent(r.rate)}  n=${r.n}`)}</text></g>`;
    })
    .join('');
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((v) => `<line class="grid" x1="${fmt(x(v))}" x2="${fmt(x(v))}" y1="${PAD.top}" y2="${h - PAD.bottom}"/><text class="tick" x="${fmt(x(v))}" y="${h - 6}" text-anchor="middle">${percent(v)}</text>`)
    .join('');
  return `<figure class="plot rates"><figcaption>${escapeHtml(o.title)}</figcaption><svg viewBox="0 0 ${W} ${h}" role="img" aria-label="${escapeHtml(o.title)}">${grid}${rows}</svg></figure>`;
}
