import type { CDPSession } from 'playwright-core';
import sharp from 'sharp';
import type { Thumbnail } from '../../core/executor.ts';
import type { ImageFormat } from '../../core/frame.ts';
import { encodedImageSize } from './image-size.ts';

/**
 * Screenshots through a raw CDP session: about 15 ms cheaper than page.screenshot (which waits
 * for fonts, reads layout metrics and more). Our session does not carry Playwright's emulated
 * device scale factor, so the clip scale must include it: clip.scale = DPR × pinch zoom gives
 * pixel-identical output to page.screenshot (checked in test/executors/browser-capture.test.ts).
 */

/** The visible area in CSS px of the document, and the pinch-zoom factor. */
interface VisibleArea {
  x: number;
  y: number;
  width: number;
  height: number;
  zoom: number;
}

async function visibleArea(cdp: CDPSession): Promise<VisibleArea> {
  const { cssVisualViewport: v } = await cdp.send('Page.getLayoutMetrics');
  return { x: v.pageX, y: v.pageY, width: v.clientWidth, height: v.clientHeight, zoom: v.scale };
}

export interface CapturedImage {
  image: Buffer;
  width: number;
  height: number;
}

/**
 * A busy compositor sometimes answers "Unable to capture screenshot" once: one more try, after a
 * frame, before the capture fails on it.
 */
export async function onceMoreIfBusy<T>(shot: () => Promise<T>): Promise<T> {
  try {
    return await shot();
  } catch (e) {
    if (!/Unable to capture screenshot/i.test((e as Error).message)) throw e;
    await new Promise((r) => setTimeout(r, 50));
    return shot();
  }
}

/** The visible viewport at device resolution (viewport × device scale factor). */
export async function captureViewport(
  cdp: CDPSession,
  deviceScaleFactor: number,
  format: ImageFormat,
  quality: number,
): Promise<CapturedImage> {
  const area = await visibleArea(cdp);
  const shot = () =>
    cdp.send('Page.captureScreenshot', {
      format,
      ...(format === 'jpeg' ? { quality } : {}),
      clip: { x: area.x, y: area.y, width: area.width, height: area.height, scale: deviceScaleFactor * area.zoom },
      captureBeyondViewport: false,
      // Faster encoder settings in the browser: same pixels, a larger PNG, the same JPEG.
      optimizeForSpeed: true,
    });
  const { data } = await onceMoreIfBusy(shot);
  const image = Buffer.from(data, 'base64');
  return { image, ...encodedImageSize(image, format) };
}

/** Longest side of a settle-detection thumbnail, in pixels. */
export const THUMBNAIL_SIDE = 256;

/**
 * A small RGB view of the viewport (see Thumbnail). The browser downscales while compositing, so
 * only a few kilobytes of low-quality JPEG cross the wire; sharp decodes them to raw RGB.
 */
export async function captureThumbnail(cdp: CDPSession): Promise<Thumbnail> {
  const area = await visibleArea(cdp);
  const sideInViewportPx = Math.max(area.width, area.height) * area.zoom;
  const shrink = Math.min(1, THUMBNAIL_SIDE / sideInViewportPx);
  const { data } = await cdp.send('Page.captureScreenshot', {
    format: 'jpeg',
    quality: 40,
    optimizeForSpeed: true,
    clip: { x: area.x, y: area.y, width: area.width, height: area.height, scale: area.zoom * shrink },
    captureBeyondViewport: false,
  });
  const { data: rgb, info } = await sharp(Buffer.from(data, 'base64'))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength), width: info.width, height: info.height };
}
