"""Suite tasks: drag and drop to unusual viewports."""
from .common import DONE, TASKS, page, task  # noqa: F401

# ---------------------------------------------------------------- drag and drop
DRAG_JS = """
  // Pointer-event dragging (what a real mouse does), no HTML5 DnD: works for any input source.
  function draggable(node, onDrop) {
    node.addEventListener('mousedown', (down) => {
      down.preventDefault();
      const r = node.getBoundingClientRect(), dx = down.clientX - r.left, dy = down.clientY - r.top;
      const ghost = node.cloneNode(true);
      ghost.style.cssText += `; position: fixed; left: ${r.left}px; top: ${r.top}px; width: ${r.width}px; opacity: .7; pointer-events: none; margin: 0`;
      document.body.append(ghost);
      const move = (e) => { ghost.style.left = e.clientX - dx + 'px'; ghost.style.top = e.clientY - dy + 'px'; };
      const up = (e) => { removeEventListener('mousemove', move); removeEventListener('mouseup', up); ghost.remove(); onDrop(document.elementFromPoint(e.clientX, e.clientY)); };
      addEventListener('mousemove', move); addEventListener('mouseup', up);
    });
  }
"""
task('drag-to-trash', 'drag-drop', 'Drag one file among seeded others onto a drop zone.', 'Drag "Report.pdf" onto "Trash".', ['drag: { from: "Report.pdf", to: "Trash" }'],
 "window.__state.done === true && window.__state.trashed.length === 1", {
 'index.html': page('Desktop', """
<main id="main" style="position: relative; height: 700px"><div id="trash" style="position: absolute; width: 180px; height: 140px; border: 3px dashed #b00020; display: flex; align-items: center; justify-content: center; font-weight: bold">Trash</div></main>""", DRAG_JS + """
  const trash = document.getElementById('trash');
  trash.style.left = between(700, 1050) + 'px'; trash.style.top = between(60, 500) + 'px';
  __state.trashed = [];
  const files = shuffle(['Report.pdf', ...pick(['Photo.png', 'Budget.xlsx', 'Notes.txt', 'Song.mp3', 'Video.mp4'], 3)]);
  files.forEach((f, i) => {
    const node = el('div', { 'data-file': f, style: `position: absolute; left: ${between(40, 420)}px; top: ${40 + i * 150 + between(0, 40)}px; padding: 12px 18px; border: 2px solid #555; background: #f4f4f4; cursor: grab; user-select: none; font-weight: bold` }, f);
    document.getElementById('main').append(node);
    draggable(node, (target) => {
      if (!target || !trash.contains(target)) return;
      node.remove(); __state.trashed.push(f);
      trash.textContent = `Trash (${__state.trashed.length})`;
      __state.done = __state.trashed.includes('Report.pdf');
    });
  });
""")})

task('kanban', 'drag-drop', 'Drag a card between seeded kanban columns.', 'Drag "Fix login bug" onto "Done".', ['drag: { from: "Fix login bug", to: "Done" }'],
 "window.__state.done === true", {
 'index.html': page('Board', """
<main id="board" style="display: flex; gap: 24px; padding: 30px"></main>""", DRAG_JS + """
  const columns = shuffle(['To do', 'Doing', 'Done']);
  const cards = shuffle(['Fix login bug', ...pick(['Write docs', 'Plan sprint', 'Update logo', 'Call vendor', 'Review PR'], 3)]);
  const cols = {};
  document.getElementById('board').style.paddingLeft = between(20, 300) + 'px';
  for (const c of columns) {
    cols[c] = el('section', { 'data-column': c, style: 'width: 260px; min-height: 480px; background: #eef1f6; padding: 12px; border-radius: 6px' }, el('h2', { style: 'margin: 0 0 12px; font-size: 22px' }, c));
    document.getElementById('board').append(cols[c]);
  }
  for (const card of cards) {
    const home = card === 'Fix login bug' ? columns.filter((c) => c !== 'Done')[between(0, 1)] : columns[between(0, 2)];
    const node = el('div', { 'data-card': card, style: 'background: #fff; border: 2px solid #999; padding: 12px; margin-bottom: 10px; cursor: grab; user-select: none' }, card);
    cols[home].append(node);
    draggable(node, (target) => {
      const col = target && target.closest('[data-column]');
      if (!col) return;
      col.append(node);
      if (card === 'Fix login bug') __state.done = col.dataset.column === 'Done';
    });
  }
""")})

