import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretError, SecretStore, secretNames, secretNamesIn } from '../../src/core/secrets.ts';
import { parseTaskYaml } from '../../src/core/task.ts';
import { readTrace } from '../../src/core/trace.ts';
import { FIXTURE_TASKS, startCli } from '../crash/support.ts';
import type { SimBox } from '../../agents/profile/simulate.ts';
import { startSimServer } from '../support/sim-server.ts';
import { filesContaining, freshSecret } from '../policy/support.ts';

/** {{secret:NAME}}: only the executor sees the value, only for declared names, and nothing written out holds it. */

describe('the secret store', () => {
  const env = { PW: 'hunter2', PIN: '12', LONG: 'hunter2-and-more', UNDECLARED: 'nope' };
  const store = new SecretStore({ names: ['PW', 'PIN', 'LONG'], env, originAllowed: (o) => o === 'http://ok' });

  it('finds placeholders in text and in a whole task, and nothing that only looks like one', () => {
    expect(secretNames('a {{secret:PW}} b {{secret:PIN}}{{secret:PW}} {{secret:}} {{secret:1X}} {{ secret:PW }}')).toEqual(['PW', 'PIN']);
    const task = parseTaskYaml('id: t\napp: { web: { url: "/x" } }\ngoal: "use {{secret:A}}"\nsteps: [{ type: { text: "{{secret:B}}", into: "Password" } }]');
    expect(secretNamesIn(task).sort()).toEqual(['A', 'B']);
  });

  it('resolves for typing only declared, set names on allowed origins; errors name the secret, never its value', () => {
    expect(store.resolveForTyping('x{{secret:PW}}y{{secret:PIN}}', 'http://ok')).toBe('xhunter2y12');
    const errors = [
      () => store.resolveForTyping('{{secret:UNDECLARED}}', 'http://ok'),
      () => store.resolveForTyping('{{secret:PW}}', 'http://evil'),
      () => store.resolveForTyping('{{secret:PW}}', undefined),
      () => new SecretStore({ names: ['PW'], env: {} }).resolveForTyping('{{secret:PW}}', 'http://ok'),
    ];
    for (const f of errors) {
      expect(f).toThrow(SecretError);
      try {
        f();
      } catch (e) {
        expect((e as Error).message).not.toMatch(/hunter2|nope/);
      }
    }
  });

  it('redacts values everywhere in a value, the longest first', () => {
    const out = store.redactDeep({ a: 'typed hunter2-and-more then hunter2', b: ['pin 12'], c: 12, d: { e: 'Hunter2 stays' } });
    expect(out).toEqual({ a: 'typed {{secret:LONG}} then {{secret:PW}}', b: ['pin {{secret:PIN}}'], c: 12, d: { e: 'Hunter2 stays' } });
    expect(store.redact('nope')).toBe('nope'); // undeclared values are not the store's to know
  });
});

it('a CLI run that types a secret: the field gets the value, no output file, stdout or stderr holds it', async () => {
  const secret = freshSecret();
  const boxes: Record<string, SimBox> = { Username: [20, 20, 320, 60], Password: [20, 80, 320, 120], 'Sign in': [20, 140, 220, 190] };
  const sim = await startSimServer({
    family: 'generic',
    answerKey: (instruction, size) => {
      const scale = (b: SimBox) => b.map((v) => (v * size.width) / 800) as SimBox;
      const typed = /^Type "(.*)" into "(.*)"$/.exec(instruction);
      if (typed) return { kind: 'type', text: JSON.parse(`"${typed[1]}"`), box: scale(boxes[typed[2]]) };
      return { kind: 'click', box: scale(boxes['Sign in']), label: 'Sign in' };
    },
  });
  const traceDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'handeye-secret-')), 'run');
  try {
    const run = startCli(['run', path.join(FIXTURE_TASKS, 'secret-login/secret-login.task.yaml'), '--engine', 'openai', '--base-url', sim.baseUrl, '--model', 'sim', '--family', 'generic', '--trace', traceDir, '--json'], { HANDEYE_TEST_PASSWORD: secret });
    const r = { status: await run.exit, stdout: run.out(), stderr: run.err() };
    expect(r.stderr).toMatch(/SUCCESS: secret-login steps-completed/);
    expect(r.status).toBe(0);
    expect(String(r.stdout) + String(r.stderr)).not.toContain(secret);
    expect(String(r.stderr)).toContain('{{secret:HANDEYE_TEST_PASSWORD}}');
    expect(filesContaining(traceDir, secret)).toEqual([]);
    const trace = readTrace(traceDir);
    expect(trace.steps[1].actions[0]).toMatchObject({ action: 'type', text: '{{secret:HANDEYE_TEST_PASSWORD}}' });
    expect(JSON.parse(readFileSync(path.join(traceDir, 'summary.json'), 'utf8')).checks[0].ok).toBe(true);
    expect(sim.requests.some((q) => JSON.stringify(q.body).includes(secret))).toBe(false);
  } finally {
    await sim.close();
  }
});

