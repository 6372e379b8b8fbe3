/**
 * Detection again of only the rows of a region that changed since the previous frame: on a
 * dense screen, one region (a whole table page) is cut into 1920×448 bands, and a small change
 * (a row highlighted, a nav item underlined) would otherwise cost a whole band's detection.
 */
import type { RgbImage } from '../../../src/core/frame.ts';
import { changeBand, rowEdgeCost } from '../../../kernels/ocr/det-input.ts';
import { rectsIntersect, type Rect } from '../../../kernels/regions.ts';
import type { OcrPipeline, RegionDetection } from './ocr-pipeline.ts';

/**
 * `old` (this region's detection on the previous frame) with the rows around `changed` (image
 * rectangles, some of which meet its footprint) detected again on `image`; the whole region
 * again when the change spans most of it.
 */
export async function redetectChanged(
  pipeline: OcrPipeline,
  image: RgbImage,
  gray: Uint8Array,
  old: RegionDetection,
  changed: Rect[],
  scale: number,
): Promise<RegionDetection> {
  const { region } = old;
  const hits = changed.filter((c) => rectsIntersect(c, old.footprint));
  const y1 = Math.max(region.y, Math.floor(Math.min(...hits.map((c) => c[1])) * scale));
  const y2 = Math.min(region.y + region.height, Math.ceil(Math.max(...hits.map((c) => c[3])) * scale));
  const o = pipeline.options;
  const band = hits.length
    ? changeBand(region, y1, y2, o.detBandOverlap, (row, r) => rowEdgeCost(gray, image.width, image.height, scale, o.edgeTolerance, row, r))
    : undefined;
  if (!band) return pipeline.detectRegion(image, region, scale);
  const fresh = await pipeline.detectRegion(image, band, scale);
  const kept = old.lines.filter((l) => {
    const centre = ((l.coreY1 + l.coreY2) / 2) * scale;
    return centre < band.keepY1! || centre >= band.keepY2!;
  });
  return { region, footprint: old.footprint, lines: [...kept, ...fresh.lines] };
}