# ---------------------------------------------------------------- keyboard shortcuts
task('shortcut-save', 'keyboard', 'Save a seeded document with a keyboard shortcut.', 'Press Control+S.', ['press: ["Control", "s"]'],
 "window.__state.done === true", {
 'index.html': page('Editor', """
<main style="padding: 30px"><h1 id="doc"></h1><p id="state" style="color: #b00020; font-weight: bold">Unsaved changes</p><div id="text" style="white-space: pre-wrap; border: 1px solid #ccc; padding: 14px; max-width: 700px"></div></main>""", """
  document.getElementById('doc').textContent = pick(['Draft: spring plan', 'Minutes 12 May', 'Letter to Mia', 'Ideas list'], 1)[0];
  document.getElementById('text').textContent = Array.from({ length: between(3, 7) }, (_, i) => `${i + 1}. ${pick(['buy paint', 'call Ruth', 'fix door', 'plan trip', 'pay rent', 'read book'], 1)[0]}`).join('\\n');
  addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
      e.preventDefault(); __state.done = true;
      const s = document.getElementById('state'); s.textContent = 'All changes saved'; s.style.color = '#0a6b1f';
    }
  });
""")})

task('command-palette', 'keyboard', 'Open a command palette with a shortcut and run a command by name.', 'Press Control+K, type "dark mode" and press Enter.',
 ['press: ["Control", "k"]', 'type: "dark mode"', 'press: "Enter"'], "window.__state.done === true && window.__state.ran === 'Toggle dark mode'", {
 'index.html': page('App', """
<main style="padding: 30px"><h1>Dashboard</h1><p>Press Ctrl+K for commands.</p><ul id="widgets"></ul></main>
<div id="palette" hidden style="position: fixed; left: 320px; top: 80px; width: 520px; background: #fff; border: 2px solid #333; padding: 12px; box-shadow: 0 6px 20px rgba(0,0,0,.4)">
<input id="cmd" type="text" placeholder="Type a command" style="width: 100%; box-sizing: border-box" autocomplete="off"><div id="matches"></div></div>""", """
  for (const w of pick(['Sales', 'Visitors', 'Errors', 'Signups', 'Revenue'], between(2, 4))) document.getElementById('widgets').append(el('li', {}, `${w}: ${between(10, 999)}`));
  const commands = shuffle(['Toggle dark mode', 'Open settings', 'New file', 'Sign out', 'Show shortcuts', 'Dark mode help']);
  const palette = document.getElementById('palette'), cmd = document.getElementById('cmd'), matches = document.getElementById('matches');
  palette.style.left = between(40, 700) + 'px';
  const list = () => commands.filter((c) => c !== 'Dark mode help' || cmd.value.trim() === '').filter((c) => c.toLowerCase().includes(cmd.value.trim().toLowerCase()));
  const render = () => { matches.textContent = ''; for (const c of list()) matches.append(el('div', { style: 'padding: 6px 4px' }, c)); };
  cmd.addEventListener('input', render);
  addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') { e.preventDefault(); palette.hidden = false; cmd.value = ''; render(); cmd.focus(); }
    else if (e.key === 'Enter' && !palette.hidden) { const first = list()[0]; if (first) { __state.ran = first; __state.done = true; palette.hidden = true; } }
  });
""")})

