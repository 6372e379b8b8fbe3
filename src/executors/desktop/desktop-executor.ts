import { hasSecret, type SecretResolver } from '../../core/secrets.ts';
import type { Action, Target } from '../../core/actions.ts';
import { DEFAULT_JPEG_QUALITY, type CaptureOptions, type Executor, type ExecutorPolicy, type PerformResult, type Thumbnail } from '../../core/executor.ts';
import { actingPoint, assertInFrame, frameToUnits, type Frame } from '../../core/frame.ts';
import { ClipboardOwner } from './clipboard.ts';
import { keyboardTypeable, nutChord } from './desktop-keys.ts';
import type { CapturePath, Region } from './driver-protocol.ts';
import { NutClient, type NutClientOptions } from './nut-client.ts';
import { KeysymTyper } from './keysym-typing.ts';
import { WindowError, windowExists, windowRegion } from './windows.ts';

export type CaptureArea = { region: Region } | { window: string };

export interface DesktopExecutorOptions extends NutClientOptions {
  /** The X display to drive, e.g. ":99". */
  display: string;
  /** What a frame shows: the whole screen (default), a fixed region (one monitor), or a window (followed as it moves). */
  area?: CaptureArea;
  /**
   * Image pixels per device pixel of the capture: 0.5 halves a 4K screen before encoding, 2
   * upsamples (a display treated as HiDPI). Frame.scale reports it; actions map back through it.
   */
  captureScale?: number;
  capturePath?: CapturePath;
  /** How text that no US-layout key types (Chinese, accents, emoji) goes in: by keysym (spare keycodes mapped to the characters, default), or a clipboard paste (Ctrl+V). */
  unicodeInput?: 'xdotool' | 'clipboard';
}

/** Longest side of the settle-detection thumbnail. */
export const THUMBNAIL_SIDE = 256;
/** Intermediate pointer positions of a drag: toolkits start a drag only after the pointer has moved a few pixels. */
const DRAG_STEPS = 8;
/** Pause between keys typed by keysym: xdotool's default. */
const UNICODE_KEY_DELAY_MS = 12;
/**
 * Time an app is given to fetch a pasted selection before the next key. The paste is a round trip
 * (the app asks xclip for the text), and Tk handles keys that arrive meanwhile first: an Enter
 * right after Ctrl+V read the field without the pasted text (seen on a loaded machine).
 */
const PASTE_SETTLE_MS = 80;

/**
 * Executor for an X11 desktop: nut.js moves the real pointer and presses real keys (XTest), so
 * any application sees ordinary input. Executor units are the display's device pixels.
 */
export class DesktopExecutor implements Executor {
  readonly kind = 'desktop' as const;
  private readonly clipboard: ClipboardOwner;
  private readonly keysyms: KeysymTyper;
  private closed = false;
  /** Resolves {{secret:NAME}} placeholders at typing time; set by the run's policy. */
  secrets: SecretResolver | undefined;

  private constructor(
    private readonly nut: NutClient,
    readonly options: DesktopExecutorOptions,
    /** Root window size in device pixels. */
    readonly screen: { width: number; height: number },
  ) {
    this.clipboard = new ClipboardOwner(options.display);
    this.keysyms = new KeysymTyper(options.display);
  }

  static async open(options: DesktopExecutorOptions): Promise<DesktopExecutor> {
    const s = options.captureScale ?? 1;
    if (!(s > 0 && s <= 4)) throw new Error(`captureScale must be in (0, 4], got ${options.captureScale}`);
    const nut = await NutClient.start(options.display, options);
    return new DesktopExecutor(nut, options, nut.screen);
  }

  get display(): string {
    return this.options.display;
  }

  /** The captured area now, in device pixels, clipped to the screen. Throws WindowError when the window is gone. */
  area(): Region {
    const a = this.options.area;
    const r = !a ? { x: 0, y: 0, ...this.screen } : 'region' in a ? a.region : windowRegion(this.display, a.window);
    const x = Math.max(0, r.x);
    const y = Math.max(0, r.y);
    const width = Math.min(this.screen.width, r.x + r.width) - x;
    const height = Math.min(this.screen.height, r.y + r.height) - y;
    if (width < 1 || height < 1) throw new WindowError(`the capture area ${JSON.stringify(r)} lies outside the ${this.screen.width}x${this.screen.height} screen`);
    return { x, y, width, height };
  }

  async capture(options: CaptureOptions = {}): Promise<Frame> {
    const format = options.format ?? 'jpeg';
    const quality = Math.round(options.quality ?? DEFAULT_JPEG_QUALITY);
    if (!(quality >= 1 && quality <= 100)) throw new Error(`JPEG quality must be 1..100, got ${options.quality}`);
    const region = this.area();
    const c = this.options.captureScale ?? 1;
    const resize = c === 1 ? undefined : { width: Math.max(1, Math.round(region.width * c)), height: Math.max(1, Math.round(region.height * c)) };
    const shot = await this.nut.call('grab', { path: this.options.capturePath ?? 'nut', region, format, quality, resize });
    // Image pixels per device pixel: the grab's own density (1 on X11) times our resize.
    const scale = shot.width / region.width;
    return {
      image: Buffer.from(shot.image.buffer, shot.image.byteOffset, shot.image.byteLength),
      format,
      width: shot.width,
      height: shot.height,
      scale,
      origin: { x: region.x, y: region.y },
      capturedAt: Date.now(),
    };
  }

