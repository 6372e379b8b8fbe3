import type { Page } from 'playwright-core';

/**
 * What the page itself saw: a capture-phase listener records every mouse press and click with
 * its event.target and clientX/Y, and judges it against the element the simulated model was
 * told to act on (window.__e2e.expected, set by the answer key when it answers). The tests read
 * these records, never our own logs, to decide whether a click landed.
 */

export interface RectCss {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface PagePointerEvent {
  type: 'mousedown' | 'click';
  x: number;
  y: number;
  /** The element under the pointer: tag#id "text". */
  target: string;
  /** The element the model was asked to act on at that moment, or null when it was asked to act on nothing. */
  expected: string | null;
  expectedRect: RectCss | null;
  /** event.target is the expected element, inside it, or a <label> whose control it is. */
  onExpected: boolean;
  /** How it was on target: the element itself (or inside it), or the field's own <label>. */
  via: 'element' | 'label' | null;
  /** (x, y) is inside expectedRect: the expected element's rect, or its label's when via is 'label'. */
  insideRect: boolean;
  url: string;
}

/** Runs in every page of the context, before the page's own scripts. */
export const CLICK_RECORDER_SCRIPT = `(() => {
  if (window.__e2e) return;
  const e2e = (window.__e2e = { expected: null, events: [] });
  const describe = (el) => {
    if (!el || !el.tagName) return String(el);
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + JSON.stringify(text);
  };
  const record = (ev) => {
    const exp = e2e.expected;
    const t = ev.target;
    const inside = (r) => ev.clientX >= r.left && ev.clientX <= r.right && ev.clientY >= r.top && ev.clientY <= r.bottom;
    // A field's own <label> is its click target too (clicking it focuses the field; the browser
    // then sends the field a click at the label's coordinates): judged against the label's rect.
    const under = document.elementFromPoint(ev.clientX, ev.clientY);
    const label = (t && t.closest && t.closest('label')) || (under && under.closest && under.closest('label'));
    const onElement = !!exp && (t === exp || exp.contains(t));
    const viaLabel = !!exp && !!label && label.control === exp && !(onElement && inside(exp.getBoundingClientRect()));
    const via = viaLabel ? 'label' : onElement ? 'element' : null;
    const r = viaLabel ? label.getBoundingClientRect() : exp ? exp.getBoundingClientRect() : null;
    e2e.events.push({
      type: ev.type,
      x: ev.clientX,
      y: ev.clientY,
      target: describe(t),
      expected: exp ? describe(exp) : null,
      expectedRect: r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null,
      onExpected: via !== null,
      via,
      insideRect: !!r && inside(r),
      url: location.pathname,
    });
  };
  window.addEventListener('mousedown', record, true);
  window.addEventListener('click', record, true);
})();`;

export interface FoundTarget {
  /** The element's box in CSS px of the viewport, clipped to it. */
  box: [number, number, number, number];
  viewport: [number, number];
  description: string;
}

/**
 * Finds the element a step names, from the page's DOM: a field by its <label>, aria-label or
 * placeholder; anything clickable by its visible text (then aria-label). Marks it as the
 * expected target of the next pointer events; `null` clears the mark.
 */
export async function findAndMark(page: Page, label: string | null, field: boolean): Promise<FoundTarget | null> {
  return page.evaluate(
    ({ label, field }) => {
      const w = window as unknown as { __e2e?: { expected: Element | null } };
      if (!w.__e2e) throw new Error('the click recorder is not installed in this page');
      w.__e2e.expected = null;
      if (label === null) return null;
      const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
      const want = norm(label);
      const shown = (el: Element) => {
        const r = el.getBoundingClientRect();
        if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) return false;
        const st = getComputedStyle(el);
        return st.visibility !== 'hidden' && st.display !== 'none';
      };
      // An open modal dialog makes the rest of the page inert: look inside it first.
      const scope: ParentNode = document.querySelector('dialog[open]') ?? document;
      const text = (el: Element) => norm((el as HTMLElement).innerText || (el as HTMLInputElement).value);
      let el: Element | undefined;
      if (field) {
        const fields = [...scope.querySelectorAll('input:not([type=hidden]),textarea,select,[contenteditable=true]')].filter(shown) as HTMLInputElement[];
        el =
          fields.find((f) => [...(f.labels ?? [])].some((l) => norm(l.innerText) === want)) ??
          fields.find((f) => norm(f.getAttribute('aria-label')) === want || norm(f.placeholder) === want);
      } else {
        const clickable = [...scope.querySelectorAll('button,a[href],label,summary,[role=button],[role=link],[role=checkbox],input[type=submit],input[type=button]')].filter(shown);
        el = clickable.find((c) => text(c) === want) ?? clickable.find((c) => norm(c.getAttribute('aria-label')) === want);
      }
      if (!el) return null;
      w.__e2e.expected = el;
      const r = el.getBoundingClientRect();
      return {
        box: [Math.max(0, r.left), Math.max(0, r.top), Math.min(innerWidth, r.right), Math.min(innerHeight, r.bottom)] as [number, number, number, number],
        viewport: [innerWidth, innerHeight] as [number, number],
        description: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${JSON.stringify(text(el))}`,
      };
    },
    { label, field },
  );
}

/** Whether the page shows this text (for "Check that … is shown" steps). */
export async function pageShowsText(page: Page, text: string): Promise<boolean> {
  return page.evaluate((t) => (document.body?.innerText ?? '').includes(t), text);
}

/** Every recorded pointer event of every open page of the context, in page order. */
export async function pointerEvents(pages: Page[]): Promise<PagePointerEvent[]> {
  const out: PagePointerEvent[] = [];
  for (const p of pages) {
    if (p.isClosed()) continue;
    const events = (await p.evaluate(() => (window as unknown as { __e2e?: { events: unknown[] } }).__e2e?.events ?? []).catch(() => [])) as PagePointerEvent[];
    out.push(...events);
  }
  return out;
}
