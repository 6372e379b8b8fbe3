import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAction, type ActionInput } from '../../../src/core/actions.ts';
import { DesktopExecutor } from '../../../src/executors/desktop/desktop-executor.ts';
import { startXvfb, type Xvfb } from '../../../src/executors/desktop/xvfb.ts';
import { SecretStore } from '../../../src/core/secrets.ts';
import { FORM_APP, observe, PYTHON, waitForWindow, type Observed } from './desktop-support.ts';

// Text entry in a real Tk form: what the field holds is read from the app's own stdout
// (it prints its fields as JSON on Enter), never from our side.
let xvfb: Xvfb;
let app: Observed;
/** The Name entry's centre on the screen, as the app itself reports it (= frame pixels: full screen, scale 1). */
let namePoint: [number, number];
const executors = new Map<string, DesktopExecutor>();

beforeAll(async () => {
  xvfb = await startXvfb({ size: [800, 600] });
  app = observe([PYTHON, FORM_APP, 'Typing form'], xvfb.display);
  await waitForWindow(xvfb.display, 'Typing form');
  const ready = JSON.parse(await app.waitFor((l) => l.includes('"ready"'), 10_000, 'the form to be ready')) as { name: [number, number] };
  namePoint = ready.name;
});

afterAll(async () => {
  for (const e of executors.values()) await e.close();
  await app?.stop();
  await xvfb?.stop();
});

async function executor(unicodeInput: 'xdotool' | 'clipboard'): Promise<DesktopExecutor> {
  let e = executors.get(unicodeInput);
  if (!e) {
    e = await DesktopExecutor.open({ display: xvfb.display, unicodeInput });
    executors.set(unicodeInput, e);
  }
  return e;
}

function nameField(): [number, number] {
  return namePoint;
}

async function typeAndRead(e: DesktopExecutor, a: Omit<Extract<ActionInput, { action: 'type' }>, 'action'>): Promise<string> {
  const frame = await e.capture();
  const mark = app.lines.length;
  await e.perform(parseAction({ action: 'type', target: { point: nameField() }, ...a }), frame);
  await e.perform(parseAction({ action: 'key', keys: ['Enter'] }), frame);
  const deadline = Date.now() + 5000;
  for (;;) {
    const ev = app.lines.slice(mark).find((l) => l.includes('"enter"'));
    if (ev) return (JSON.parse(ev) as { name: string }).name;
    if (Date.now() > deadline) throw new Error(`no Enter event; got ${app.lines.slice(-5).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('typing into a Tk form', () => {
  it('fills a {{secret:NAME}} placeholder only at typing time, from the environment', async () => {
    const e = await executor('xdotool');
    e.secrets = new SecretStore({ names: ['HANDEYE_DESKTOP_PIN'], env: { HANDEYE_DESKTOP_PIN: 's3cr3t-Pin!' } });
    try {
      expect(await typeAndRead(e, { text: 'pin={{secret:HANDEYE_DESKTOP_PIN}}', clear: true })).toBe('pin=s3cr3t-Pin!');
    } finally {
      e.secrets = undefined;
    }
    // Without a resolver the placeholder is typed as written: nothing reads the environment on its own.
    expect(await typeAndRead(e, { text: '{{secret:HANDEYE_DESKTOP_PIN}}', clear: true })).toBe('{{secret:HANDEYE_DESKTOP_PIN}}');
  });

  it('types 100 ASCII characters with shifted symbols exactly', async () => {
    const e = await executor('xdotool');
    const text = 'The quick brown fox (#42) jumps over the lazy dog! A+B={x:1}; "ok" <tag> ~ 50% & more... $9.99 @ home?_|';
    expect(text.length).toBeGreaterThanOrEqual(100);
    expect(await typeAndRead(e, { text, clear: true })).toBe(text);
  });

  it('clears the field before typing when asked', async () => {
    const e = await executor('xdotool');
    await typeAndRead(e, { text: 'old value', clear: true });
    expect(await typeAndRead(e, { text: 'new', clear: true })).toBe('new');
    expect(await typeAndRead(e, { text: '+more', clear: false })).toBe('new+more');
  });

  it('types Chinese mixed with ASCII by keysym (xdotool)', async () => {
    const e = await executor('xdotool');
    expect(await typeAndRead(e, { text: '张伟 from 北京市, 2号楼', clear: true })).toBe('张伟 from 北京市, 2号楼');
  });

  it('types Chinese through the clipboard (Ctrl+V) when asked', async () => {
    const e = await executor('clipboard');
    expect(await typeAndRead(e, { text: '你好 world 世界 ✓', clear: true })).toBe('你好 world 世界 ✓');
  });

  it('submits with Enter after typing', async () => {
    const e = await executor('xdotool');
    const frame = await e.capture();
    const mark = app.lines.length;
    await e.perform(parseAction({ action: 'type', target: { point: nameField() }, text: 'done', clear: true, submit: true }), frame);
    const ev = await app.waitFor((l) => l.includes('"enter"') && app.lines.indexOf(l) >= mark, 5000, 'the submit Enter');
    expect(JSON.parse(ev)).toMatchObject({ field: 'name', name: 'done' });
  });
});
