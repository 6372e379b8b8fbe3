import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AssertionFailedError,
  createHandeye,
  HandeyeBusyError,
  HandeyeClosedError,
  HandeyeError,
  HandeyeUsageError,
  PageClosedError,
  StepFailedError,
  TargetNotFoundError,
  VisionRequiredError,
  WaitTimeoutError,
  type Handeye,
} from '../../src/api/index.ts';
import { launchChromium } from '../../src/executors/browser/chromium.ts';
import { startStaticServer, type StaticServer } from '../../src/run/static-server.ts';
import { readTrace } from '../../src/core/trace.ts';

/** Using the library API wrongly gives clear, typed errors; real Chromium, the embedded OCR engine. */

const TASKS = path.resolve(import.meta.dirname, '..', '..', 'tasks');
const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-api-'));
let server: StaticServer;
let browser: Browser;
let page: Page;
let agent: Handeye | undefined;
let n = 0;

beforeAll(async () => {
  server = await startStaticServer(TASKS);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  if (page && !page.isClosed()) await page.close();
});

async function open(): Promise<Handeye> {
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.resolve('/login/index.html'));
  agent = await createHandeye(page, { traceDir: path.join(tmp, `t${n++}`) });
  return agent;
}

describe('misusing the API', () => {
  it('a call after close throws HandeyeClosedError; close is idempotent and leaves the page open', async () => {
    const a = await open();
    await a.assert('Sign in to Example');
    await a.close();
    await a.close();
    const e = await a.click('Sign in').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HandeyeClosedError);
    expect(e).toBeInstanceOf(HandeyeError);
    expect(e).toMatchObject({ code: 'closed', call: 'agent.click("Sign in")', trace: { dir: a.traceDir } });
    expect((e as Error).message).toMatch(/agent\.click\("Sign in"\): this agent was closed/);
    // The page belongs to the caller: still open and usable.
    expect(page.isClosed()).toBe(false);
    expect(await page.title()).toBe('Sign in');
    const t = readTrace(a.traceDir);
    expect(t.steps).toHaveLength(1);
    expect(t.summary).toMatchObject({ success: true, steps: 1 });
  });

  it('a step on a closed page throws PageClosedError, as does creating an agent on one', async () => {
    const a = await open();
    await page.close();
    const e = await a.click('Sign in').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PageClosedError);
    expect((e as PageClosedError).code).toBe('page-closed');
    expect((e as Error).message).toMatch(/the page this agent drives is closed/);
    await expect(createHandeye(page, { traceDir: path.join(tmp, `t${n++}`) })).rejects.toBeInstanceOf(PageClosedError);
  });

  it('a page closed while a call waits ends that call with PageClosedError', async () => {
    const a = await open();
    setTimeout(() => void page.close(), 1500);
    const e = await a.waitFor('Welcome, nobody', { timeout: 30_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PageClosedError);
    expect((e as PageClosedError).trace.dir).toBe(a.traceDir);
  });

  it('query on the embedded engine says it needs a vision-language model, before capturing anything', async () => {
    const a = await open();
    const e = await a.query('What is the heading?', z.object({ heading: z.string() })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VisionRequiredError);
    expect((e as Error).message).toMatch(/query needs a vision-language model.*embedded engine.*engine: 'openai'/);
    expect(readTrace(a.traceDir).steps).toHaveLength(0);
  });

  it('a second call before the first finished throws HandeyeBusyError; the first completes', async () => {
    const a = await open();
    const first = a.type('alice', { into: 'Username' });
    const second = await a.click('Sign in').catch((x: unknown) => x);
    expect(second).toBeInstanceOf(HandeyeBusyError);
    expect((second as Error).message).toMatch(/called while agent\.type\("alice", \{"into":"Username"\}\) is still running/);
    await expect(first).resolves.toMatchObject({ instruction: 'type {"text":"alice","into":"Username"}' });
    expect(await page.inputValue('#username')).toBe('alice');
  });

  it('bad arguments and bad options are HandeyeUsageErrors naming the field', async () => {
    const a = await open();
    await expect(a.click('')).rejects.toThrow(/agent\.click\(""\): bad arguments: click.*must not be empty/);
    await expect(a.scroll('sideways' as 'up')).rejects.toBeInstanceOf(HandeyeUsageError);
    await expect(a.type('x', { into: 'Name', clear: 'yes' } as unknown as { clear: boolean })).rejects.toThrow(/bad options: clear/);
    await expect(a.waitFor('x', { timeout: -5 })).rejects.toThrow(/timeout/);
    await expect(a.query('', z.string())).rejects.toBeInstanceOf(HandeyeUsageError);
    await expect(createHandeye(page, { engine: 'gpt' } as unknown as { engine: 'embedded' })).rejects.toThrow(/bad options: engine/);
    await expect(createHandeye({} as unknown as Page)).rejects.toThrow(/expected a Playwright Page, an executor, or a desktop session/);
    // Nothing ran: the trace holds no step, and misuse is not a failed call.
    await a.close();
    expect(readTrace(a.traceDir).summary).toMatchObject({ success: true, steps: 0 });
  });
});

