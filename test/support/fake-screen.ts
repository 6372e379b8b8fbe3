import sharp from 'sharp';
import type { Action } from '../../src/core/actions.ts';
import type { Executor, PerformResult, Thumbnail } from '../../src/core/executor.ts';
import type { Frame } from '../../src/core/frame.ts';

/**
 * An executor over a tiny in-memory screen, for unit tests of the loop: no browser. The screen is
 * one solid colour that a click changes (the "button" is the whole screen) unless `dead` is set;
 * `fadeCaptures` makes each click start a fade that takes that many more captures to end, so the
 * screen is still changing when the next frame is taken. Images are real PNGs (the loop decodes them).
 */
export class FakeScreen implements Executor {
  readonly kind = 'browser' as const;
  readonly width = 64;
  readonly height = 48;
  readonly performed: Action[] = [];
  captures = 0;
  /** Clicks change nothing on screen. */
  dead = false;
  /** Captures a click's fade lasts. */
  fadeCaptures = 0;
  /** Throws this from perform (once) when set. */
  failNext: Error | undefined;
  /** Throws this from capture when set. */
  captureError: Error | undefined;
  private level = 0;
  private fadeLeft = 0;

  private colour(): [number, number, number] {
    const v = (this.level * 40 + this.fadeLeft * 13) % 256;
    return [v, 255 - v, (v * 3) % 256];
  }

  private advance(): void {
    if (this.fadeLeft > 0) this.fadeLeft--;
  }

  private raw(): Buffer {
    const [r, g, b] = this.colour();
    const data = Buffer.alloc(this.width * this.height * 3);
    for (let i = 0; i < data.length; i += 3) (data[i] = r), (data[i + 1] = g), (data[i + 2] = b);
    return data;
  }

  async capture(): Promise<Frame> {
    if (this.captureError) throw this.captureError;
    this.captures++;
    const image = await sharp(this.raw(), { raw: { width: this.width, height: this.height, channels: 3 } }).png().toBuffer();
    this.advance();
    return { image, format: 'png', width: this.width, height: this.height, scale: 1, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
  }

  async thumbnail(): Promise<Thumbnail> {
    const t = { data: new Uint8Array(this.raw()), width: this.width, height: this.height };
    this.advance();
    return t;
  }

  async perform(action: Action, _frame: Frame): Promise<PerformResult> {
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = undefined;
      throw e;
    }
    this.performed.push(action);
    if (action.action === 'click' && !this.dead) {
      this.level++;
      this.fadeLeft = this.fadeCaptures;
    }
    return {};
  }

  async close(): Promise<void> {}
}
