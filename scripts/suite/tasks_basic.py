"""Suite tasks: buttons to scrolling."""
from .common import DONE, TASKS, page, task  # noqa: F401

# ---------------------------------------------------------------- buttons and links
task('buttons', 'buttons-links', 'Click one button of a seeded toolbar.', 'Click "Archive".', ['click: "Archive"'], DONE, {
 'index.html': page('Mail', """
<main id="main" style="padding: 40px"><h1>Inbox</h1><p id="subject"></p><div id="bar"></div><p class="status" id="status"></p></main>""", """
  const main = document.getElementById('main');
  main.style.paddingLeft = between(30, 400) + 'px';
  main.style.paddingTop = between(10, 180) + 'px';
  document.getElementById('subject').textContent = pick(['Quarterly numbers', 'Lunch on Friday?', 'Your invoice', 'Team offsite', 'Password changed'], 1)[0];
  const labels = shuffle(['Archive', ...pick(['Reply', 'Forward', 'Delete', 'Snooze', 'Label', 'Move', 'Print', 'Mute', 'Flag', 'Pin'], 5)]);
  const bar = document.getElementById('bar');
  for (const l of labels) bar.append(el('button', { class: l === 'Archive' ? '' : 'plain', style: `margin: 0 ${between(8, 30)}px 0 0`, onclick: () => {
    __state.clicked = l;
    if (l === 'Archive') { __state.done = true; document.getElementById('status').textContent = 'Message archived.'; } else __state.wrong++;
  } }, l));
""")})

task('links', 'buttons-links', 'Follow one link of a seeded navigation bar.', 'Click the "Pricing" link.', ['click: "Pricing"'],
 "location.hash === '#pricing' && window.__state.done === true", {
 'index.html': page('Example Co', """
<nav id="nav" style="padding: 20px 40px; border-bottom: 2px solid #ccc"></nav>
<main style="padding: 30px 40px"><h1 id="title">Welcome</h1><p id="blurb"></p><ul id="articles"></ul></main>""", """
  const names = shuffle(['Pricing', ...pick(['About', 'Blog', 'Careers', 'Docs', 'Support', 'Status', 'Press', 'Partners'], 5)]);
  const nav = document.getElementById('nav');
  for (const n of names) nav.append(el('a', { href: '#' + n.toLowerCase(), style: `margin-right: ${between(20, 60)}px; color: #1a3fa0; font-weight: bold` }, n));
  const list = document.getElementById('articles');
  for (const t of pick(['How we ship', 'A year in review', 'Scaling the team', 'Notes on latency', 'Our new office', 'Hiring in Lisbon'], between(2, 5))) list.append(el('li', {}, t));
  document.getElementById('blurb').textContent = `Serving ${between(10, 900)} customers since ${between(1990, 2020)}.`;
  addEventListener('hashchange', () => {
    const name = location.hash.slice(1);
    document.getElementById('title').textContent = name.charAt(0).toUpperCase() + name.slice(1);
    if (name === 'pricing') __state.done = true; else __state.wrong++;
  });
""")})

# ---------------------------------------------------------------- text entry and forms
task('form-contact', 'forms', 'Fill two fields of a seeded contact form and send it.',
 'Enter "Ada Lovelace" into "Full name", enter "ada@example.com" into "Email" and click "Send".',
 ['type: { text: "Ada Lovelace", into: "Full name" }', 'type: { text: "ada@example.com", into: "Email" }', 'click: "Send"'],
 "window.__state.done === true && window.__state.sent.name === 'Ada Lovelace' && window.__state.sent.email === 'ada@example.com'", {
 'index.html': page('Contact', """
<main id="main" style="width: 460px"><h1>Contact us</h1><form id="form" autocomplete="off"></form><p class="status" id="status"></p></main>""", """
  const main = document.getElementById('main');
  main.style.margin = `${between(10, 60)}px 0 0 ${between(40, 700)}px`;
  const fields = shuffle([['name', 'Full name'], ['email', 'Email'], ...pick([['company', 'Company'], ['phone', 'Phone'], ['city', 'City']], 2)]);
  const form = document.getElementById('form');
  for (const [id, label] of fields) {
    form.append(el('label', { for: id, style: 'display: block; margin: 12px 0 4px' }, label));
    form.append(el('input', { id, type: 'text', style: 'width: 100%; box-sizing: border-box' }));
  }
  form.append(el('button', { type: 'submit', style: 'margin-top: 20px' }, 'Send'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    __state.sent = { name: document.getElementById('name').value.trim(), email: document.getElementById('email').value.trim() };
    __state.done = true;
    document.getElementById('status').textContent = `Thanks, ${__state.sent.name}!`;
  });
""")})

