import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrEngine } from '../../agents/embedded/ocr/ocr-engine.ts';
import { main } from '../../src/cli/index.ts';
import { loadTaskFile } from '../../src/core/task.ts';
import { startSimServer, type SimServer } from '../support/sim-server.ts';
import { SUITE_DIR } from '../support/suite-record.ts';

// `handeye run <compiled task> --heal`: the app renamed a button, so a compiled step no longer
// matches; the embedded engine does the other steps, the model (simulated, over HTTP) is asked
// for that one, and the step's new description is written back.

const root = mkdtempSync(path.join(os.tmpdir(), 'handeye-heal-'));
const tasks = path.join(root, 'tasks');
let sim: SimServer;

const COMPILED = `# Compiled by \`handeye compile\` from the run rec (engine vlm:generic).
id: buttons-compiled
app:
  web: { url: "/suite/buttons/index.html", viewport: [1280, 720], deviceScaleFactor: 1 }
steps:
  # the button was called "Store away" when this was recorded
  - click: Store away
success:
  - js: "window.__state.done === true"
maxSteps: 8
timeoutMs: 60000
`;

beforeAll(async () => {
  mkdirSync(path.join(tasks, 'suite', 'buttons'), { recursive: true });
  copyFileSync(path.join(SUITE_DIR, 'buttons', 'index.html'), path.join(tasks, 'suite', 'buttons', 'index.html'));
  // The model knows the button is now called "Archive": it finds it on the screenshot it was sent.
  sim = await startSimServer({
    family: 'generic',
    answerKey: async (instruction, _size, ctx) => {
      if (instruction !== 'Click "Store away"') return undefined;
      const ocr = await OcrEngine.shared().recognize(await ctx.rgb());
      const g = ocr.groups.find((x) => x.text === 'Archive');
      return g && { kind: 'click', box: g.box, label: 'Archive' };
    },
  });
});

afterAll(async () => {
  await sim?.close();
  rmSync(root, { recursive: true, force: true });
});

function cli() {
  const lines: string[] = [];
  return { lines, io: { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) } };
}

const flags = () => ['--heal', '--engine', 'openai', '--base-url', sim.baseUrl, '--model', 'generic', '--family', 'generic'];

describe('handeye run --heal', () => {
  it('asks the model for the step that no longer matches, and rewrites it in the file', async () => {
    const file = path.join(tasks, 'suite', 'buttons', 'buttons.compiled.task.yaml');
    writeFileSync(file, COMPILED);
    const { lines, io } = cli();
    expect(await main(['run', file, ...flags(), '--trace', path.join(root, 'heal-1')], io)).toBe(0);
    const out = lines.join('\n');
    expect(out).toMatch(/heal: step 1: click "Store away" → click "Archive" \(cannot click Store away/);
    expect(out).toMatch(/heal: wrote .*buttons\.compiled\.task\.yaml/);
    expect(sim.requests.length).toBe(1);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/# healed \d{4}-\d\d-\d\d: was click "Store away" \(cannot click Store away/);
    expect(text).toMatch(/^# Compiled by `handeye compile`/);
    expect((await loadTaskFile(file)).task.steps).toEqual([{ click: 'Archive' }]);
    // Healed, the task runs on the embedded engine alone.
    const again = cli();
    expect(await main(['run', file, '--trace', path.join(root, 'heal-2')], again.io)).toBe(0);
  });

  it('--no-write leaves the task file alone and writes <task>.healed.yaml', async () => {
    const file = path.join(tasks, 'suite', 'buttons', 'other.task.yaml');
    writeFileSync(file, COMPILED);
    const { lines, io } = cli();
    expect(await main(['run', file, ...flags(), '--no-write', '--trace', path.join(root, 'heal-3')], io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(COMPILED);
    const healed = path.join(tasks, 'suite', 'buttons', 'other.task.healed.yaml');
    expect(existsSync(healed)).toBe(true);
    expect((await loadTaskFile(healed)).task.steps).toEqual([{ click: 'Archive' }]);
    expect(lines.join('\n')).toMatch(/heal: wrote .*other\.task\.healed\.yaml/);
  });

  it('needs a model, and a task file with steps', async () => {
    const file = path.join(tasks, 'suite', 'buttons', 'x.task.yaml');
    writeFileSync(file, COMPILED);
    const { lines, io } = cli();
    expect(await main(['run', file, '--heal'], io)).toBe(2);
    expect(lines.join('\n')).toMatch(/--heal asks a model for the steps the embedded engine cannot find: add --engine openai --base-url URL/);
    expect(await main(['run', file, '--no-write'], io)).toBe(2);
    expect(lines.join('\n')).toMatch(/--no-write goes with --heal/);
  });
});
