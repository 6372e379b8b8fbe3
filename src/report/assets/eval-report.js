// Filters of a handeye eval index: failed only, by category, by task name. No network.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const failedOnly = $('failed-only');
  const category = $('category');
  const task = $('task-filter');
  const rows = [...document.querySelectorAll('#episodes tr.episode')];

  function apply() {
    const cat = category.value;
    const q = task.value.trim().toLowerCase();
    let shown = 0;
    for (const r of rows) {
      const visible = (!failedOnly.checked || r.dataset.success === 'false') && (!cat || r.dataset.category === cat) && (!q || r.dataset.task.includes(q));
      r.hidden = !visible;
      if (visible) shown++;
    }
    $('shown').textContent = `showing ${shown} of ${rows.length}`;
    const params = new URLSearchParams();
    if (failedOnly.checked) params.set('failed', '1');
    if (cat) params.set('category', cat);
    if (q) params.set('task', q);
    history.replaceState(null, '', params.size ? `#${params}` : location.pathname);
  }

  // Filters survive a round trip to an episode report and back (kept in the URL hash).
  const initial = new URLSearchParams(location.hash.slice(1));
  failedOnly.checked = initial.get('failed') === '1';
  if ([...category.options].some((o) => o.value === initial.get('category'))) category.value = initial.get('category');
  task.value = initial.get('task') || '';

  // Clicking a category in the aggregate table or the plot filters by it.
  for (const el of document.querySelectorAll('#aggregates tr[data-category], .rate-row[data-category]')) {
    el.style.cursor = 'pointer';
    el.addEventListener('click', () => {
      const c = el.getAttribute('data-category');
      category.value = c === 'all' ? '' : c;
      apply();
    });
  }
  failedOnly.addEventListener('change', apply);
  category.addEventListener('change', apply);
  task.addEventListener('input', apply);
  apply();
  document.documentElement.dataset.ready = 'true';
})();