task('textarea-note', 'forms', 'Write a note into a textarea and save it.', 'Enter "Buy more tea" into "Note" and click "Save note".',
 ['type: { text: "Buy more tea", into: "Note" }', 'click: "Save note"'], "window.__state.done === true && window.__state.saved === 'Buy more tea'", {
 'index.html': page('Notes', """
<main id="main" style="display: flex; gap: 40px; padding: 30px"><section id="editor"><h1>New note</h1><label for="note" style="display:block">Note</label>
<textarea id="note" rows="4" cols="32"></textarea><br><button id="save" style="margin-top: 14px">Save note</button><p class="status" id="status"></p></section>
<section id="old"><h2>Earlier notes</h2><ul id="notes"></ul></section></main>""", """
  const main = document.getElementById('main');
  if (rand() < 0.5) main.style.flexDirection = 'row-reverse';
  main.style.paddingLeft = between(20, 300) + 'px';
  for (const n of pick(['Call the bank', 'Water the plants', 'Book flights', 'Return library books', 'Fix the bike', 'Email Sam'], between(2, 5))) document.getElementById('notes').append(el('li', {}, n));
  document.getElementById('save').addEventListener('click', () => {
    __state.saved = document.getElementById('note').value.trim();
    __state.done = __state.saved.length > 0;
    document.getElementById('status').textContent = 'Saved.';
  });
""")})

task('search-box', 'forms', 'Search by typing and pressing Enter.', 'Type "lanterns" into "Search" and press Enter.',
 ['type: { text: "lanterns", into: "Search", submit: true }'], "window.__state.done === true && window.__state.query === 'lanterns'", {
 'index.html': page('Shop search', """
<main id="main" style="padding: 30px 40px"><h1 id="shop"></h1><form id="form" autocomplete="off"><input id="q" type="text" placeholder="Search" aria-label="Search" style="width: 380px"></form>
<p>Popular: <span id="chips"></span></p><ul id="results"></ul></main>""", """
  document.getElementById('shop').textContent = pick(['Lamp & Co', 'Brightside', 'Glow Market', 'Candle Corner'], 1)[0];
  document.getElementById('main').style.paddingTop = between(10, 200) + 'px';
  document.getElementById('main').style.paddingLeft = between(20, 500) + 'px';
  for (const c of pick(['candles', 'mirrors', 'rugs', 'vases', 'clocks', 'frames'], 3)) document.getElementById('chips').append(el('span', { style: 'margin-right: 16px; color: #555' }, c));
  document.getElementById('form').addEventListener('submit', (e) => {
    e.preventDefault();
    __state.query = document.getElementById('q').value.trim();
    __state.done = __state.query.length > 0;
    const ul = document.getElementById('results'); ul.textContent = '';
    for (let i = 1; i <= 3; i++) ul.append(el('li', {}, `${__state.query} result ${i}`));
  });
""")})

# ---------------------------------------------------------------- checkboxes, radios, toggles
task('checkbox', 'toggles', 'Tick one checkbox among seeded others and continue.', 'Check "Subscribe to newsletter" and click "Continue".',
 ['click: "Subscribe to newsletter"', 'click: "Continue"'],
 "window.__state.done === true && window.__state.checked.includes('Subscribe to newsletter')", {
 'index.html': page('Preferences', """
<main id="main" style="padding: 30px"><h1>Before you go on</h1><div id="boxes"></div><button id="go" style="margin-top: 20px">Continue</button><p class="status" id="status"></p></main>""", """
  const main = document.getElementById('main');
  main.style.paddingLeft = between(20, 600) + 'px';
  const labels = shuffle(['Subscribe to newsletter', ...pick(['Remember me', 'Share usage data', 'Show tips', 'Send me offers', 'Enable sounds'], 3)]);
  const box = document.getElementById('boxes');
  labels.forEach((l, i) => {
    const id = 'c' + i;
    const input = el('input', { type: 'checkbox', id, 'data-label': l, style: 'width: 22px; height: 22px; vertical-align: middle; margin-right: 10px' });
    if (l !== 'Subscribe to newsletter' && rand() < 0.4) input.checked = true;
    box.append(el('div', { style: `margin: ${between(10, 22)}px 0` }, input, el('label', { for: id }, l)));
  });
  document.getElementById('go').addEventListener('click', () => {
    __state.checked = [...document.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.dataset.label);
    __state.done = true;
    document.getElementById('status').textContent = 'Preferences saved.';
  });
""")})

