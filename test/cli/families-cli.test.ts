import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILIES, getProfile } from '../../agents/families.ts';
import { sentSize } from '../../agents/profile/sent-image.ts';
import { main } from '../../src/cli/index.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'bin/handeye.mjs');

function cli(args: string[], input = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

/** A family's own reply clicking the centre of a 1920x1080 screen, as its server would send it (whole JSON for tool calls). */
function centreClick(family: string): string {
  const sent = sentSize(1920, 1080, getProfile(family).resize);
  const box: [number, number, number, number] = [sent.width / 2 - 1, sent.height / 2 - 1, sent.width / 2 + 1, sent.height / 2 + 1];
  const reply = getProfile(family).simulator.answer([{ kind: 'click', box }], { ...sent, specialTokens: true, explanation: 'the centre' });
  if (!reply.toolCalls) return reply.content;
  const tool_calls = reply.toolCalls.map((c, i) => ({ id: `c${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));
  return JSON.stringify({ choices: [{ message: { role: 'assistant', content: reply.content, tool_calls } }] });
}

describe('handeye families, resize and parse accept every family', () => {
  it('families --json lists the registry', async () => {
    const r = await cli(['families', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Array<{ family: string; tools: boolean }>;
    expect(list.map((f) => f.family)).toEqual(FAMILIES);
    expect(list.filter((f) => f.tools).map((f) => f.family)).toEqual(FAMILIES.filter((f) => f.startsWith('glm-4.6v')));
  });

  /** The CLI's own entry point, in this process, with stdin fed from a string. */
  async function inProcess(args: string[], input = ''): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const { Readable } = await import('node:stream');
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(input)]), configurable: true });
    try {
      const code = await main(args, { out: (s) => (out += s + '\n'), err: (s) => (err += s + '\n') });
      return { code, out, err };
    } finally {
      Object.defineProperty(process, 'stdin', stdin);
    }
  }

  it('resize and parse for each family (the CLI entry point; one family in a real process)', { timeout: 120_000 }, async () => {
    const coordinateFamilies = FAMILIES.filter((f) => !getProfile(f).setOfMarks);
    const results: Array<{ family: string; resize: { code: number | null; out: string; err: string }; parse: { code: number | null; out: string; err: string } }> = [];
    for (const family of coordinateFamilies) {
      results.push({ family, resize: await inProcess(['resize', '--family', family, '1920x1080']), parse: await inProcess(['parse', '--family', family, '--image-size', '1920x1080'], centreClick(family)) });
    }
    // The same through the bin, for one tool-calling family: a whole response on stdin.
    results.push({ family: 'glm-4.6v-flash', resize: await cli(['resize', '--family', 'glm-4.6v-flash', '1920x1080']), parse: await cli(['parse', '--family', 'glm-4.6v-flash', '--image-size', '1920x1080'], centreClick('glm-4.6v-flash')) });
    for (const { family, resize, parse } of results) {
      expect(resize.code, `${family}: ${resize.err}`).toBe(0);
      const size = JSON.parse(resize.out);
      expect([size.width, size.height]).toEqual(Object.values(sentSize(1920, 1080, getProfile(family).resize)));
      expect(parse.code, `${family}: ${parse.err}`).toBe(0);
      const parsed = JSON.parse(parse.out) as { actions: Array<{ action: string; target: { point?: number[]; box?: number[] } }> };
      expect(parsed.actions[0].action).toBe('click');
      const t = parsed.actions[0].target;
      const [x, y] = t.point ?? [(t.box![0] + t.box![2]) / 2, (t.box![1] + t.box![3]) / 2];
      expect(Math.abs(x - 960), family).toBeLessThanOrEqual(2);
      expect(Math.abs(y - 540), family).toBeLessThanOrEqual(2);
    }
  });

  it('a reply in another family\'s notation fails with exit 1 and names the expected one', async () => {
    const r = await cli(['parse', '--family', 'ui-tars-1.5', '--image-size', '1920x1080'], "Thought: x\nAction: click(point='<point>500 500</point>')");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ui-tars-1\.5 writes start_box='\(x,y\)' in pixels/);
  });
});