# ---------------------------------------------------------------- multi-page navigation
NAV_JS = """
  const nav = document.getElementById('nav');
  for (const n of shuffle(['Home', 'Products', 'About', 'Contact'])) nav.append(el('a', { href: withSeed(n === 'Products' ? 'products.html' : n === 'Home' ? 'index.html' : 'index.html#' + n.toLowerCase()), style: `margin-right: ${between(20, 50)}px; font-weight: bold; color: #1a3fa0` }, n));
"""
NAV_HTML = '<nav id="nav" style="padding: 18px 40px; border-bottom: 2px solid #ccc"></nav>'
task('multi-page-shop', 'navigation', 'Navigate across three pages of a seeded shop and add a product to the cart.',
 'Click "Products", click "Desk lamp" and click "Add to cart".', ['click: "Products"', 'click: "Desk lamp"', 'click: "Add to cart"'],
 "window.__state.done === true && location.pathname.endsWith('/product.html')", {
 'index.html': page('Shop', NAV_HTML + """
<main style="padding: 30px 40px"><h1 id="name"></h1><p id="tagline"></p></main>""", NAV_JS + """
  document.getElementById('name').textContent = pick(['Brightside', 'Lumen', 'Homeward', 'Nook'], 1)[0];
  document.getElementById('tagline').textContent = `Free delivery over $${between(20, 90)}.`;
"""),
 'products.html': page('Products', NAV_HTML + """
<main style="padding: 30px 40px"><h1>Products</h1><div id="grid" style="display: flex; flex-wrap: wrap; gap: 20px"></div></main>""", NAV_JS + """
  for (const p of shuffle(['Desk lamp', ...pick(['Floor lamp', 'Armchair', 'Bookshelf', 'Wall clock', 'Rug', 'Vase'], 4)])) {
    document.getElementById('grid').append(el('div', { style: 'width: 200px; border: 1px solid #ccc; padding: 14px' },
      el('a', { href: withSeed('product.html') + '&item=' + encodeURIComponent(p), style: 'font-weight: bold; color: #1a3fa0' }, p), el('p', {}, `$${between(15, 400)}`)));
  }
"""),
 'product.html': page('Product', NAV_HTML + """
<main style="padding: 30px 40px"><h1 id="title"></h1><p id="price"></p><button id="add">Add to cart</button><p class="status" id="status"></p></main>""", NAV_JS + """
  const item = new URLSearchParams(location.search).get('item') || 'Unknown';
  document.getElementById('title').textContent = item;
  document.getElementById('price').textContent = `$${between(15, 400)}, ${between(1, 20)} in stock`;
  document.getElementById('add').addEventListener('click', () => {
    __state.added = item; __state.done = item === 'Desk lamp';
    document.getElementById('status').textContent = `${item} added to your cart.`;
  });
"""),
})

task('wizard', 'navigation', 'Walk a three-screen wizard with seeded options.', 'Enter "Ada" into "Name", click "Next", click "Large", click "Next" and click "Finish".',
 ['type: { text: "Ada", into: "Name" }', 'click: "Next"', 'click: "Large"', 'click: "Next"', 'click: "Finish"'],
 "window.__state.done === true && window.__state.name === 'Ada' && window.__state.size === 'Large'", {
 'index.html': page('Sign up', """
<main id="main" style="padding: 30px; width: 480px"><p id="progress" style="color: #555"></p><section id="s1"><h1>Who are you?</h1><label for="name" style="display: block; margin-bottom: 6px">Name</label><input id="name" type="text" autocomplete="off"></section>
<section id="s2" hidden><h1>Pick a box size</h1><div id="sizes"></div></section><section id="s3" hidden><h1>All set</h1><p id="review"></p></section>
<div style="margin-top: 24px"><button id="next">Next</button><button id="finish" hidden>Finish</button></div></main>""", """
  document.getElementById('main').style.marginLeft = between(0, 600) + 'px';
  let step = 1;
  const show = () => { for (const i of [1, 2, 3]) document.getElementById('s' + i).hidden = i !== step; document.getElementById('next').hidden = step === 3; document.getElementById('finish').hidden = step !== 3; document.getElementById('progress').textContent = `Step ${step} of 3`; };
  for (const s of shuffle(['Small', 'Medium', 'Large'])) document.getElementById('sizes').append(el('button', { class: 'plain', style: 'margin-right: 14px', onclick: (e) => {
    __state.size = s; for (const b of document.querySelectorAll('#sizes button')) b.style.outline = ''; e.currentTarget.style.outline = '3px solid #1a56c4';
  } }, s));
  document.getElementById('next').addEventListener('click', () => {
    if (step === 1) __state.name = document.getElementById('name').value.trim();
    if (step === 2) document.getElementById('review').textContent = `${__state.name}, box size ${__state.size ?? 'not chosen'}.`;
    step++; show();
  });
  document.getElementById('finish').addEventListener('click', () => { __state.done = true; document.getElementById('review').textContent += ' Done!'; });
  show();
""")})

