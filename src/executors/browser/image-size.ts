import type { ImageFormat } from '../../core/frame.ts';

/**
 * Pixel size of an encoded PNG or JPEG, read from its header. Cheaper than a decode, and exact:
 * the browser rounds viewport × device scale factor its own way, so the frame must report what
 * the image really is.
 */
export function encodedImageSize(image: Buffer, format: ImageFormat): { width: number; height: number } {
  if (format === 'png') {
    if (image.length < 24 || image.readUInt32BE(12) !== 0x49484452 /* IHDR */) {
      throw new Error('not a PNG image (no IHDR header)');
    }
    return { width: image.readUInt32BE(16), height: image.readUInt32BE(20) };
  }
  if (image.length < 4 || image[0] !== 0xff || image[1] !== 0xd8) throw new Error('not a JPEG image (no SOI marker)');
  let i = 2;
  while (i + 9 < image.length) {
    if (image[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = image[i + 1];
    // Start-of-frame markers C0..CF carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: image.readUInt16BE(i + 5), width: image.readUInt16BE(i + 7) };
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    i += 2 + image.readUInt16BE(i + 2);
  }
  throw new Error('JPEG image has no start-of-frame marker');
}