task('radio', 'toggles', 'Choose one radio option among seeded plans and confirm.', 'Click "Pro plan" and click "Confirm plan".',
 ['click: "Pro plan"', 'click: "Confirm plan"'], "window.__state.done === true && window.__state.plan === 'Pro plan'", {
 'index.html': page('Plans', """
<main id="main" style="padding: 30px"><h1>Choose a plan</h1><div id="plans"></div><button id="confirm" style="margin-top: 20px">Confirm plan</button><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 600) + 'px';
  const plans = shuffle(['Free plan', 'Basic plan', 'Pro plan', 'Team plan']);
  const initial = pick(plans.filter((p) => p !== 'Pro plan'), 1)[0];
  plans.forEach((p, i) => {
    const input = el('input', { type: 'radio', name: 'plan', id: 'p' + i, value: p, style: 'width: 20px; height: 20px; vertical-align: middle; margin-right: 10px' });
    input.checked = p === initial;
    document.getElementById('plans').append(el('div', { style: 'margin: 14px 0' }, input, el('label', { for: 'p' + i }, p), el('span', { style: 'color: #555; margin-left: 14px; font-weight: normal' }, `$${between(0, 40)}/month`)));
  });
  document.getElementById('confirm').addEventListener('click', () => {
    __state.plan = document.querySelector('input[name=plan]:checked')?.value;
    __state.done = true;
    document.getElementById('status').textContent = `You chose ${__state.plan}.`;
  });
""")})

task('toggle-switch', 'toggles', 'Turn on one switch in a seeded settings list, leaving the others alone.', 'Turn on "Airplane mode".',
 ['click: "Airplane mode"'], "window.__state.done === true && window.__state.othersUnchanged === true", {
 'index.html': page('Settings', """
<main id="main" style="width: 520px; padding: 20px"><h1>Settings</h1><div id="rows"></div></main>""", """
  document.getElementById('main').style.marginLeft = between(0, 600) + 'px';
  const rows = shuffle(['Airplane mode', ...pick(['Bluetooth', 'Wi-Fi', 'Location', 'Dark mode', 'Notifications', 'Auto update'], 4)]);
  const initial = {};
  for (const r of rows) initial[r] = r === 'Airplane mode' ? false : rand() < 0.5;
  const state = { ...initial };
  const check = () => {
    __state.done = state['Airplane mode'] === true;
    __state.othersUnchanged = rows.every((r) => r === 'Airplane mode' || state[r] === initial[r]);
  };
  for (const r of rows) {
    const knob = el('span', { style: 'position: absolute; top: 3px; width: 22px; height: 22px; border-radius: 11px; background: #fff' });
    const sw = el('span', { role: 'switch', 'data-label': r, style: 'position: relative; display: inline-block; width: 52px; height: 28px; border-radius: 14px; cursor: pointer' }, knob);
    const paint = () => { sw.style.background = state[r] ? '#1a56c4' : '#999'; knob.style.left = state[r] ? '27px' : '3px'; sw.setAttribute('aria-checked', String(state[r])); };
    const flip = () => { state[r] = !state[r]; paint(); check(); };
    paint();
    const label = el('span', { style: 'font-weight: bold; cursor: pointer', onclick: flip }, r);
    sw.addEventListener('click', flip);
    document.getElementById('rows').append(el('div', { style: 'display: flex; justify-content: space-between; align-items: center; padding: 14px 0; border-bottom: 1px solid #ddd' }, label, sw));
  }
  check();
""")})

