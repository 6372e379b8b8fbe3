import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedAgent } from '../../agents/embedded/embedded-agent.ts';
import { main } from '../../src/cli/index.ts';
import { compileTrace } from '../../src/compile/compile-trace.ts';
import { recordedFrame, screenAfter, screenOf, type Screen } from '../../src/compile/screen.ts';
import { readTrace } from '../../src/core/trace.ts';
import { ImageStepAgent, resolveImageTargets } from '../../src/compile/image-steps.ts';
import { loadTaskFile, parseTask } from '../../src/core/task.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import type { SuiteTask } from '../../src/eval/suite.ts';
import { runTask } from '../../src/run/run-task.ts';
import { startStaticServer, type StaticServer } from '../../src/run/static-server.ts';
import { ScriptedAgent } from '../support/scripted-agent.ts';
import { recordWithSimVlm, runSuiteTask, suiteTask, TASKS_ROOT } from '../support/suite-record.ts';

// `handeye compile`: a run recorded with the simulated VLM (real Chromium, real OCR; only the
// model is simulated) becomes a task file that the embedded engine runs on other seeds of the
// page, where labels, order and positions move, with no model at all.

let browser: Browser;
let server: StaticServer;
const root = mkdtempSync(path.join(os.tmpdir(), 'handeye-compile-test-'));

beforeAll(async () => {
  browser = await launchChromium();
  server = await startStaticServer(TASKS_ROOT);
});