# ---------------------------------------------------------------- same-origin iframe
FRAME_PARENT = """
<main style="padding: 24px 40px"><h1 id="site"></h1><p id="lead"></p><iframe id="frame" style="border: 2px solid #333; width: 560px; height: 300px"></iframe></main>"""
task('iframe-consent', 'iframe', 'Answer a consent prompt that lives in a same-origin iframe.', 'Click "Accept cookies".', ['click: "Accept cookies"'],
 "window.__state.done === true && window.__state.answer === 'Accept cookies'", {
 'index.html': page('Magazine', FRAME_PARENT, """
  document.getElementById('site').textContent = pick(['Daily Fern', 'The Ledger', 'Harbour News', 'Northern Post'], 1)[0];
  document.getElementById('lead').textContent = `${between(3, 12)} new stories today.`;
  const frame = document.getElementById('frame');
  frame.style.marginLeft = between(0, 500) + 'px';
  frame.src = withSeed('frame.html');
"""),
 'frame.html': page('Consent', """
<div style="padding: 20px"><h2 style="margin-top: 0">We value your privacy</h2><p id="why"></p><div id="buttons" style="display: flex; gap: 12px"></div></div>""", """
  document.getElementById('why').textContent = `We and ${between(10, 300)} partners use cookies.`;
  for (const b of shuffle(['Accept cookies', 'Reject all', 'Settings'])) document.getElementById('buttons').append(el('button', { class: b === 'Accept cookies' ? '' : 'plain', onclick: () => {
    // The answer is recorded in the top page, where the success check reads it.
    parent.__state.answer = b; parent.__state.done = true; document.body.textContent = `You chose: ${b}`;
  } }, b));
"""),
})

task('iframe-login', 'iframe', 'Sign in through a form inside a same-origin iframe.', 'Enter "bob" into "Username" and click "Log in".',
 ['type: { text: "bob", into: "Username" }', 'click: "Log in"'], "window.__state.done === true && window.__state.user === 'bob'", {
 'index.html': page('Portal', FRAME_PARENT, """
  document.getElementById('site').textContent = pick(['Staff portal', 'Member area', 'Partner hub'], 1)[0];
  document.getElementById('lead').textContent = `Signed-in users: ${between(5, 500)}.`;
  const frame = document.getElementById('frame');
  frame.style.marginLeft = between(0, 500) + 'px';
  frame.src = withSeed('frame.html');
"""),
 'frame.html': page('Login', """
<form id="form" style="padding: 20px" autocomplete="off"><label for="user" style="display: block; margin-bottom: 6px">Username</label><input id="user" type="text">
<div id="extra"></div><button type="submit" style="margin-top: 16px">Log in</button></form>""", """
  if (rand() < 0.5) document.getElementById('extra').append(el('p', { style: 'color: #555' }, `Tip: ${pick(['use your staff id', 'names are lowercase', 'no password needed here'], 1)[0]}`));
  document.getElementById('form').addEventListener('submit', (e) => {
    e.preventDefault();
    parent.__state.user = document.getElementById('user').value.trim(); parent.__state.done = parent.__state.user.length > 0;
    document.body.textContent = `Hello, ${parent.__state.user}`;
  });
"""),
})

