import type { ActionInput } from '../../src/core/actions.ts';
import type { ExecutorView } from '../../src/core/agent.ts';
import { unitsToFrame, type Frame } from '../../src/core/frame.ts';
import type { PixelBox } from '../../kernels/ocr/types.ts';

/**
 * Choosing an option of a native <select> in the browser.
 *
 * Headless Chromium opens the option popup on click but never paints it into screenshots, so
 * the option cannot be seen and clicked. Typing the option's text is not exact either (type-ahead
 * picks the first option that *starts* with it: "AU" selects "AUS" when that comes first). So we
 * read the page's <select> elements (reading only, through executor.evaluate), then act with real
 * input: click the select (opens the popup), press ArrowDown/ArrowUp as many times as the option
 * is away from the current one, and Enter to commit. Chromium fires `change` exactly as for a user.
 */

export interface NativeSelect {
  /** Box in frame pixels. */
  box: PixelBox;
  selectedIndex: number;
  /** Index of the wanted option. */
  optionIndex: number;
  optionText: string;
  /** How many options the select has: the ArrowDown/Up count must not run past them. */
  optionCount: number;
  /** The label text next to it (for/aria-label/enclosing label), to pick among several. */
  label: string;
}

/** Runs in the page: visible selects having an option whose text matches `want`. */
const FIND_SELECTS = (want: string) => `(() => {
  const norm = (s) => (s || '').normalize('NFKC').replace(/\\s+/g, ' ').trim().toLowerCase();
  const want = norm(${JSON.stringify(want)});
  const out = [];
  for (const s of document.querySelectorAll('select')) {
    const r = s.getBoundingClientRect();
    const st = getComputedStyle(s);
    if (r.width < 2 || r.height < 2 || st.visibility === 'hidden' || st.display === 'none' || s.disabled || s.multiple) continue;
    const opts = [...s.options];
    let idx = opts.findIndex((o) => norm(o.text) === want || norm(o.value) === want);
    if (idx < 0) idx = opts.findIndex((o) => norm(o.text).includes(want));
    if (idx < 0) continue;
    const lab = (s.labels && s.labels[0] && s.labels[0].innerText) || s.getAttribute('aria-label') || s.name || s.id || '';
    out.push({ x: r.left, y: r.top, w: r.width, h: r.height, selectedIndex: s.selectedIndex, optionIndex: idx,
      optionText: opts[idx].text, optionCount: opts.length, label: lab });
  }
  return JSON.stringify(out);
})()`;

/** The page's visible native selects that offer `option`; empty off the browser. */
export async function findNativeSelects(executor: ExecutorView | undefined, frame: Frame, option: string): Promise<NativeSelect[]> {
  if (!executor?.evaluate || executor.kind !== 'browser') return [];
  let raw: unknown;
  try {
    raw = await executor.evaluate(FIND_SELECTS(option));
  } catch {
    return []; // a page mid-navigation has no selects to offer
  }
  const list = JSON.parse(String(raw)) as { x: number; y: number; w: number; h: number; selectedIndex: number; optionIndex: number; optionText: string; optionCount: number; label: string }[];
  return list
    .map((s) => {
      const [x1, y1] = unitsToFrame(frame, [s.x, s.y]);
      const [x2, y2] = unitsToFrame(frame, [s.x + s.w, s.y + s.h]);
      const box: PixelBox = [Math.max(0, x1), Math.max(0, y1), Math.min(frame.width, x2), Math.min(frame.height, y2)];
      return { box, selectedIndex: s.selectedIndex, optionIndex: s.optionIndex, optionText: s.optionText, optionCount: s.optionCount, label: s.label };
    })
    .filter((s) => s.box[2] - s.box[0] > 1 && s.box[3] - s.box[1] > 1);
}

/** Click to open, arrow keys to the option, Enter to commit. Nothing when it is already chosen. */
export function selectActions(s: NativeSelect): ActionInput[] {
  const delta = s.optionIndex - Math.max(0, s.selectedIndex);
  if (s.selectedIndex === s.optionIndex) return [];
  const key = delta > 0 ? 'ArrowDown' : 'ArrowUp';
  const actions: ActionInput[] = [{ action: 'click', target: { box: s.box, label: `select (${s.label || 'dropdown'})` } }];
  for (let i = 0; i < Math.abs(delta); i++) actions.push({ action: 'key', keys: [key] });
  actions.push({ action: 'key', keys: ['Enter'] });
  return actions;
}
