import { describe, expect, it } from 'vitest';
import { parseAction, type ActionInput } from '../../src/core/actions.ts';
import type { Executor } from '../../src/core/executor.ts';
import type { Frame } from '../../src/core/frame.ts';
import { cliConfirm, terminalConfirm } from '../../src/policy/confirm-prompt.ts';
import { PolicyGuard, type ConfirmFn } from '../../src/policy/policy-guard.ts';
import { urlAllowed } from '../../src/core/origins.ts';
import { mergePolicies, parsePolicy, PolicyFileError, type PolicyInput } from '../../src/core/policy-schema.ts';
import { SecretStore } from '../../src/core/secrets.ts';
import { PassThrough } from 'node:stream';

/** The policy as data and as a guard, without a browser: every rule refuses what it should and only that. */

const SELF = 'http://127.0.0.1:4000';
const frame = { width: 2560, height: 1440, scale: 2, origin: { x: 0, y: 0 } } as Frame;
const executor = { kind: 'browser', currentUrl: () => `${SELF}/app/index.html` } as unknown as Executor;

function guard(p: PolicyInput, o: { confirm?: ConfirmFn; global?: PolicyInput; secrets?: SecretStore } = {}) {
  return new PolicyGuard({ policy: mergePolicies(o.global ? parsePolicy(o.global) : undefined, parsePolicy(p)), selfOrigin: SELF, confirm: o.confirm, secrets: o.secrets });
}

async function verdict(g: PolicyGuard, a: ActionInput) {
  return g.check(parseAction(a), { executor, frame });
}

describe('origins', () => {
  it('match self, exact origins, wildcard subdomains and ports; everything else is refused', () => {
    const lists = [['self', 'https://*.example.com', 'http://localhost:*']];
    expect(urlAllowed(`${SELF}/x?y#z`, lists, SELF)).toBe(true);
    expect(urlAllowed('http://127.0.0.1:4001/', lists, SELF)).toBe(false);
    expect(urlAllowed('https://example.com/a', lists, SELF)).toBe(true);
    expect(urlAllowed('https://a.b.example.com/a', lists, SELF)).toBe(true);
    expect(urlAllowed('https://badexample.com/', lists, SELF)).toBe(false);
    expect(urlAllowed('http://example.com/', lists, SELF)).toBe(false);
    expect(urlAllowed('http://localhost:9/', lists, SELF)).toBe(true);
    expect(urlAllowed('https://EXAMPLE.com:443/', [['https://example.com']], SELF)).toBe(true);
    expect(urlAllowed('javascript:alert(1)', lists, SELF)).toBe(false);
    expect(urlAllowed('data:text/html,hi', lists, SELF)).toBe(false);
    expect(urlAllowed('file:///etc/passwd', lists, SELF)).toBe(false);
    expect(urlAllowed('about:blank', lists, SELF)).toBe(true);
    expect(urlAllowed('not a url', lists, SELF)).toBe(false);
    // two lists (global and task): both must allow
    expect(urlAllowed('https://a.example.com/', [['https://*.example.com'], ['https://b.example.com']], SELF)).toBe(false);
  });

  it('bad patterns and fields are named in the error', () => {
    expect(() => parsePolicy({ allowedOrigins: ['example.com'] }, 'p.yaml')).toThrow(PolicyFileError);
    expect(() => parsePolicy({ allowedOrigins: ['example.com'] }, 'p.yaml')).toThrow(/p\.yaml: allowedOrigins\.0: must be "self", "\*" or scheme:\/\/host/);
    expect(() => parsePolicy({ confirm: ['teleport'] })).toThrow(/confirm\.0/);
    expect(() => parsePolicy({ maxTypeChars: 0 })).toThrow(/maxTypeChars/);
    expect(() => parsePolicy({ forbiddenRegions: [{ box: [10, 10, 0, 0] }] })).toThrow(/x1 <= x2/);
    expect(() => parsePolicy({ allowEverything: true })).toThrow(/allowEverything|Unrecognized/);
    expect(parsePolicy({ policy: { maxTypeChars: 5 } }).maxTypeChars).toBe(5);
  });

  it('merging: lists add up, the smaller cap wins, and the result cannot be changed', () => {
    const m = mergePolicies(parsePolicy({ forbiddenKeys: ['Meta'], maxTypeChars: 100, confirm: ['navigate'] }), parsePolicy({ forbiddenKeys: ['Control+w'], maxTypeChars: 20 }));
    expect(m.forbiddenKeys).toEqual(['Meta', 'Control+w']);
    expect(m.maxTypeChars).toBe(20);
    expect(m.originLists).toEqual([['self']]);
    expect(Object.isFrozen(m) && Object.isFrozen(m.originLists[0]) && Object.isFrozen(m.confirm)).toBe(true);
    expect(() => (m.originLists as string[][]).push(['*'])).toThrow();
  });
});

