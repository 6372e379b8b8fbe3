import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/core/frame.ts';
import { frameThumbnail, sameFrame } from '../../src/core/settle.ts';

/** A 640x360 white PNG frame with a 160x90 swatch of `rgb` (5% of the screen, as a small panel). */
async function swatchFrame(rgb: [number, number, number]): Promise<Frame> {
  const [w, h] = [640, 360];
  const data = Buffer.alloc(w * h * 3, 255);
  for (let y = 40; y < 130; y++) for (let x = 40; x < 200; x++) data.set(rgb, (y * w + x) * 3);
  const image = await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
  return { image, format: 'png', width: w, height: h, scale: 1, origin: { x: 0, y: 0 }, capturedAt: Date.now() };
}

const gray = async (f: Frame): Promise<Buffer> => sharp(f.image).grayscale().raw().toBuffer();

describe('sameFrame', () => {
  it('sees a change between two colours of the same brightness (a blue-to-red fade passes through such pairs)', async () => {
    // Two steps of a blue-to-red fade that a grey thumbnail cannot tell apart.
    const a = await swatchFrame([60, 0, 195]);
    const b = await swatchFrame([90, 0, 165]);
    expect((await gray(a)).equals(await gray(b))).toBe(true);
    expect(await sameFrame(a, b)).toBe(false);
    expect((await frameThumbnail(a)).data.length).toBe(256 * 144 * 3);
  });

  it('takes two captures of one screen for the same, and a one-level change for noise', async () => {
    const a = await swatchFrame([60, 0, 195]);
    expect(await sameFrame(a, await swatchFrame([60, 0, 195]))).toBe(true);
    expect(await sameFrame(a, await swatchFrame([61, 0, 195]))).toBe(true);
  });
});
