import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getProfile } from '../../../agents/families.ts';
import { sentSize } from '../../../agents/profile/sent-image.ts';
import { targetPoint } from '../../../src/core/actions.ts';
import { parseReply } from '../../../agents/profile/inspect.ts';
import { CoordinateMapper } from '../../../agents/profile/parsing/coordinates.ts';
import type { EncodeOptions, SimAnswer } from '../../../agents/profile/simulate.ts';
import { FAMILIES as ALL_FAMILIES } from '../../../agents/families.ts';

/** Viewport x DPR -> frame size, as the issue lists them. */
const SCREENS = [
  { name: '1280x720 DPR1', frame: [1280, 720] },
  { name: '1920x1080 DPR2', frame: [3840, 2160] },
  { name: '390x844 DPR3', frame: [1170, 2532] },
  { name: '3440x1440', frame: [3440, 1440] },
] as const;

/** Every family that writes coordinates (set-of-marks families name elements instead). */
const FAMILIES = ALL_FAMILIES.filter((f) => !getProfile(f).setOfMarks);

/** The reply as the family's server sends it: text, with tool calls as a chat-completions response. */
function encode(family: string, a: SimAnswer, o: Omit<EncodeOptions, 'explanation'>): string {
  const reply = getProfile(family).simulator.answer([a], { ...o, explanation: 'click it' });
  if (!reply.toolCalls) return reply.content;
  const tool_calls = reply.toolCalls.map((c, i) => ({ id: `c${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));
  return JSON.stringify({ choices: [{ message: { role: 'assistant', content: reply.content, tool_calls } }] });
}

describe('coordinate round trip: frame pixel -> family encoding of the sent image -> frame pixel', () => {
  for (const family of FAMILIES) {
    const profile = getProfile(family);
    for (const screen of SCREENS) {
      const [fw, fh] = screen.frame;
      const sent = sentSize(fw, fh, profile.resize);
      // The family's own quantization: half a unit of its coordinate space, in frame pixels.
      const grid = profile.coordinates === 'thousandths' ? 1000 : profile.coordinates === 'relative-999' ? 999 : 0;
      const tolX = grid ? fw / (2 * grid) : (0.5 * fw) / sent.width;
      const tolY = grid ? fh / (2 * grid) : (0.5 * fh) / sent.height;
      it(`${family} at ${screen.name} (sent ${sent.width}x${sent.height}): within ±${tolX.toFixed(3)}, ±${tolY.toFixed(3)} px`, () => {
        let worstX = 0;
        let worstY = 0;
        const check = (xf: number, yf: number) => {
          const xs = (xf * sent.width) / fw;
          const ys = (yf * sent.height) / fh;
          const text = encode(family, { kind: 'click', box: [xs, ys, xs, ys] }, { ...sent, specialTokens: true });
          const r = parseReply(family, text, { width: fw, height: fh });
          expect(r.actions).toHaveLength(1);
          const [x, y] = targetPoint((r.actions[0] as { target: Parameters<typeof targetPoint>[0] }).target);
          worstX = Math.max(worstX, Math.abs(x - xf));
          worstY = Math.max(worstY, Math.abs(y - yf));
          expect(Math.abs(x - xf)).toBeLessThanOrEqual(tolX + 1e-9);
          expect(Math.abs(y - yf)).toBeLessThanOrEqual(tolY + 1e-9);
        };
        fc.assert(
          fc.property(fc.double({ min: 0, max: fw, noNaN: true }), fc.double({ min: 0, max: fh, noNaN: true }), (xf, yf) => check(xf, yf)),
          { numRuns: 200 },
        );
        // An even sweep shows the bound is tight: errors reach most of the quantization step.
        for (let i = 0; i < 400; i++) check(((i + 0.37) * fw) / 400, ((i * 7 + 0.61) % 400) * (fh / 400));
        // The bound is tight: errors do reach most of the quantization step.
        expect(worstX).toBeGreaterThan(tolX * 0.8);
        expect(worstY).toBeGreaterThan(tolY * 0.8);
      });
    }
  }

  it('the same reply decoded as if the frame had been sent unresized misses by far more than the bound (the check above can fail)', () => {
    // A 7680x4320 frame (a 4K screen at DPR 2): both servers shrink it to 4760x2688.
    const [fw, fh] = [7680, 4320];
    for (const family of ['ui-tars-1.5', 'qwen2.5-vl'] as const) {
      const profile = getProfile(family);
      const sent = sentSize(fw, fh, profile.resize);
      expect(sent.width).not.toBe(fw);
      const [xf, yf] = [6000, 3000];
      const xs = (xf * sent.width) / fw;
      const ys = (yf * sent.height) / fh;
      const text = encode(family, { kind: 'click', box: [xs, ys, xs, ys] }, { ...sent, specialTokens: true });
      const right = parseReply(family, text, { width: fw, height: fh });
      const wrongMap = new CoordinateMapper(profile.coordinates, { frameWidth: fw, frameHeight: fh, sentWidth: fw, sentHeight: fh });
      const wrong = profile.parse(text, undefined, { map: wrongMap });
      expect(wrong.actions).toHaveLength(1);
      const at = (r: { actions: unknown[] }) => targetPoint((r.actions[0] as { target: Parameters<typeof targetPoint>[0] }).target);
      const tol = (0.5 * fw) / sent.width;
      expect(Math.abs(at(right)[0] - xf)).toBeLessThanOrEqual(tol + 1e-9);
      expect(Math.abs(at(wrong)[0] - xf)).toBeGreaterThan(100 * tol);
    }
  });
});