describe('the policy guard', () => {
  it('refuses navigation to origins not allowed, resolving relative URLs against the page', async () => {
    const g = guard({ allowedOrigins: ['self', 'https://docs.example.com'] });
    expect(await verdict(g, { action: 'navigate', url: '/other.html' })).toEqual({ ok: true });
    expect(await verdict(g, { action: 'navigate', url: 'https://docs.example.com/a' })).toEqual({ ok: true });
    const no = await verdict(g, { action: 'navigate', url: 'https://evil.example.net/steal?x=1' });
    expect(no).toEqual({ ok: false, reason: expect.stringMatching(/navigation to https:\/\/evil\.example\.net\/steal\?x=1 is not allowed/) });
    expect((await verdict(g, { action: 'navigate', url: 'javascript:alert(1)' })).ok).toBe(false);
    expect((await verdict(g, { action: 'navigate', url: '/login?pw={{secret:PW}}' })).ok).toBe(false);
  });

  it('refuses forbidden chords however they are spelled, and chords that contain them', async () => {
    const g = guard({ forbiddenKeys: ['Control+Alt+Delete', ['Meta', 'l'], 'ctrl+w'] });
    for (const keys of [['Control', 'Alt', 'Delete'], ['ctrl', 'alt', 'del'], ['alt+ctrl+delete'], ['Meta', 'L'], ['cmd', 'l'], ['Control', 'W'], ['Control', 'Shift', 'w']]) {
      const v = await verdict(g, { action: 'key', keys });
      expect(v.ok, keys.join('+')).toBe(false);
      if (!v.ok) expect(v.reason).toMatch(/is forbidden by the policy/);
    }
    for (const keys of [['Control', 'a'], ['Delete'], ['Meta'], ['w'], ['Alt', 'Delete']]) expect((await verdict(g, { action: 'key', keys })).ok, keys.join('+')).toBe(true);
  });

  it('refuses targets in forbidden regions (executor units, whatever the frame scale)', async () => {
    const g = guard({ forbiddenRegions: [{ box: [0, 0, 100, 50], label: 'taskbar' }] });
    // frame scale 2: frame px (150, 90) is CSS (75, 45): inside
    expect(await verdict(g, { action: 'click', target: { point: [150, 90] } })).toEqual({ ok: false, reason: 'click at (75,45) lands in the forbidden region "taskbar"' });
    expect((await verdict(g, { action: 'click', target: { point: [150, 110] } })).ok).toBe(true);
    expect((await verdict(g, { action: 'drag', from: { point: [1000, 1000] }, to: { box: [0, 0, 10, 10] } })).ok).toBe(false);
    expect((await verdict(g, { action: 'type', text: 'x', target: { point: [10, 10] } })).ok).toBe(false);
    expect((await verdict(g, { action: 'type', text: 'x' })).ok).toBe(true);
    expect((await guard({ forbiddenRegions: [{ box: [600, 300, 700, 400] }] }).check(parseAction({ action: 'scroll', direction: 'down' }), { executor, frame })).ok).toBe(false);
  });

  it('caps the characters one type action may enter (by code point, so Chinese counts as written)', async () => {
    const g = guard({ maxTypeChars: 5 });
    expect((await verdict(g, { action: 'type', text: '你好世界！' })).ok).toBe(true);
    expect(await verdict(g, { action: 'type', text: '你好世界！！' })).toEqual({ ok: false, reason: "typing 6 characters in one step is over the policy's limit of 5" });
  });

  it('asks for confirmation only for listed kinds, after the other rules; refuses when nobody can answer', async () => {
    const asked: string[] = [];
    const g = guard({ confirm: ['navigate', 'key'], forbiddenKeys: ['Alt+F4'] }, { confirm: ({ description }) => (asked.push(description), !description.includes('F5')) });
    expect((await verdict(g, { action: 'key', keys: ['F5'] })).ok).toBe(false);
    expect((await verdict(g, { action: 'key', keys: ['Enter'] })).ok).toBe(true);
    expect((await verdict(g, { action: 'key', keys: ['Alt', 'F4'] })).ok).toBe(false);
    expect((await verdict(g, { action: 'click', target: { point: [500, 500] } })).ok).toBe(true);
    expect(asked).toEqual(['key F5', 'key Enter']); // Alt+F4 was refused before anyone was asked
    const declined = await verdict(g, { action: 'key', keys: ['F5'] });
    expect(declined).toEqual({ ok: false, reason: 'key F5 was declined by the person confirming actions' });
    const nobody = await verdict(guard({ confirm: ['navigate'] }), { action: 'navigate', url: '/a' });
    expect(nobody).toEqual({ ok: false, reason: expect.stringMatching(/needs a person's confirmation and this run cannot ask.*--yes/) });
  });

  it('refuses secrets that are undeclared, unset, or for a page of another origin', async () => {
    const secrets = new SecretStore({ names: ['PW'], env: { PW: 'hunter2', OTHER: 'x' }, originAllowed: (o) => o === SELF });
    const g = guard({}, { secrets });
    expect((await verdict(g, { action: 'type', text: '{{secret:PW}}' })).ok).toBe(true);
    expect(await verdict(g, { action: 'type', text: '{{secret:OTHER}}' })).toEqual({ ok: false, reason: expect.stringMatching(/\{\{secret:OTHER\}\} is not used by this task/) });
    const unset = new SecretStore({ names: ['PW'], env: {} });
    expect(await guard({}, { secrets: unset }).check(parseAction({ action: 'type', text: 'a{{secret:PW}}b' }), { executor, frame })).toEqual({ ok: false, reason: 'secret PW is not set in the environment' });
    const elsewhere = { kind: 'browser', currentUrl: () => 'https://evil.example/' } as unknown as Executor;
    const v = await g.check(parseAction({ action: 'type', text: '{{secret:PW}}' }), { executor: elsewhere, frame });
    expect(v).toEqual({ ok: false, reason: expect.stringMatching(/secrets may not be typed into a page of https:\/\/evil\.example/) });
    expect(JSON.stringify(v)).not.toContain('hunter2');
  });
});

describe('confirmation in the CLI', () => {
  it('--yes approves, a pipe refuses, a terminal asks and only "y" or "yes" approves', async () => {
    const req = { action: parseAction({ action: 'back' }), description: 'back' };
    expect(await cliConfirm({ yes: true, isTty: false, streams: { input: process.stdin, output: process.stderr } })!(req)).toBe(true);
    expect(cliConfirm({ isTty: false, streams: { input: process.stdin, output: process.stderr } })).toBeUndefined();
    for (const [typed, ok] of [['y\n', true], ['YES\n', true], ['n\n', false], ['\n', false], ['yep\n', false]] as const) {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = '';
      output.on('data', (d) => (shown += d));
      const answer = terminalConfirm({ input, output })(req);
      input.write(typed);
      expect(await answer, JSON.stringify(typed)).toBe(ok);
      expect(shown).toBe('handeye: allow back? [y/N] ');
    }
    const closed = new PassThrough();
    const answer = terminalConfirm({ input: closed, output: new PassThrough() })(req);
    closed.end();
    expect(await answer).toBe(false);
  });
});