afterAll(async () => {
  await server?.close();
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('handeye compile', () => {
  it('compiles a VLM run into steps named by what is visible, which run on other seeds with no model', async () => {
    const st = await suiteTask('form-contact');
    const rec = await recordWithSimVlm({ st, seed: 0, browser, server, traceDir: path.join(root, 'form-rec') });
    expect(rec.summary.success).toBe(true);
    const callsAfterRecording = rec.vlm.calls;
    const out = path.join(root, 'form.compiled.task.yaml');
    const c = await compileTrace(rec.summary.traceDir, { out });
    expect(c.task.steps).toEqual([{ type: { text: 'Ada Lovelace', into: 'Full name' } }, { type: { text: 'ada@example.com', into: 'Email' } }, { click: 'Send' }]);
    // Readable: where it came from, and a note per step.
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Compiled by `handeye compile` from the run form-rec \(engine vlm:generic/);
    expect(text).toMatch(/# from step 3 \(click at \d+, \d+\): text match "Send"/);
    expect((await loadTaskFile(out)).task.id).toBe('suite-form-contact-compiled');
    // The success check of the original task came along.
    expect(c.task.success).toEqual(st.task.success);
    for (const seed of [1, 2]) {
      const s = await runSuiteTask({ st, task: c.task, seed, browser, server, traceDir: path.join(root, `form-seed-${seed}`), agent: () => new ImageStepAgent(new EmbeddedAgent()) });
      expect(s.detail ?? '').toBe('');
      expect(s.success).toBe(true);
      expect(s.tokens).toEqual({ input: 0, output: 0 });
    }
    expect(rec.vlm.calls).toBe(callsAfterRecording);
  });

  it('reads each recorded frame from the one before it, and that reading equals a whole read', async () => {
    const st = await suiteTask('form-contact');
    const rec = await recordWithSimVlm({ st, seed: 3, browser, server, traceDir: path.join(root, 'chain-rec') });
    const records = readTrace(rec.summary.traceDir).steps;
    expect(records.length).toBeGreaterThanOrEqual(3);
    let earlier: Screen | undefined;
    let reused = 0;
    for (const r of records) {
      const frame = await recordedFrame(rec.summary.traceDir, r);
      const chained = earlier ? await screenAfter(frame, earlier) : await screenOf(frame);
      const whole = await screenOf(frame);
      const shape = (s: Screen) => s.ocr.groups.map((g) => [g.text, g.box]);
      expect(shape(chained)).toEqual(shape(whole));
      reused += (chained.ocr as { reusedLines?: number }).reusedLines ?? 0;
      earlier = chained;
    }
    // Typing into a field changes a few lines: the rest of the form is not read again.
    expect(reused).toBeGreaterThan(5);
  });

  it('turns the scrolls that found a target into "scroll until" it', async () => {
    const st = await suiteTask('scroll-list');
    const rec = await recordWithSimVlm({ st, seed: 0, browser, server, traceDir: path.join(root, 'scroll-rec') });
    expect(rec.summary.success).toBe(true);
    const c = await compileTrace(rec.summary.traceDir, { out: path.join(root, 'scroll.compiled.task.yaml') });
    expect(c.task.steps).toEqual([{ scroll: { direction: 'down', until: 'Item 73' } }, { click: 'Item 73' }]);
    const s = await runSuiteTask({ st, task: c.task, seed: 3, browser, server, traceDir: path.join(root, 'scroll-seed-3'), agent: () => new ImageStepAgent(new EmbeddedAgent()) });
    expect(s.success).toBe(true);
  });

  it('keeps a template crop for a target no text names, and finds it again after it moved', async () => {
    // A toolbar drawn on a canvas: the gear has no label, and each seed puts it elsewhere.
    const tasks = path.join(root, 'icon-app', 'tasks');
    mkdirSync(path.join(tasks, 'icons'), { recursive: true });
    writeFileSync(path.join(tasks, 'icons', 'index.html'), ICON_PAGE);
    const task = parseTask({ id: 'gear', app: { web: { url: '/icons/index.html' } }, steps: [{ click: 'the gear' }], success: [{ js: 'window.__state.done === true' }] });
    const file = path.join(tasks, 'icons', 'gear.task.yaml');
    writeFileSync(file, 'id: gear\napp: { web: { url: "/icons/index.html" } }\nsteps:\n  - click: the gear\nsuccess:\n  - js: "window.__state.done === true"\n');
    // The "model" clicks where the page says its gear is.
    const model = new ScriptedAgent(async (input) => {
      const g = (await input.executor!.evaluate!('window.__state.gear')) as { x: number; y: number };
      return { actions: [{ action: 'click', target: { box: [g.x - 14, g.y - 14, g.x + 14, g.y + 14] } }] };
    });
    const iconServer = await startStaticServer(tasks);
    try {
      const rec = await runWeb({ task, file, agent: model, url: iconServer.resolve('/icons/index.html?seed=0'), traceDir: path.join(root, 'icon-rec') });
      expect(rec.success).toBe(true);
      const c = await compileTrace(rec.traceDir, { out: path.join(tasks, 'icons', 'gear.compiled.task.yaml') });
      expect(c.task.steps).toEqual([{ click: 'icon:./gear.compiled.assets/step-01.png' }]);
      expect(c.templates).toEqual([path.join(tasks, 'icons', 'gear.compiled.assets', 'step-01.png')]);
      expect(existsSync(c.templates[0])).toBe(true);
      const compiled = resolveImageTargets(c.task, c.file);
      const s = await runWeb({ task: compiled, file: c.file, agent: new ImageStepAgent(new EmbeddedAgent()), url: iconServer.resolve('/icons/index.html?seed=4'), traceDir: path.join(root, 'icon-seed-4') });
      expect(s.detail ?? '').toBe('');
      expect(s.success).toBe(true);
    } finally {
      await iconServer.close();
    }
  });
});

async function runWeb(o: { task: ReturnType<typeof parseTask>; file: string; agent: ConstructorParameters<typeof ImageStepAgent>[0]; url: string; traceDir: string }) {
  const executor = await BrowserExecutor.launch({ viewport: [800, 500], deviceScaleFactor: 1, browser });
  try {
    const task = { ...o.task, app: { web: { url: o.url, viewport: [800, 500] as [number, number], deviceScaleFactor: 1 } } };
    return await runTask({ task, taskFile: o.file, agent: o.agent, executor, traceDir: o.traceDir });
  } finally {
    await executor.close();
  }
}

describe('handeye compile: bad input', () => {
  let traceDir: string;
  beforeAll(async () => {
    const st = await suiteTask('buttons');
    traceDir = (await recordWithSimVlm({ st, seed: 0, browser, server, traceDir: path.join(root, 'buttons-rec') })).summary.traceDir;
  });

  function copyTrace(name: string, edit: (dir: string) => void): string {
    const dir = path.join(root, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'frames'), { recursive: true });
    for (const f of ['trace.jsonl', 'summary.json']) writeFileSync(path.join(dir, f), readFileSync(path.join(traceDir, f)));
    for (const f of ['step-000.jpg', 'step-000.png']) if (existsSync(path.join(traceDir, 'frames', f))) writeFileSync(path.join(dir, 'frames', f), readFileSync(path.join(traceDir, 'frames', f)));
    edit(dir);
    return dir;
  }

  it('names the missing frame', async () => {
    const dir = copyTrace('no-frames', (d) => rmSync(path.join(d, 'frames'), { recursive: true }));
    await expect(compileTrace(dir, { dryRun: true })).rejects.toThrow(/step 1's frame frames\/step-000\.(jpg|png) is missing from .*copy the whole trace folder/);
  });

  it('refuses a trace of another version, saying which', async () => {
    const dir = copyTrace('v2', (d) => {
      const lines = readFileSync(path.join(d, 'trace.jsonl'), 'utf8').split('\n');
      lines[0] = lines[0].replace('"version":1', '"version":2');
      writeFileSync(path.join(d, 'trace.jsonl'), lines.join('\n'));
    });
    await expect(compileTrace(dir, { dryRun: true })).rejects.toThrow(/is a version 2 trace; this handeye reads version 1/);
  });

  it('compiles an interrupted run with a warning', async () => {
    const dir = copyTrace('interrupted', (d) => {
      rmSync(path.join(d, 'summary.json'));
      const lines = readFileSync(path.join(d, 'trace.jsonl'), 'utf8').trim().split('\n');
      writeFileSync(path.join(d, 'trace.jsonl'), lines.filter((l) => !l.includes('"type":"end"')).join('\n') + '\n');
    });
    const c = await compileTrace(dir, { dryRun: true });
    expect(c.task.steps).toEqual([{ click: 'Archive' }]);
    expect(c.warnings.join('\n')).toMatch(/the run did not finish \(no end record, no summary\.json\): compiling the 1 step\(s\) it performed/);
  });

  it('the CLI writes the task file, and exits 2 naming the problem for a folder that is no trace', async () => {
    const lines: string[] = [];
    const io = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) };
    const out = path.join(root, 'cli', 'buttons.compiled.task.yaml');
    expect(await main(['compile', traceDir, '--out', out], io)).toBe(0);
    expect(lines.join('\n')).toMatch(/compiled 1 recorded step\(s\) into 1 step\(s\) in [\d.]+ s: .*buttons\.compiled\.task\.yaml/);
    expect((await loadTaskFile(out)).task.steps).toEqual([{ click: 'Archive' }]);
    lines.length = 0;
    expect(await main(['compile', path.join(root, 'nothing-here')], io)).toBe(2);
    expect(lines.join('\n')).toMatch(/handeye: no trace at .*nothing-here.*give the folder a run wrote/);
  });
});

const ICON_PAGE = `<!doctype html><html><body style="margin:0;font:18px sans-serif">
<h1 style="margin:10px 20px;font-size:22px">Tools</h1><canvas id="c" width="800" height="400"></canvas>
<script>
const seed = Number(new URLSearchParams(location.search).get('seed')) || 0;
const x = 60 + (seed * 157) % 640, y = 60 + (seed * 89) % 280;
const canvas = document.getElementById('c');
window.__state = { done: false, get gear() { const r = canvas.getBoundingClientRect(); return { x: r.left + x, y: r.top + y }; } };
const g = document.getElementById('c').getContext('2d');
g.fillStyle = '#f4f4f4'; g.fillRect(0, 0, 800, 400);
// distractor shapes
g.fillStyle = '#3a7'; g.fillRect((x + 300) % 760, (y + 120) % 360, 30, 30);
g.beginPath(); g.arc((x + 500) % 760 + 15, (y + 40) % 360 + 15, 14, 0, 7); g.fillStyle = '#c33'; g.fill();
// the gear: teeth, a ring and a hole
g.save(); g.translate(x, y); g.fillStyle = '#345';
for (let i = 0; i < 8; i++) { g.rotate(Math.PI / 4); g.fillRect(-3, -14, 6, 8); }
g.beginPath(); g.arc(0, 0, 9, 0, 7); g.fill();
g.beginPath(); g.arc(0, 0, 3.5, 0, 7); g.fillStyle = '#f4f4f4'; g.fill(); g.restore();
document.getElementById('c').addEventListener('click', (e) => {
  const r = e.target.getBoundingClientRect();
  if (Math.hypot(e.clientX - r.left - x, e.clientY - r.top - y) < 14) window.__state.done = true;
});
</script></body></html>`;