# ---------------------------------------------------------------- canvas
CANVAS_HIT = """
  // The only record of where things are is inside this script: no DOM to lean on.
  // (__state.layout is published for the test's known solution, never read by agents.)
  function hitTest(canvas, items, onHit) {
    canvas.addEventListener('click', (e) => {
      const r = canvas.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
      const hit = items.find((it) => x >= it.x && x <= it.x + it.w && y >= it.y && y <= it.y + it.h);
      onHit(hit);
    });
  }
  function hiDpi(canvas, w, h) { const d = devicePixelRatio || 1; canvas.width = w * d; canvas.height = h * d; canvas.style.width = w + 'px'; canvas.style.height = h + 'px'; const g = canvas.getContext('2d'); g.scale(d, d); return g; }
"""
task('canvas-colors', 'canvas', 'Click a colour button drawn on a canvas (no DOM elements).', 'Click "Green".', ['click: "Green"'],
 "window.__state.done === true && window.__state.picked === 'Green'", {
 'index.html': page('Palette', """
<main style="padding: 20px"><h1>Pick a colour</h1><canvas id="c"></canvas></main>""", CANVAS_HIT + """
  const canvas = document.getElementById('c');
  const g = hiDpi(canvas, 1100, 460);
  const names = shuffle(['Green', ...pick(['Red', 'Blue', 'Yellow', 'Purple', 'Orange', 'Brown', 'Gray'], 5)]);
  const items = names.map((n, i) => ({ name: n, x: (i % 3) * 360 + between(0, 120), y: Math.floor(i / 3) * 220 + between(10, 100), w: 190, h: 64 }));
  g.font = 'bold 26px "DejaVu Sans", sans-serif'; g.textBaseline = 'middle'; g.textAlign = 'center';
  const draw = () => {
    g.clearRect(0, 0, 1100, 460);
    for (const it of items) { g.fillStyle = it.name === __state.picked ? '#1a56c4' : '#e4e4e4'; g.fillRect(it.x, it.y, it.w, it.h); g.strokeStyle = '#333'; g.lineWidth = 2; g.strokeRect(it.x, it.y, it.w, it.h); g.fillStyle = it.name === __state.picked ? '#fff' : '#111'; g.fillText(it.name, it.x + it.w / 2, it.y + it.h / 2); }
  };
  __state.layout = items;
  hitTest(canvas, items, (hit) => { if (!hit) return; __state.picked = hit.name; __state.done = hit.name === 'Green'; draw(); });
  draw();
""")})

task('canvas-keypad', 'canvas', 'Enter a code on a keypad drawn on a canvas with seeded key order.', 'Click "7", click "3" and click "OK".',
 ['click: "7"', 'click: "3"', 'click: "OK"'], "window.__state.done === true && window.__state.code === '73'", {
 'index.html': page('Keypad', """
<main style="padding: 20px"><h1>Enter the door code</h1><canvas id="c"></canvas></main>""", CANVAS_HIT + """
  const canvas = document.getElementById('c');
  const g = hiDpi(canvas, 700, 520);
  const keys = shuffle(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']).concat(['OK']);
  const ox = between(0, 300);
  const items = keys.map((k, i) => ({ name: k, x: ox + (i % 3) * 110, y: 80 + Math.floor(i / 3) * 100, w: 90, h: 80 }));
  __state.code = ''; __state.layout = items;
  const draw = () => {
    g.clearRect(0, 0, 700, 520); g.font = 'bold 30px "DejaVu Sans", sans-serif'; g.textBaseline = 'middle'; g.textAlign = 'center';
    g.fillStyle = '#111'; g.fillText('Code: ' + (__state.code || '—'), ox + 160, 36);
    for (const it of items) { g.fillStyle = '#e4e4e4'; g.fillRect(it.x, it.y, it.w, it.h); g.strokeStyle = '#333'; g.strokeRect(it.x, it.y, it.w, it.h); g.fillStyle = '#111'; g.fillText(it.name, it.x + it.w / 2, it.y + it.h / 2); }
  };
  hitTest(canvas, items, (hit) => {
    if (!hit) return;
    if (hit.name === 'OK') __state.done = __state.code === '73'; else __state.code = (__state.code + hit.name).slice(-6);
    draw();
  });
  draw();
""")})