# ---------------------------------------------------------------- dropdowns
task('native-select', 'dropdowns', 'Pick an option of a native <select> among seeded ones and apply.', 'Select "Teal" from "Color" and click "Apply".',
 ['select: { option: "Teal", in: "Color" }', 'click: "Apply"'], "window.__state.done === true && window.__state.color === 'Teal'", {
 'index.html': page('Theme', """
<main id="main" style="padding: 30px"><h1>Theme</h1><div id="fields"></div><button id="apply" style="margin-top: 20px">Apply</button><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 600) + 'px';
  const colors = shuffle(['Teal', ...pick(['Red', 'Orange', 'Purple', 'Gray', 'Navy', 'Olive', 'Pink'], 4)]);
  const sizes = shuffle(['Small', 'Medium', 'Large']);
  const make = (id, label, opts) => {
    const s = el('select', { id, style: 'display: block; margin: 4px 0 16px; min-width: 200px' });
    for (const o of opts) s.append(el('option', { value: o }, o));
    return [el('label', { for: id }, label), s];
  };
  const blocks = shuffle([make('color', 'Color', colors[0] === 'Teal' ? [colors[1], colors[0], ...colors.slice(2)] : colors), make('size', 'Font size', sizes)]);
  for (const b of blocks) document.getElementById('fields').append(...b);
  document.getElementById('color').selectedIndex = 0;
  document.getElementById('apply').addEventListener('click', () => {
    __state.color = document.getElementById('color').value;
    __state.done = true;
    document.getElementById('status').textContent = `Applied ${__state.color}.`;
  });
""")})

task('custom-dropdown', 'dropdowns', 'Open a div-based dropdown, pick an option, confirm.', 'Click "Choose a size", click "Large" and click "Done".',
 ['click: "Choose a size"', 'click: "Large"', 'click: "Done"'], "window.__state.done === true && window.__state.size === 'Large'", {
 'index.html': page('Order', """
<main id="main" style="padding: 30px"><h1 id="item"></h1><div style="position: relative; display: inline-block"><button id="toggle" class="plain" style="min-width: 220px">Choose a size</button>
<div id="menu" hidden style="position: absolute; top: 48px; left: 0; background: #fff; border: 2px solid #555; min-width: 220px; z-index: 2"></div></div>
<div style="margin-top: 230px"><button id="done">Done</button></div><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 600) + 'px';
  document.getElementById('item').textContent = pick(['Linen shirt', 'Wool coat', 'Rain jacket', 'Cotton tee'], 1)[0];
  const menu = document.getElementById('menu');
  const toggle = document.getElementById('toggle');
  for (const s of shuffle(['Small', 'Medium', 'Large', 'Huge'])) menu.append(el('div', { role: 'option', style: 'padding: 10px 16px; cursor: pointer; border-bottom: 1px solid #ddd', onclick: () => {
    __state.size = s; toggle.textContent = 'Size: ' + s; menu.hidden = true;
  } }, s));
  toggle.addEventListener('click', () => { menu.hidden = !menu.hidden; });
  document.getElementById('done').addEventListener('click', () => {
    __state.done = !!__state.size;
    document.getElementById('status').textContent = __state.size ? `Size ${__state.size} chosen.` : 'Choose a size first.';
  });
""")})

# ---------------------------------------------------------------- date and number pickers
task('date-picker', 'pickers', 'Open a calendar for a seeded month and pick a day.', 'Click "Pick a date", click "17" and click "Apply".',
 ['click: "Pick a date"', 'click: "17"', 'click: "Apply"'], "window.__state.done === true && window.__state.day === 17", {
 'index.html': page('Booking', """
<main id="main" style="padding: 30px"><h1>Book a table</h1><button id="open" class="plain">Pick a date</button>
<div id="cal" hidden style="margin-top: 14px; border: 2px solid #555; padding: 12px; width: 340px"><div id="month" style="font-weight: bold; margin-bottom: 8px"></div>
<div id="grid" style="display: grid; grid-template-columns: repeat(7, 44px); gap: 4px"></div><button id="apply" style="margin-top: 12px">Apply</button></div><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 700) + 'px';
  const year = between(2026, 2034), month = between(0, 11);
  const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  document.getElementById('month').textContent = `${names[month]} ${year}`;
  const first = new Date(year, month, 1).getDay(), days = new Date(year, month + 1, 0).getDate();
  const grid = document.getElementById('grid');
  for (const d of ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa']) grid.append(el('div', { style: 'color: #555; text-align: center' }, d));
  for (let i = 0; i < first; i++) grid.append(el('div', {}));
  for (let d = 1; d <= days; d++) grid.append(el('div', { 'data-day': String(d), style: 'text-align: center; padding: 6px 0; cursor: pointer; border-radius: 4px', onclick: (e) => {
    for (const c of grid.querySelectorAll('[data-day]')) c.style.background = '';
    e.currentTarget.style.background = '#bcd3ff'; __state.picked = d;
  } }, String(d)));
  document.getElementById('open').addEventListener('click', () => { document.getElementById('cal').hidden = false; });
  document.getElementById('apply').addEventListener('click', () => {
    __state.day = __state.picked; __state.done = !!__state.picked; document.getElementById('cal').hidden = true;
    document.getElementById('open').textContent = `${names[month]} ${__state.picked}, ${year}`;
  });
""")})

