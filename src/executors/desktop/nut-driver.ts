/**
 * The nut.js driver process: started by NutClient with DISPLAY set to the display it drives,
 * which the parent has already checked is reachable. Answers one request at a time over IPC.
 */
import { createRequire } from 'node:module';
import sharp, { type Sharp } from 'sharp';
import type { CapturePath, DriverOp, DriverRequest, DriverRequests, DriverResponse, Region } from './driver-protocol.ts';
import { bgraThumbnail, bgraToRgb } from './pixels.ts';

type Nut = typeof import('@nut-tree-fork/nut-js');
let nut: Nut | undefined;

function need(): Nut {
  if (!nut) throw new Error('driver used before init');
  return nut;
}

async function grabRgb(region?: Region): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const n = need();
  const img = region
    ? await n.screen.grabRegion(new n.Region(region.x, region.y, region.width, region.height))
    : await n.screen.grab();
  const bytesPerRow = img.data.length / img.height;
  return { rgb: bgraToRgb(img.data, img.width, img.height, bytesPerRow), width: img.width, height: img.height };
}

/** screenshot-desktop ships no types; this is the part of its API we use. */
type ScreenshotDesktop = (options: { format: 'png' | 'jpg'; screen?: string }) => Promise<Buffer>;
const SHOT_TIMEOUT_MS = 15_000;

/**
 * screenshot-desktop shells out to xrandr and ImageMagick's import. Its promise can stay pending
 * forever (no display) while an unhandled rejection fires elsewhere: bound it, and report it.
 */
async function grabByImport(region?: Region): Promise<Sharp> {
  const shot = createRequire(import.meta.url)('screenshot-desktop') as ScreenshotDesktop;
  let timer: NodeJS.Timeout | undefined;
  const png = await Promise.race([
    shot({ format: 'png' }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`screenshot-desktop did not answer within ${SHOT_TIMEOUT_MS} ms`)), SHOT_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  const img = sharp(png).removeAlpha();
  return region ? img.extract({ left: region.x, top: region.y, width: region.width, height: region.height }) : img;
}

async function grabImage(path: CapturePath, region?: Region): Promise<{ img: Sharp; width: number; height: number }> {
  if (path === 'screenshot-desktop') {
    const img = await grabByImport(region);
    // Materialize once: the grab size must be known before resizing.
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    return { img: sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }), width: info.width, height: info.height };
  }
  const { rgb, width, height } = await grabRgb(region);
  return { img: sharp(rgb, { raw: { width, height, channels: 3 } }), width, height };
}

async function pressChord(keys: string[]): Promise<void> {
  const n = need();
  const codes = keys.map((k) => {
    const code = (n.Key as unknown as Record<string, number>)[k];
    if (code === undefined) throw new Error(`nut.js has no key ${k}`);
    return code;
  });
  for (const c of codes) await n.keyboard.pressKey(c);
  for (const c of [...codes].reverse()) await n.keyboard.releaseKey(c);
}

const BUTTONS = { left: 0, right: 2, middle: 1 } as const; // nut's Button enum values

type Handlers = { [K in DriverOp]: (args: DriverRequests[K]['req']) => Promise<DriverRequests[K]['res']> };

const handlers: Handlers = {
  async init({ mouseDelayMs, keyDelayMs }) {
    nut = await import('@nut-tree-fork/nut-js');
    // nut's defaults (300 ms per key, 100 ms per mouse action) make an agent crawl.
    nut.keyboard.config.autoDelayMs = keyDelayMs;
    nut.mouse.config.autoDelayMs = mouseDelayMs;
    nut.mouse.config.mouseSpeed = 100_000;
    return { width: await nut.screen.width(), height: await nut.screen.height() };
  },
  async grab({ path, region, format, quality, resize }) {
    const grabbed = await grabImage(path, region);
    const { width, height } = grabbed;
    let img = grabbed.img;
    if (resize && (resize.width !== width || resize.height !== height)) img = img.resize(resize.width, resize.height, { fit: 'fill' });
    if (format === 'raw') {
      const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
      return { image: data, width: info.width, height: info.height, grabWidth: width, grabHeight: height };
    }
    const out = format === 'png' ? img.png({ compressionLevel: 1 }) : img.jpeg({ quality });
    const { data, info } = await out.toBuffer({ resolveWithObject: true });
    return { image: data, width: info.width, height: info.height, grabWidth: width, grabHeight: height };
  },
  async thumbnail({ region, side }) {
    const n = need();
    const img = region ? await n.screen.grabRegion(new n.Region(region.x, region.y, region.width, region.height)) : await n.screen.grab();
    return bgraThumbnail(img.data, img.width, img.height, img.data.length / img.height, side);
  },
  async move({ x, y }) {
    const n = need();
    await n.mouse.setPosition(new n.Point(Math.round(x), Math.round(y)));
    return null;
  },
  async click({ button, count }) {
    const n = need();
    if (count === 2) await n.mouse.doubleClick(BUTTONS[button]);
    else await n.mouse.click(BUTTONS[button]);
    return null;
  },
  async button({ button, down }) {
    const n = need();
    if (down) await n.mouse.pressButton(BUTTONS[button]);
    else await n.mouse.releaseButton(BUTTONS[button]);
    return null;
  },
  async scroll({ direction, amount }) {
    const m = need().mouse;
    if (direction === 'up') await m.scrollUp(amount);
    else if (direction === 'down') await m.scrollDown(amount);
    // nut.js has the horizontal buttons swapped on X11 (its scrollLeft sends button 7, which is
    // "right"); X's convention is 6 = left, 7 = right, and apps follow it.
    else if (direction === 'left') await m.scrollRight(amount);
    else await m.scrollLeft(amount);
    return null;
  },
  async chord({ keys }) {
    await pressChord(keys);
    return null;
  },
  // Not nut's keyboard.type: with no delay between keys it loses the Shift of "!" and friends.
  async taps({ chords }) {
    for (const keys of chords) await pressChord(keys);
    return null;
  },
  async position() {
    const p = await need().mouse.getPosition();
    return { x: p.x, y: p.y };
  },
};

process.on('message', (msg: DriverRequest) => {
  const handler = handlers[msg.op] as (args: unknown) => Promise<unknown>;
  const reply = (r: DriverResponse) => process.send!(r);
  if (!handler) return reply({ id: msg.id, ok: false, error: `unknown driver op ${String(msg.op)}` });
  handler(msg.args).then(
    (value) => reply({ id: msg.id, ok: true, value }),
    (e: unknown) => reply({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
// The parent going away (crash, kill) must not leave us holding the display.
process.on('disconnect', () => process.exit(0));
