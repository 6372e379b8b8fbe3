import sharp from 'sharp';
import type { CDPSession } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { captureViewport } from '../../../src/executors/browser/page-capture.ts';

// A busy Chromium sometimes answers one Page.captureScreenshot with "Unable to capture
// screenshot" (seen once in a full test run). The capture tries once more; other errors, and a
// second failure, still fail the capture. The browser cannot be made to fail on demand, so this
// one path runs against a scripted CDP session; the capture itself is covered on real Chromium.

function session(failures: string[], png: Buffer): { cdp: CDPSession; shots: () => number } {
  let shots = 0;
  const cdp = {
    send: async (method: string) => {
      if (method === 'Page.getLayoutMetrics') return { cssVisualViewport: { pageX: 0, pageY: 0, clientWidth: 40, clientHeight: 30, scale: 1 } };
      shots++;
      const f = failures.shift();
      if (f) throw new Error(`cdpSession.send: Protocol error (Page.captureScreenshot): ${f}`);
      return { data: png.toString('base64') };
    },
  } as unknown as CDPSession;
  return { cdp, shots: () => shots };
}

describe('viewport capture', () => {
  it('tries once more when the browser could not capture, and fails on anything else or twice', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#fff' } }).png().toBuffer();
    const once = session(['Unable to capture screenshot'], png);
    expect(await captureViewport(once.cdp, 1, 'png', 80)).toMatchObject({ width: 40, height: 30 });
    expect(once.shots()).toBe(2);
    await expect(captureViewport(session(['Unable to capture screenshot', 'Unable to capture screenshot'], png).cdp, 1, 'png', 80)).rejects.toThrow(/Unable to capture/);
    const other = session(['Target closed'], png);
    await expect(captureViewport(other.cdp, 1, 'png', 80)).rejects.toThrow(/Target closed/);
    expect(other.shots()).toBe(1);
  });
});
