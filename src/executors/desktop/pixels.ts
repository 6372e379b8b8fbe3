/**
 * nut.js's screen.grab hands back X11 pixels as BGRA with the alpha byte 0 everywhere (an
 * XImage has no alpha). Encoded as-is the image comes out blue-tinted and fully transparent, so
 * the bytes are reordered to RGB and the alpha dropped, honouring the row stride.
 */
export function bgraToRgb(src: Uint8Array, width: number, height: number, byteWidth = width * 4, out?: Uint8Array): Uint8Array {
  if (byteWidth < width * 4) throw new RangeError(`row stride ${byteWidth} is shorter than ${width} BGRA pixels`);
  if (src.length < byteWidth * (height - 1) + width * 4) throw new RangeError(`buffer of ${src.length} bytes is too small for ${width}x${height} BGRA`);
  const dst = out ?? new Uint8Array(width * height * 3);
  if (dst.length < width * height * 3) throw new RangeError('output buffer too small');
  let o = 0;
  for (let y = 0; y < height; y++) {
    let i = y * byteWidth;
    const end = i + width * 4;
    for (; i < end; i += 4) {
      dst[o] = src[i + 2];
      dst[o + 1] = src[i + 1];
      dst[o + 2] = src[i];
      o += 3;
    }
  }
  return dst;
}

/**
 * An RGB thumbnail (see Thumbnail) straight from BGRA rows: each output pixel is the mean colour
 * of its source block (sampled every other pixel in blocks larger than 2), skipping the
 * full-size RGB copy and encoder a settle check does not need.
 */
export function bgraThumbnail(src: Uint8Array, width: number, height: number, byteWidth: number, side: number): { data: Uint8Array; width: number; height: number } {
  const shrink = Math.min(1, side / Math.max(width, height));
  const tw = Math.max(1, Math.round(width * shrink));
  const th = Math.max(1, Math.round(height * shrink));
  const out = new Uint8Array(tw * th * 3);
  for (let ty = 0; ty < th; ty++) {
    const y0 = Math.floor((ty * height) / th);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * height) / th));
    const ys = y1 - y0 > 2 ? 2 : 1;
    for (let tx = 0; tx < tw; tx++) {
      const x0 = Math.floor((tx * width) / tw);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * width) / tw));
      const xs = x1 - x0 > 2 ? 2 : 1;
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let y = y0; y < y1; y += ys) {
        let i = y * byteWidth + x0 * 4;
        for (let x = x0; x < x1; x += xs, i += 4 * xs) {
          b += src[i];
          g += src[i + 1];
          r += src[i + 2];
          n++;
        }
      }
      const o = (ty * tw + tx) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
  return { data: out, width: tw, height: th };
}
