import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PolicySchema } from '../../src/core/policy-schema.ts';
import { OPERATIONS } from '../../src/service/operations.ts';
import { SessionManager } from '../../src/service/session-manager.ts';

/** The server's policy holds for every session, and declared secrets are typed without being seen. */

const tmp = mkdtempSync(path.join(tmpdir(), 'handeye-service-policy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (m: SessionManager, name: string, args: Record<string, unknown>) => {
  const op = OPERATIONS.find((o) => o.name === name)!;
  return op.run(m, op.input.parse(args) as never, {}) as Promise<any>;
};

describe('the policy and secrets of a service', () => {
  it('refuses what the policy forbids in every session, and types a declared secret that no output shows', async () => {
    const secret = 'pw-Zq81-xv0-secret';
    process.env.HANDEYE_SERVICE_TEST_PW = secret;
    // Declared secrets need origins a client cannot choose: without them the server refuses to start.
    expect(() => new SessionManager({ engine: { engine: 'embedded' }, secrets: ['HANDEYE_SERVICE_TEST_PW'], policy: PolicySchema.parse({ secretOrigins: ['self'] }) })).toThrow(/secretOrigins/);
    const policy = PolicySchema.parse({ forbiddenKeys: ['Control+a'], maxTypeChars: 40, secretOrigins: ['http://127.0.0.1:*'] });
    const m = new SessionManager({ engine: { engine: 'embedded' }, traceRoot: tmp, policy, secrets: ['HANDEYE_SERVICE_TEST_PW'] });
    try {
      for (const url of ['/login/index.html', '/todo/index.html']) {
        const { session } = await run(m, 'open', { url });
        const refused = await run(m, 'press', { session, keys: 'ctrl+a' }).catch((e) => e);
        expect(refused.code).toBe('step-failed');
        expect(refused.message).toMatch(/forbidden|polic/i);
        const long = await run(m, 'type', { session, text: 'x'.repeat(60) }).catch((e) => e);
        expect(long.message).toMatch(/40/);
        if (url === '/todo/index.html') await run(m, 'close', { session });
      }
      // A name a client slips into its URL or its own task adds nothing to what may be typed.
      const sneaky = await run(m, 'open', { url: '/todo/index.html#{{secret:HOME}}' });
      const viaUrl = await run(m, 'type', { session: sneaky.session, text: '{{secret:HOME}}', into: 'New task' }).catch((e) => e);
      expect(viaUrl.message).toMatch(/HOME/);
      await run(m, 'close', { session: sneaky.session });
      const inline = await run(m, 'run_task', { task: { id: 'sneaky', app: { web: { url: '/login/index.html' } }, steps: [{ type: { text: '{{secret:HOME}}', into: 'Username' } }] } }).catch((e) => e);
      expect(inline.status).toBe(403);
      const login = m.list()[0].id;
      await run(m, 'type', { session: login, text: 'alice', into: 'Username' });
      await run(m, 'type', { session: login, text: '{{secret:HANDEYE_SERVICE_TEST_PW}}', into: 'Password' });
      // A name the server did not declare is refused, whatever the environment holds.
      const undeclared = await run(m, 'type', { session: login, text: '{{secret:HOME}}', into: 'Username' }).catch((e) => e);
      expect(undeclared.message).toMatch(/HOME/);
      const typed = m.list()[0].handeye.executor;
      expect(await typed.evaluate!('document.querySelector("#password").value')).toBe(secret);
      const { traceDir } = await run(m, 'close', { session: login });
      const written = readdirSync(traceDir).filter((f) => f.endsWith('.json') || f.endsWith('.jsonl'));
      for (const f of written) expect(readFileSync(path.join(traceDir, f), 'utf8')).not.toContain(secret);
      expect(readFileSync(path.join(traceDir, 'trace.jsonl'), 'utf8')).toContain('{{secret:HANDEYE_SERVICE_TEST_PW}}');
    } finally {
      delete process.env.HANDEYE_SERVICE_TEST_PW;
      await m.shutdown();
    }
  });
});
