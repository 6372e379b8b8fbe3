/**
 * The "smart resize" of the Qwen2-VL / GLM-4.xV image processors: the exact size a server
 * resamples an image to before the vision encoder sees it. The client resizes to this size
 * itself, so the server does not resample again and model coordinates decode against the
 * true size of the image the model saw.
 *
 * Ported from the Python reference, including its arithmetic: Python's round() rounds half
 * to even (Math.round rounds half up and gets 1078x1078 wrong), int() truncates.
 */

export interface SmartResizeOptions {
  /** Patch size times merge size: every output side is a multiple of this. */
  factor: number;
  /** Pixel budget bounds, applied to temporalFrames * h * w. */
  minPixels: number;
  maxPixels: number;
  /** Longer side / shorter side above this is rejected. */
  maxAspectRatio: number;
  /**
   * GLM-4.xV duplicates each still image into 2 temporal frames, so its budget applies to
   * 2*h*w. Qwen2.5-VL and UI-TARS-1.5 count one frame.
   */
  temporalFrames: 1 | 2;
}

/** GLM-4.1V-Thinking / GLM-4.5V server defaults (a cap of 6144 image tokens). */
export const GLM_RESIZE: SmartResizeOptions = {
  factor: 28,
  minPixels: 112 * 112,
  maxPixels: 14 * 14 * 2 * 2 * 2 * 6144,
  maxAspectRatio: 200,
  temporalFrames: 2,
};

/** UI-TARS-1.5 (as its own client code resizes). */
export const UI_TARS_RESIZE: SmartResizeOptions = {
  factor: 28,
  minPixels: 100 * 28 * 28,
  maxPixels: 16384 * 28 * 28,
  maxAspectRatio: 200,
  temporalFrames: 1,
};

/** Qwen2.5-VL processor defaults (servers may be configured otherwise). */
export const QWEN25VL_RESIZE: SmartResizeOptions = {
  factor: 28,
  minPixels: 4 * 28 * 28,
  maxPixels: 16384 * 28 * 28,
  maxAspectRatio: 200,
  temporalFrames: 1,
};

export class ImageGeometryError extends Error {
  override name = 'ImageGeometryError';
}

/** Python 3 round(): nearest integer, ties to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact for |x| < 2^52
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export interface ResizedSize {
  width: number;
  height: number;
}

/**
 * Size the server will resample a width x height image to. Throws ImageGeometryError for
 * non-positive sizes and for aspect ratios above the limit (the server would reject them).
 */
export function smartResize(width: number, height: number, o: SmartResizeOptions): ResizedSize {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageGeometryError(`image size must be positive integers, got ${width}x${height}`);
  }
  const { factor, minPixels, maxPixels, temporalFrames: t } = o;
  let h = height;
  let w = width;
  // 1. tiny images are scaled up so that the shorter side reaches one factor (truncated, like int()).
  if (h < factor || w < factor) {
    const scale = Math.max(factor / h, factor / w);
    h = Math.trunc(h * scale);
    w = Math.trunc(w * scale);
  }
  // 2. extreme aspect ratios are rejected by the server.
  const ratio = Math.max(h, w) / Math.min(h, w);
  if (ratio > o.maxAspectRatio) {
    throw new ImageGeometryError(
      `aspect ratio of ${width}x${height} is ${ratio.toFixed(1)}:1; the model accepts at most ${o.maxAspectRatio}:1`,
    );
  }
  // 3. snap to the factor, half to even.
  let hBar = Math.max(factor, roundHalfEven(h / factor) * factor);
  let wBar = Math.max(factor, roundHalfEven(w / factor) * factor);
  // 4./5. keep t*h*w inside the pixel budget, preserving the aspect ratio.
  if (t * hBar * wBar > maxPixels) {
    const beta = Math.sqrt((t * h * w) / maxPixels);
    hBar = Math.max(factor, Math.floor(h / beta / factor) * factor);
    wBar = Math.max(factor, Math.floor(w / beta / factor) * factor);
  } else if (t * hBar * wBar < minPixels) {
    const beta = Math.sqrt(minPixels / (h * w * t));
    hBar = Math.ceil((h * beta) / factor) * factor;
    wBar = Math.ceil((w * beta) / factor) * factor;
  }
  return { width: wBar, height: hBar };
}

/**
 * Image tokens the LLM sees for a resized image: one per 2x2 merge of 14-px patches
 * (the temporal pair of GLM is merged too, so it does not double the count).
 */
export function imageTokens(size: ResizedSize, patch = 14, merge = 2): number {
  return ((size.width / patch) * (size.height / patch)) / (merge * merge);
}