task('number-stepper', 'pickers', 'Set a number field starting from a seeded value and update.', 'Enter "7" into "Quantity" and click "Update".',
 ['type: { text: "7", into: "Quantity" }', 'click: "Update"'], "window.__state.done === true && window.__state.quantity === 7", {
 'index.html': page('Cart', """
<main id="main" style="padding: 30px"><h1>Your cart</h1><p id="item"></p><label for="qty" style="display: block; margin-bottom: 6px">Quantity</label>
<button id="minus" class="plain" aria-label="less">-</button> <input id="qty" type="number" min="0" max="99" style="width: 80px"> <button id="plus" class="plain" aria-label="more">+</button>
<div style="margin-top: 18px"><button id="update">Update</button></div><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 700) + 'px';
  document.getElementById('main').style.paddingTop = between(10, 150) + 'px';
  document.getElementById('item').textContent = `${pick(['Green tea', 'Espresso beans', 'Oat biscuits', 'Honey jar'], 1)[0]}, $${between(3, 30)} each`;
  const qty = document.getElementById('qty');
  qty.value = String(between(1, 5));
  document.getElementById('minus').addEventListener('click', () => { qty.value = String(Math.max(0, Number(qty.value) - 1)); });
  document.getElementById('plus').addEventListener('click', () => { qty.value = String(Number(qty.value) + 1); });
  document.getElementById('update').addEventListener('click', () => {
    __state.quantity = Number(qty.value); __state.done = true;
    document.getElementById('status').textContent = `Cart updated: ${__state.quantity}.`;
  });
""")})

# ---------------------------------------------------------------- tabs and accordions
task('tabs', 'tabs-accordions', 'Switch to a tab among seeded ones and choose an option in it.', 'Click the "Shipping" tab and click "Express delivery".',
 ['click: "Shipping"', 'click: "Express delivery"'], "window.__state.done === true && window.__state.choice === 'Express delivery'", {
 'index.html': page('Checkout', """
<main id="main" style="padding: 30px"><h1>Checkout</h1><div id="tabs" role="tablist" style="display: flex; gap: 6px; border-bottom: 2px solid #555"></div><div id="panel" style="padding: 20px 0"></div><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 500) + 'px';
  const content = {
    Account: ['Sign out', 'Change email'], Billing: ['Add card', 'Use voucher'], Privacy: ['Download data', 'Clear history'],
    Shipping: shuffle(['Express delivery', ...pick(['Standard delivery', 'Pick up in store', 'Locker delivery'], 2)]),
  };
  const names = shuffle(Object.keys(content));
  let active = names.find((n) => n !== 'Shipping');
  const render = () => {
    const tabs = document.getElementById('tabs'); tabs.textContent = '';
    for (const n of names) tabs.append(el('div', { role: 'tab', style: `padding: 10px 22px; cursor: pointer; font-weight: bold; ${n === active ? 'background: #1a56c4; color: #fff' : 'background: #eee'}`, onclick: () => { active = n; render(); } }, n));
    const panel = document.getElementById('panel'); panel.textContent = '';
    for (const c of content[active]) panel.append(el('button', { class: 'plain', style: 'display: block; margin: 10px 0', onclick: () => {
      __state.choice = c; __state.done = active === 'Shipping' && c === 'Express delivery';
      document.getElementById('status').textContent = `${c} selected.`;
    } }, c));
  };
  render();
""")})