  async thumbnail(): Promise<Thumbnail> {
    const t = await this.nut.call('thumbnail', { region: this.area(), side: THUMBNAIL_SIDE });
    return { data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), width: t.width, height: t.height };
  }

  /** Frame pixels of a target → device pixels. */
  private device(frame: Frame, t: Target): { x: number; y: number } {
    const [x, y] = frameToUnits(frame, actingPoint(frame, t));
    return { x: Math.round(x), y: Math.round(y) };
  }

  async perform(action: Action, frame: Frame): Promise<PerformResult> {
    if (this.closed) throw new Error('the desktop executor is closed');
    assertInFrame(frame, action);
    const a = this.options.area;
    if (a && 'window' in a && !windowExists(this.display, a.window)) {
      throw new WindowError(`the window ${a.window} this run acts in was closed (or its app exited)`);
    }
    const n = this.nut;
    switch (action.action) {
      case 'click':
        await n.call('move', this.device(frame, action.target));
        await n.call('click', { button: action.button, count: action.count });
        break;
      case 'hover':
        await n.call('move', this.device(frame, action.target));
        break;
      case 'drag': {
        const from = this.device(frame, action.from);
        const to = this.device(frame, action.to);
        await n.call('move', from);
        await n.call('button', { button: 'left', down: true });
        for (let i = 1; i <= DRAG_STEPS; i++) {
          const f = i / DRAG_STEPS;
          await n.call('move', { x: from.x + (to.x - from.x) * f, y: from.y + (to.y - from.y) * f });
        }
        await n.call('button', { button: 'left', down: false });
        break;
      }
      case 'long_press':
        await n.call('move', this.device(frame, action.target));
        await n.call('button', { button: 'left', down: true });
        await new Promise((r) => setTimeout(r, action.ms));
        await n.call('button', { button: 'left', down: false });
        break;
      case 'swipe': {
        // No touch screen: the finger is the left button held down.
        const from = this.device(frame, action.from);
        const to = this.device(frame, action.to);
        await n.call('move', from);
        await n.call('button', { button: 'left', down: true });
        for (let i = 1; i <= DRAG_STEPS; i++) await n.call('move', { x: from.x + ((to.x - from.x) * i) / DRAG_STEPS, y: from.y + ((to.y - from.y) * i) / DRAG_STEPS });
        await n.call('button', { button: 'left', down: false });
        break;
      }
      case 'type':
        if (action.target) {
          await n.call('move', this.device(frame, action.target));
          await n.call('click', { button: 'left', count: 1 });
        }
        if (action.clear) await this.clearField();
        // Secrets are filled in here, at the last moment, and nowhere else: a desktop has no origin.
        await this.typeText(this.secrets && hasSecret(action.text) ? this.secrets.resolveForTyping(action.text, undefined) : action.text);
        if (action.submit) await n.call('chord', { keys: ['Return'] });
        break;
      case 'key':
        await n.call('chord', { keys: nutChord(action.keys) });
        break;
      case 'scroll': {
        const at = action.target ? this.device(frame, action.target) : this.device(frame, { point: [frame.width / 2, frame.height / 2] });
        await n.call('move', at);
        await n.call('scroll', { direction: action.direction, amount: action.amount });
        break;
      }
      case 'wait':
        await new Promise((r) => setTimeout(r, action.ms));
        break;
      case 'navigate':
      case 'back':
        throw new Error(`${action.action} needs a browser; on a desktop, click the app's own controls or press its keys`);
      case 'finish':
      case 'fail':
        break;
    }
    return {};
  }

  /**
   * Empties the focused text field whatever the toolkit: Ctrl+A selects all in GTK, Qt and
   * browsers, but in Tk and Emacs-style bindings it moves to the line start, which End,
   * Shift+Home then covers.
   */
  private async clearField(): Promise<void> {
    for (const keys of [['LeftControl', 'A'], ['Delete'], ['End'], ['LeftShift', 'Home'], ['Delete']]) {
      await this.nut.call('chord', { keys });
    }
  }

  /** Types by key what US keys can type; the rest by keysym (xdotool) or clipboard paste. */
  async typeText(text: string): Promise<void> {
    for (const part of text.split(/(\n|\t)/)) {
      if (part === '') continue;
      if (part === '\n' || part === '\t') {
        await this.nut.call('chord', { keys: [part === '\n' ? 'Return' : 'Tab'] });
        continue;
      }
      for (const run of part.match(/[\x20-\x7e]+|[^\x20-\x7e]+/g) ?? []) {
        if (keyboardTypeable(run)) await this.nut.call('taps', { chords: [...run].map((ch) => nutChord([ch])) });
        else if (this.options.unicodeInput === 'clipboard') {
          await this.clipboard.set(run);
          await this.nut.call('chord', { keys: ['LeftControl', 'V'] });
          await new Promise((r) => setTimeout(r, PASTE_SETTLE_MS));
        } else {
          // Through the driver's queue, so the keys nut.js sent before are in the server first.
          await this.nut.call('position', {});
          await this.keysyms.type(run, UNICODE_KEY_DELAY_MS);
        }
      }
    }
  }

  /** Where the pointer is, in device pixels. */
  async pointer(): Promise<{ x: number; y: number }> {
    return this.nut.call('position', {});
  }

  /** True until the driver has ended (closed, or the display went away). */
  get alive(): boolean {
    return this.nut.alive && !this.closed;
  }

  /** Secrets for typing: a desktop has no navigations to police. */
  async applyPolicy(policy: ExecutorPolicy): Promise<() => Promise<void>> {
    this.secrets = policy.secrets;
    return async () => {
      this.secrets = undefined;
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.clipboard.release();
    if (this.nut.alive) this.keysyms.release();
    await this.nut.close();
  }
}