# ---------------------------------------------------------------- tiny text, dark theme
task('tiny-text', 'tiny-text', 'Click a link set in 9 px type in a seeded footer.', 'Click "Terms of service".', ['click: "Terms of service"'],
 "location.hash === '#terms-of-service' && window.__state.done === true", {
 'index.html': page('Landing', """
<main style="padding: 40px; height: 560px"><h1 id="hero"></h1><p id="sub"></p></main><footer id="footer" style="padding: 10px 40px; border-top: 1px solid #ccc; font-size: 9px"></footer>""", """
  document.getElementById('hero').textContent = pick(['Work, simplified', 'Plan less, do more', 'Your week at a glance'], 1)[0];
  document.getElementById('sub').textContent = `Trusted by ${between(2, 90)} teams.`;
  document.getElementById('footer').style.paddingLeft = between(20, 700) + 'px';
  for (const l of shuffle(['Terms of service', ...pick(['Privacy', 'Cookies', 'Imprint', 'Sitemap', 'Careers', 'Contact'], 4)])) document.getElementById('footer').append(el('a', { href: '#' + l.toLowerCase().replace(/ /g, '-'), style: `margin-right: ${between(10, 30)}px; color: #333` }, l));
  addEventListener('hashchange', () => { if (location.hash === '#terms-of-service') __state.done = true; else __state.wrong++; });
""")})

task('dark-theme', 'dark-theme', 'Fill and save a form in a dark colour scheme.', 'Enter "Lisbon" into "City" and click "Save".',
 ['type: { text: "Lisbon", into: "City" }', 'click: "Save"'], "window.__state.done === true && window.__state.city === 'Lisbon'", {
 'index.html': page('Profile', """
<main id="main" style="padding: 30px; width: 440px"><h1>Profile</h1><form id="form" autocomplete="off"></form><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.marginLeft = between(0, 600) + 'px';
  const fields = shuffle([['city', 'City'], ...pick([['street', 'Street'], ['zip', 'Postcode'], ['country', 'Country']], 2)]);
  const form = document.getElementById('form');
  for (const [id, label] of fields) form.append(el('label', { for: id, style: 'display: block; margin: 14px 0 4px' }, label), el('input', { id, type: 'text', style: 'width: 100%; box-sizing: border-box' }));
  form.append(el('button', { type: 'submit', style: 'margin-top: 20px' }, 'Save'));
  form.addEventListener('submit', (e) => { e.preventDefault(); __state.city = document.getElementById('city').value.trim(); __state.done = true; document.getElementById('status').textContent = 'Saved.'; });
""", css="""
  body { background: #121417; color: #e6e6e6; }
  input[type=text] { background: #1e2227; color: #f0f0f0; border-color: #8a8f98; }
  button { background: #3b82f6; border-color: #3b82f6; }
  .status { color: #7ee29a; }
""")})

# ---------------------------------------------------------------- unusual viewports
task('mobile-menu', 'viewports', 'Open a hamburger menu on a 390x844 phone screen at DPR 3.', 'Tap "Menu" and tap "Settings".',
 ['click: "Menu"', 'click: "Settings"'], "window.__state.done === true", {
 'index.html': page('Phone app', """
<header style="display: flex; justify-content: space-between; align-items: center; padding: 12px 16px; background: #1a56c4; color: #fff"><b id="app"></b><button id="menu-btn" style="background: #fff; color: #1a56c4">Menu</button></header>
<nav id="menu" hidden style="background: #f4f4f4; border-bottom: 2px solid #999"></nav><main style="padding: 16px"><p id="feed"></p></main>""", """
  document.getElementById('app').textContent = pick(['Tasks', 'Wallet', 'Fitness', 'Recipes'], 1)[0];
  document.getElementById('feed').textContent = `${between(2, 30)} updates since yesterday.`;
  const menu = document.getElementById('menu');
  for (const m of shuffle(['Settings', ...pick(['Profile', 'Help', 'History', 'Friends', 'Sign out'], 3)])) menu.append(el('div', { style: 'padding: 14px 16px; border-top: 1px solid #ddd; font-weight: bold', onclick: () => { __state.opened = m; __state.done = m === 'Settings'; menu.hidden = true; document.getElementById('feed').textContent = `${m} opened.`; } }, m));
  document.getElementById('menu-btn').addEventListener('click', () => { menu.hidden = !menu.hidden; });
"""),
}, viewport=(390, 844), dpr=3, mobile=True)