task('accordion', 'tabs-accordions', 'Expand one accordion section among seeded ones and use its button.', 'Expand "Returns" and click "Start a return".',
 ['click: "Returns"', 'click: "Start a return"'], "window.__state.done === true", {
 'index.html': page('Help', """
<main id="main" style="width: 560px; padding: 20px"><h1>Help centre</h1><div id="acc"></div><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.marginLeft = between(0, 600) + 'px';
  const body = { Orders: ['Track an order'], Returns: ['Start a return'], Payments: ['Update a card'], Delivery: ['Change address'], Account: ['Reset password'] };
  for (const name of shuffle(Object.keys(body))) {
    const inner = el('div', { hidden: '', style: 'padding: 10px 16px' }, el('p', {}, `Questions about ${name.toLowerCase()}: ${between(2, 9)} articles.`));
    for (const b of body[name]) inner.append(el('button', { class: 'plain', onclick: () => { __state.used = b; if (b === 'Start a return') __state.done = true; else __state.wrong++; document.getElementById('status').textContent = `${b}: opened.`; } }, b));
    const head = el('div', { style: 'padding: 12px 16px; font-weight: bold; cursor: pointer; border: 2px solid #999; margin-top: 6px; background: #f4f4f4', onclick: () => { inner.hidden = !inner.hidden; } }, name);
    document.getElementById('acc').append(head, inner);
  }
""")})

# ---------------------------------------------------------------- dialogs and popups
task('dialog-confirm', 'dialogs', 'Open a confirmation dialog whose buttons are in seeded order and confirm.', 'Click "Delete project" and click "Yes, delete".',
 ['click: "Delete project"', 'click: "Yes, delete"'], "window.__state.done === true", {
 'index.html': page('Projects', """
<main id="main" style="padding: 30px"><h1 id="project"></h1><p id="meta"></p><button id="del" style="background: #b00020; border-color: #b00020">Delete project</button><p class="status" id="status"></p></main>
<div id="backdrop" hidden style="position: fixed; inset: 0; background: rgba(0,0,0,.45)"><div id="dialog" role="dialog" style="position: absolute; background: #fff; padding: 24px; border-radius: 6px; width: 380px">
<h2 style="margin-top: 0">Delete this project?</h2><p id="warn"></p><div id="buttons" style="display: flex; gap: 12px"></div></div></div>""", """
  document.getElementById('main').style.paddingLeft = between(20, 600) + 'px';
  const project = pick(['Apollo', 'Borealis', 'Cascade', 'Dynamo', 'Everest'], 1)[0];
  document.getElementById('project').textContent = `Project ${project}`;
  document.getElementById('meta').textContent = `${between(2, 40)} files, ${between(1, 9)} members`;
  document.getElementById('warn').textContent = `All ${between(2, 40)} files of ${project} will be removed.`;
  const dialog = document.getElementById('dialog');
  dialog.style.left = between(40, 800) + 'px'; dialog.style.top = between(40, 360) + 'px';
  const backdrop = document.getElementById('backdrop');
  for (const b of shuffle(['Cancel', 'Yes, delete'])) document.getElementById('buttons').append(el('button', { class: b === 'Cancel' ? 'plain' : '', onclick: () => {
    backdrop.hidden = true;
    if (b === 'Yes, delete') { __state.done = true; document.getElementById('status').textContent = `${project} deleted.`; } else __state.wrong++;
  } }, b));
  document.getElementById('del').addEventListener('click', () => { backdrop.hidden = false; });
""")})

task('popup-menu', 'dialogs', 'Open a popup menu with seeded items and pick one.', 'Click "Actions" and click "Duplicate".',
 ['click: "Actions"', 'click: "Duplicate"'], "window.__state.done === true", {
 'index.html': page('Files', """
<main id="main" style="padding: 30px"><h1>Files</h1><ul id="files"></ul><div style="position: relative; display: inline-block"><button id="actions" class="plain">Actions</button>
<div id="menu" hidden role="menu" style="position: absolute; left: 0; top: 48px; background: #fff; border: 2px solid #555; min-width: 200px; box-shadow: 0 4px 12px rgba(0,0,0,.3)"></div></div><p class="status" id="status" style="margin-top: 240px"></p></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 700) + 'px';
  const files = pick(['budget.xlsx', 'notes.txt', 'photo.jpg', 'slides.pdf', 'song.mp3'], between(2, 4));
  for (const f of files) document.getElementById('files').append(el('li', {}, f));
  const menu = document.getElementById('menu');
  for (const item of shuffle(['Duplicate', ...pick(['Rename', 'Move', 'Share', 'Download', 'Properties'], 3)])) menu.append(el('div', { role: 'menuitem', style: 'padding: 10px 16px; cursor: pointer', onclick: () => {
    menu.hidden = true; __state.chosen = item;
    if (item === 'Duplicate') { __state.done = true; document.getElementById('files').append(el('li', {}, 'Copy of ' + files[0])); } else __state.wrong++;
  } }, item));
  document.getElementById('actions').addEventListener('click', () => { menu.hidden = !menu.hidden; });
""")})

