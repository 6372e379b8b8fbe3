// The step viewer of a handeye run report. Runs from file:// with no network.
// Every string from the trace goes through textContent or setAttribute, never innerHTML.
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const steps = data.steps;
  const $ = (id) => document.getElementById(id);
  const strip = $('filmstrip');
  const main = $('step');
  const search = $('search');
  const showOverlay = $('show-overlay');
  const showSent = $('show-sent');
  let current = -1;
  let query = '';

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== undefined && c !== null && c !== false) e.append(c);
    return e;
  }

  const ms = (v) => (v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(v < 10000 ? 2 : 1)} s`);

  /** Text with every occurrence of the search query wrapped in <mark>. */
  function highlighted(text) {
    const frag = document.createDocumentFragment();
    if (!query) {
      frag.append(text);
      return frag;
    }
    const lower = text.toLowerCase();
    let at = 0;
    for (let i = lower.indexOf(query); i !== -1; i = lower.indexOf(query, at)) {
      frag.append(text.slice(at, i), el('mark', { text: text.slice(i, i + query.length) }));
      at = i + query.length;
    }
    frag.append(text.slice(at));
    return frag;
  }

  function searchable(s) {
    const parts = [s.instruction, s.error, ...s.actions];
    for (const a of s.attempts) parts.push(a.reasoning, a.raw, a.candidates, a.notes, ...a.errors);
    return parts.filter(Boolean).join('\n').toLowerCase();
  }
  const haystacks = steps.map(searchable);

  function textBlock(title, text) {
    if (!text) return undefined;
    const matches = query && text.toLowerCase().includes(query);
    return el('details', { class: 'text', open: !!matches }, el('summary', { text: `${title} (${text.length} chars)` }), el('pre', {}, highlighted(text)));
  }

  function pct(v, of) {
    return `${(v / of) * 100}%`;
  }

  function overlay(s) {
    const { width: W, height: H } = s.frame;
    const ov = el('div', { class: 'overlay' + (showOverlay.checked ? '' : ' hidden'), 'data-frame': `${W}x${H}` });
    const marks = s.attempts.length ? s.attempts[s.attempts.length - 1].marks : undefined;
    for (const m of marks || []) {
      const [x1, y1, x2, y2] = m.box;
      ov.append(el('div', { class: 'ov-mark', style: `left:${pct(x1, W)};top:${pct(y1, H)};width:${pct(x2 - x1, W)};height:${pct(y2 - y1, H)}` }, el('span', { text: String(m.id) })));
    }
    const drag = s.targets.filter((t) => t.role !== 'target');
    if (drag.length === 2) {
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('class', 'ov-drag');
      svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
      svg.setAttribute('preserveAspectRatio', 'none');
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      line.setAttribute('x1', drag[0].point[0]);
      line.setAttribute('y1', drag[0].point[1]);
      line.setAttribute('x2', drag[1].point[0]);
      line.setAttribute('y2', drag[1].point[1]);
      svg.append(line);
      ov.append(svg);
    }
    s.targets.forEach((t, i) => {
      const cls = t.rejected ? ' rejected' : '';
      if (t.box) {
        const [x1, y1, x2, y2] = t.box;
        ov.append(el('div', { class: 'ov-box' + cls, 'data-target': i, style: `left:${pct(x1, W)};top:${pct(y1, H)};width:${pct(x2 - x1, W)};height:${pct(y2 - y1, H)}` }));
      }
      ov.append(el('div', { class: 'ov-point' + cls, 'data-target': i, style: `left:${pct(t.point[0], W)};top:${pct(t.point[1], H)}`, title: `${t.role} (${Math.round(t.point[0])}, ${Math.round(t.point[1])})` }));
      const label = t.label || (t.role !== 'target' ? t.role : '');
      if (label) {
        const [lx, ly] = t.box ? [t.box[0], t.box[1]] : t.point;
        ov.append(el('div', { class: 'ov-label' + cls, style: `left:${pct(lx, W)};top:${pct(ly, H)}`, text: label }));
      }
    });
    return ov;
  }

  function stage(s) {
    const { width: W, height: H } = s.frame;
    // The stage has the frame's aspect ratio and at most 70% of the window's height, so the
    // overlay (in percent of the frame) lands on the same pixels whatever image is shown.
    const box = el('div', { class: 'stage', id: 'stage', style: `aspect-ratio:${W} / ${H};width:min(100%, calc(70vh * ${W / H}))` });
    const useSent = showSent.checked && s.sent;
    const src = useSent ? s.sent.src : s.frame.src;
    if (src) box.append(el('img', { id: 'frame', src, alt: `step ${s.index + 1} frame`, decoding: 'async', 'data-kind': useSent ? 'sent' : 'frame' }));
    else box.append(el('div', { class: 'missing', text: s.frame.missing || 'no frame' }));
    box.append(overlay(s));
    return box;
  }

  function attemptView(a, i) {
    const rejected = a.errors.length > 0;
    const isRepair = i > 0;
    const head = el(
      'div',
      { class: 'attempt-head' },
      el('span', { text: isRepair ? `repair ${i}` : 'attempt' }),
      el('span', { class: 'verdict ' + (rejected ? 'fail' : 'ok'), text: rejected ? `rejected${a.rejectedBy ? ` by ${a.rejectedBy}` : ''}` : 'valid, passed the guard' }),
      el('span', { class: 'ms', text: `model ${ms(a.modelMs)}` }),
    );
    const errors = rejected ? el('ul', { class: 'errors' }, ...a.errors.map((e) => el('li', {}, highlighted(e)))) : undefined;
    return el(
      'div',
      { class: 'attempt' + (rejected ? ' rejected' : '') },
      head,
      errors,
      textBlock('reasoning', a.reasoning),
      textBlock('raw output', a.raw),
      textBlock('candidate actions', a.candidates),
      textBlock('notes', a.notes),
      a.marks ? el('div', { class: 'meta', text: `${a.marks.length} set-of-marks labels drawn` }) : undefined,
    );
  }

  function timing(s) {
    const t = s.timings;
    const sum = t.captureMs + t.modelMs + t.actMs + t.settleMs || 1;
    const bar = el('div', { class: 'timing-bar', id: 'step-timing' });
    for (const [cls, name, v] of [['s-capture', 'capture', t.captureMs], ['s-model', 'model', t.modelMs], ['s-act', 'act', t.actMs], ['s-settle', 'settle', t.settleMs]]) {
      if (v > 0) bar.append(el('span', { class: cls, style: `width:${(v / sum) * 100}%`, title: `${name} ${ms(v)}`, 'data-part': name }));
    }
    const legend = el(
      'div',
      { class: 'timing-legend' },
      ...[['s-capture', 'capture', t.captureMs], ['s-model', 'model', t.modelMs], ['s-act', 'act', t.actMs], ['s-settle', 'settle', t.settleMs]].map(([cls, name, v]) =>
        el('span', {}, el('i', { class: cls }), `${name} ${ms(v)}`),
      ),
      el('span', { text: `total ${ms(t.totalMs)}` }),
    );
    return el('div', {}, bar, legend);
  }

  function render(s) {
    const side = el(
      'div',
      { class: 'side' },
      el('h2', {}, `Step ${s.index + 1} of ${steps.length}`, el('span', { class: 'badge o-' + s.outcome, text: s.outcome })),
      s.instruction ? el('p', { class: 'instruction' }, highlighted(s.instruction)) : undefined,
      s.actions.length ? el('ol', { class: 'actions' }, ...s.actions.map((a) => el('li', {}, highlighted(a)))) : el('p', { class: 'meta', text: 'no action performed' }),
      s.error ? el('p', { class: 'error' }, highlighted(s.error)) : undefined,
      timing(s),
      el('p', {
        class: 'meta',
        text: [
          `tokens ${s.tokens.input} in / ${s.tokens.output} out`,
          s.settle ? `settle: ${s.settle.stable ? 'stable' : 'not stable'} after ${s.settle.thumbnails} looks, ${ms(s.settle.ms)}` : undefined,
          s.frameCheck
            ? `frame ${s.frameCheck.stable ? 'confirmed still' : 'never confirmed still'} by ${s.frameCheck.captures} later capture${s.frameCheck.captures === 1 ? '' : 's'}` +
              (s.frameCheck.dropped ? `, ${s.frameCheck.dropped} decision${s.frameCheck.dropped === 1 ? '' : 's'} on a changing screen dropped` : '')
            : undefined,
        ].filter(Boolean).join(' · '),
      }),
      ...s.attempts.map((a, i) => attemptView(a, i)),
    );
    const frameInfo = el('div', {
      class: 'frame-info',
      text: `frame ${s.frame.width}×${s.frame.height} px (scale ${s.frame.scale})` + (s.sent ? ` · sent to the model as ${s.sent.width}×${s.sent.height}` : ''),
    });
    main.replaceChildren(el('div', { class: 'step', 'data-index': s.index }, el('div', {}, stage(s), frameInfo), side));
  }

  function show(i, opts) {
    if (!steps.length) return;
    i = Math.max(0, Math.min(steps.length - 1, i));
    const prev = strip.children[current];
    if (prev) prev.classList.remove('current');
    current = i;
    const thumb = strip.children[i];
    thumb.classList.add('current');
    thumb.setAttribute('aria-current', 'step');
    if (prev && prev !== thumb) prev.removeAttribute('aria-current');
    if (!(opts && opts.noScroll)) {
      // Scroll the filmstrip sideways only: the page must not jump while someone reads a step.
      const r = thumb.getBoundingClientRect();
      const box = strip.getBoundingClientRect();
      if (r.left < box.left || r.right > box.right) strip.scrollLeft += r.left - box.left - box.width / 2 + r.width / 2;
    }
    $('position').textContent = `${i + 1} / ${steps.length}`;
    for (const svg of document.querySelectorAll('svg[data-steps]')) {
      const c = svg.querySelector('.cursor');
      const n = Number(svg.dataset.steps);
      const w = Number(svg.dataset.width) / n;
      c.setAttribute('x', String(Number(svg.dataset.left) + i * w));
      c.setAttribute('visibility', 'visible');
    }
    render(steps[i]);
    history.replaceState(null, '', `#step-${i + 1}`);
  }

  // Filmstrip: the frames themselves at thumbnail size, loaded lazily (no duplicate images).
  const frag = document.createDocumentFragment();
  steps.forEach((s, i) => {
    const img = s.frame.src ? el('img', { src: s.frame.src, loading: 'lazy', decoding: 'async', alt: '', width: 112, height: 64 }) : el('img', { alt: '' });
    const b = el('button', { type: 'button', class: 'thumb', 'data-index': i, title: `step ${i + 1}: ${s.actions[0] || s.outcome}` }, img, el('span', { class: 'n' }, `#${i + 1}`, el('span', { class: 'o o-' + s.outcome })));
    b.addEventListener('click', () => show(i, { noScroll: true }));
    frag.append(b);
  });
  strip.append(frag);

  $('prev').addEventListener('click', () => show(current - 1));
  $('next').addEventListener('click', () => show(current + 1));
  showOverlay.addEventListener('change', () => main.querySelector('.overlay')?.classList.toggle('hidden', !showOverlay.checked));
  showSent.addEventListener('change', () => show(current, { noScroll: true }));
  showSent.disabled = !steps.some((s) => s.sent);

  const matching = () => steps.map((_, i) => !query || haystacks[i].includes(query));
  search.addEventListener('input', () => {
    query = search.value.trim().toLowerCase();
    const m = matching();
    m.forEach((ok, i) => strip.children[i].classList.toggle('nomatch', !ok));
    $('search-count').textContent = query ? `${m.filter(Boolean).length} step(s) match` : '';
    if (current >= 0) render(steps[current]);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const m = matching();
    for (let k = 1; k <= steps.length; k++) {
      const j = (current + (e.shiftKey ? -k : k) + steps.length) % steps.length;
      if (m[j]) return show(j);
    }
  });

  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type !== 'checkbox') {
      if (e.key === 'Escape') e.target.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'ArrowRight' || e.key === 'j') show(current + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'k') show(current - 1);
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(steps.length - 1);
    else if (e.key === 'o') showOverlay.click();
    else if (e.key === 's' && !showSent.disabled) showSent.click();
    else if (e.key === '/') search.focus();
    else return;
    e.preventDefault();
  });

  // Plots: click a bar to open its step.
  for (const svg of document.querySelectorAll('svg[data-steps]')) {
    svg.addEventListener('click', (e) => {
      const r = svg.getBoundingClientRect();
      const vb = svg.viewBox.baseVal;
      const x = ((e.clientX - r.left) / r.width) * vb.width;
      const i = Math.floor(((x - Number(svg.dataset.left)) / Number(svg.dataset.width)) * Number(svg.dataset.steps));
      if (i >= 0 && i < steps.length) show(i);
    });
  }

  const fromHash = /^#step-(\d+)$/.exec(location.hash);
  show(fromHash ? Number(fromHash[1]) - 1 : 0, { noScroll: !fromHash });
  // Time from navigation start until the first step is on screen, for tests and the curious.
  document.documentElement.dataset.readyMs = performance.now().toFixed(0);
  document.documentElement.dataset.ready = 'true';
})();