describe('failed calls', () => {
  it('carry the reason, the detail and the trace location of the frame they saw', async () => {
    const a = await open();
    const click = await a.click('Create account').catch((x: unknown) => x);
    expect(click).toBeInstanceOf(StepFailedError);
    expect(click).toMatchObject({ code: 'step-failed', reason: 'agent-failed' });
    expect((click as StepFailedError).detail).toMatch(/cannot click Create account/);
    const at = (click as StepFailedError).trace;
    expect(at.step).toBe(0);
    expect(existsSync(at.frame!)).toBe(true);

    const assertion = await a.assert('Goodbye').catch((x: unknown) => x);
    expect(assertion).toBeInstanceOf(AssertionFailedError);
    expect(assertion).toBeInstanceOf(StepFailedError);
    expect((assertion as Error).message).toMatch(/"Goodbye" is not on screen; closest on screen/);

    const located = await a.locate('Create account').catch((x: unknown) => x);
    expect(located).toBeInstanceOf(TargetNotFoundError);

    const waited = await a.waitFor('Welcome, nobody', { timeout: 1500 }).catch((x: unknown) => x);
    expect(waited).toBeInstanceOf(WaitTimeoutError);
    expect((waited as Error).message).toMatch(/waited 1500 ms for "Welcome, nobody"/);

    // A good call after failed ones still works and continues the same trace.
    const ok = await a.locate('Password');
    expect(ok.trace.step).toBeGreaterThan((waited as WaitTimeoutError).trace.step!);
    await a.close();
    const t = readTrace(a.traceDir);
    expect(t.steps.map((s) => s.index)).toEqual(t.steps.map((_, i) => i));
    expect(t.summary).toMatchObject({ success: false, reason: 'agent-failed' });
    expect(t.summary?.detail).toMatch(/^4 call\(s\) failed/);
  });
});

describe('locate', () => {
  it('answers in CSS px of the page on a device-scale-2 screen, where the frame has twice the pixels', async () => {
    page = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 2 });
    await page.goto(server.resolve('/login/index.html'));
    agent = await createHandeye(page, { traceDir: path.join(tmp, `t${n++}`) });
    const found = await agent.locate('Sign in');
    const dom = (await page.locator('#signin').boundingBox())!;
    // The OCR box hugs the label text, inside the button.
    expect(found.point[0]).toBeGreaterThan(dom.x);
    expect(found.point[0]).toBeLessThan(dom.x + dom.width);
    expect(found.point[1]).toBeGreaterThan(dom.y);
    expect(found.point[1]).toBeLessThan(dom.y + dom.height);
    expect(found.frameBox[0]).toBeCloseTo(found.box[0] * 2, 5);
    expect(found.text).toBe('Sign in');
    expect(found.score).toBeGreaterThan(0.8);
    const t = readTrace(agent.traceDir);
    expect(t.steps[0]).toMatchObject({ instruction: 'locate "Sign in"', outcome: 'done', actions: [], frame: { width: 1600, height: 1200, scale: 2 } });
  });
});