task('popup-escape', 'dialogs', 'Dismiss a popup with the keyboard.', 'Press the Escape key.', ['press: "Escape"'],
 "window.__state.done === true && document.getElementById('popup').hidden === true", {
 'index.html': page('News', """
<main style="padding: 30px"><h1 id="headline"></h1><p id="body"></p></main>
<div id="popup" role="dialog" style="position: fixed; background: #fff; border: 2px solid #333; padding: 20px; width: 360px; box-shadow: 0 6px 20px rgba(0,0,0,.4)">
<h2 style="margin-top: 0">Get our newsletter</h2><p id="pitch"></p><p style="color: #555">Press Esc to close.</p></div>""", """
  document.getElementById('headline').textContent = pick(['Rain expected all week', 'City opens new park', 'Local team wins cup', 'Library extends hours'], 1)[0];
  document.getElementById('body').textContent = `Reported by ${pick(['Ana', 'Ben', 'Chen', 'Dara'], 1)[0]}, ${between(2, 59)} minutes ago.`;
  document.getElementById('pitch').textContent = `Join ${between(2, 90)},000 readers.`;
  const popup = document.getElementById('popup');
  popup.style.left = between(40, 800) + 'px'; popup.style.top = between(40, 400) + 'px';
  addEventListener('keydown', (e) => { if (e.key === 'Escape') { popup.hidden = true; __state.done = true; } });
""")})

# ---------------------------------------------------------------- scrolling
task('scroll-list', 'scrolling', 'Scroll a long list to a numbered item and click it.', 'Scroll down to "Item 73" and click it.',
 ['scroll: { direction: "down", until: "Item 73" }', 'click: "Item 73"'], "window.__state.done === true", {
 'index.html': page('Inventory', """
<main id="main" style="padding: 10px 30px"><h1 style="margin: 8px 0">Inventory</h1><p class="status" id="status" style="margin: 0"></p><div id="list"></div></main>""", """
  document.getElementById('main').style.paddingLeft = between(20, 600) + 'px';
  const tags = ['new', 'sale', 'low stock', 'back soon', ''];
  for (let i = 1; i <= 120; i++) {
    const tag = tags[between(0, tags.length - 1)];
    document.getElementById('list').append(el('div', { style: `padding: ${between(6, 14)}px 12px; border-bottom: 1px solid #ddd; cursor: pointer`, onclick: () => {
      __state.clicked = i; if (i === 73) __state.done = true; else __state.wrong++;
      document.getElementById('status').textContent = `Item ${i} opened.`;
    } }, `Item ${i}`, el('span', { style: 'color: #777; margin-left: 24px; font-size: 15px' }, tag)));
  }
""")})

task('long-page', 'scrolling', 'Scroll a long seeded article to the button at its end.', 'Scroll down to "Accept terms" and click it.',
 ['scroll: { direction: "down", until: "Accept terms" }', 'click: "Accept terms"'], "window.__state.done === true", {
 'index.html': page('Terms', """
<main id="main" style="max-width: 760px; padding: 20px 40px"><h1>Terms of use</h1><div id="text"></div><button id="accept" style="margin: 30px 0 60px">Accept terms</button><p class="status" id="status"></p></main>""", """
  document.getElementById('main').style.marginLeft = between(0, 400) + 'px';
  const words = ['service', 'account', 'data', 'payment', 'notice', 'content', 'licence', 'party', 'term', 'update', 'privacy', 'law'];
  const n = between(14, 24);
  for (let p = 0; p < n; p++) {
    const sentence = Array.from({ length: between(25, 60) }, () => words[between(0, words.length - 1)]).join(' ');
    document.getElementById('text').append(el('h3', {}, `Section ${p + 1}`), el('p', { style: 'color: #333' }, sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.'));
  }
  document.getElementById('accept').addEventListener('click', () => { __state.done = true; document.getElementById('status').textContent = 'Thank you.'; });
""")})

