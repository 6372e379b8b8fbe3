"""Shared pieces of the suite generator: the seeded PRNG snippet, page skeleton, task registry."""
import json, os, textwrap

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tasks', 'suite')

SEED_JS = r"""
// Seeded episode: ?seed=N decides labels, order and positions (mulberry32 PRNG), so the same
// seed always gives the same page and different seeds different ones.
const SEED = (Number(new URLSearchParams(location.search).get('seed')) || 0) >>> 0;
let rngState = (Math.imul(SEED, 2654435761) + 0x9e3779b9) >>> 0;
function rand() {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function shuffle(xs) { const a = xs.slice(); for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; }
function pick(xs, n) { return shuffle(xs).slice(0, n); }
function between(lo, hi) { return lo + Math.floor(rand() * (hi - lo + 1)); }
function el(tag, attrs, ...kids) { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs || {})) { if (k === 'style') e.style.cssText = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v); } for (const k of kids) e.append(k); return e; }
function withSeed(url) { return url + (url.includes('?') ? '&' : '?') + 'seed=' + SEED; }
// The page's own record of what happened, read by the task's success check.
window.__state = { seed: SEED, done: false, wrong: 0 };
"""

BASE_CSS = """
  body { margin: 0; font: 18px/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; background: #fff; }
  button { font: inherit; font-weight: bold; padding: 8px 20px; color: #fff; background: #1a56c4; border: 2px solid #1a56c4; border-radius: 4px; cursor: pointer; }
  button.plain { color: #111; background: #eee; border-color: #888; }
  input[type=text], input[type=email], input[type=number], input[type=password], textarea, select { font: inherit; padding: 6px 10px; border: 2px solid #555; border-radius: 4px; background: #fff; color: #111; }
  label { font-weight: bold; }
  .status { min-height: 28px; margin-top: 18px; font-size: 20px; color: #0a6b1f; }
"""

def page(title, body, script, css='', lang='en', head=''):
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{BASE_CSS}{css}</style>{head}
</head>
<body>
{body.strip()}
<script>{SEED_JS}{textwrap.dedent(script)}</script>
</body>
</html>
"""

TASKS = []

def task(name, category, description, goal, steps, check, pages, viewport=(1280, 720), dpr=1, mobile=False, max_steps=12, url=None):
    TASKS.append(dict(name=name, category=category, description=description, goal=goal, steps=steps, check=check,
                      pages=pages, viewport=viewport, dpr=dpr, mobile=mobile, max_steps=max_steps, url=url))

DONE = "window.__state.done === true"

def yaml_task(t):
    name = t['name']
    vp = t['viewport']
    lines = [f"id: suite-{name}", f"description: {json.dumps(t['description'])}", f"category: {t['category']}", 'app:']
    mobile = ', isMobile: true' if t['mobile'] else ''
    lines.append(f'  web: {{ url: "/suite/{name}/index.html", viewport: [{vp[0]}, {vp[1]}], deviceScaleFactor: {t["dpr"]}{mobile} }}')
    lines.append(f"goal: {json.dumps(t['goal'])}".replace('\\"', '"').replace('goal: "', "goal: '", 1)[:-1] + "'")
    if t['steps']:
        lines.append('steps:')
        lines += [f'  - {s}' for s in t['steps']]
    lines.append('success:')
    lines.append(f"  - js: {json.dumps(t['check'])}")
    lines.append(f"maxSteps: {t['max_steps']}")
    lines.append('timeoutMs: 90000')
    return '\n'.join(lines) + '\n'

