/**
 * The largest frame handeye captures: Chromium's screenshots and the OCR both stop being
 * reliable (or finishing) beyond it, and every model family resizes far below it anyway.
 */
export const MAX_FRAME_SIDE = 16_384;
export const MAX_FRAME_PIXELS = 50_000_000;

/** Why a viewport of w×h CSS px at device scale factor dpr cannot be captured, or undefined when it can. */
export function frameSizeProblem(w: number, h: number, dpr: number): string | undefined {
  const fw = Math.round(w * dpr);
  const fh = Math.round(h * dpr);
  if (fw > MAX_FRAME_SIDE || fh > MAX_FRAME_SIDE || fw * fh > MAX_FRAME_PIXELS) {
    return `a ${w}x${h} viewport at device scale factor ${dpr} makes ${fw}x${fh} px frames; frames may be at most ${MAX_FRAME_SIDE} px a side and ${MAX_FRAME_PIXELS / 1e6} Mpx`;
  }
  return undefined;
}