task('ultrawide-dashboard', 'viewports', 'Find a button on a 3440x1440 dashboard at a seeded spot.', 'Click "Export report".', ['click: "Export report"'],
 "window.__state.done === true", {
 'index.html': page('Dashboard', """
<main id="grid" style="display: grid; grid-template-columns: repeat(6, 1fr); gap: 24px; padding: 30px"></main>""", """
  const cells = shuffle(['Export report', ...Array.from({ length: 11 }, (_, i) => `Widget ${i + 1}`)]);
  for (const c of cells) {
    const box = el('section', { style: `border: 1px solid #ccc; padding: 20px; height: ${between(200, 420)}px` }, el('h2', { style: 'margin-top: 0' }, c === 'Export report' ? 'Reports' : c), el('p', {}, `${between(10, 9999)} events`));
    if (c === 'Export report') box.append(el('button', { onclick: () => { __state.done = true; box.append(el('p', {}, 'Export started.')); } }, 'Export report'));
    document.getElementById('grid').append(box);
  }
""")}, viewport=(3440, 1440))

task('toolbar-strip', 'viewports', 'Click a tool in a seeded toolbar on a 1024x256 strip.', 'Click "Export".', ['click: "Export"'],
 "window.__state.done === true", {
 'index.html': page('Toolbar', """
<div id="bar" style="display: flex; flex-wrap: wrap; gap: 8px; padding: 10px"></div><p class="status" id="status" style="padding: 0 10px"></p>""", """
  for (const t of shuffle(['Export', ...pick(['Open', 'Save', 'Undo', 'Redo', 'Cut', 'Copy', 'Paste', 'Zoom', 'Crop', 'Rotate', 'Share', 'Print'], 9)])) document.getElementById('bar').append(el('button', { class: 'plain', style: `padding: 6px ${between(10, 22)}px`, onclick: () => { __state.tool = t; __state.done = t === 'Export'; document.getElementById('status').textContent = `${t} chosen.`; } }, t));
""")}, viewport=(1024, 256))

task('retina-order', 'viewports', 'Pick an option and order on a DPR 2 screen.', 'Select "Oat milk" and click "Order".', ['select: "Oat milk"', 'click: "Order"'],
 "window.__state.done === true && window.__state.milk === 'Oat milk'", {
 'index.html': page('Cafe', """
<main id="main" style="padding: 30px"><h1 id="drink"></h1><div id="milks"></div><button id="order" style="margin-top: 18px">Order</button><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 600) + 'px';
  document.getElementById('drink').textContent = pick(['Flat white', 'Latte', 'Cappuccino', 'Cortado'], 1)[0];
  shuffle(['Oat milk', 'Whole milk', 'Soy milk', 'No milk']).forEach((m, i) => {
    const input = el('input', { type: 'radio', name: 'milk', id: 'm' + i, value: m, style: 'width: 18px; height: 18px; vertical-align: middle; margin-right: 10px' });
    document.getElementById('milks').append(el('div', { style: 'margin: 12px 0' }, input, el('label', { for: 'm' + i }, m)));
  });
  document.getElementById('order').addEventListener('click', () => { __state.milk = document.querySelector('input[name=milk]:checked')?.value; __state.done = !!__state.milk; document.getElementById('status').textContent = `Ordered with ${__state.milk ?? 'nothing'}.`; });
""")}, dpr=2)

