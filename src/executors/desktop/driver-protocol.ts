/**
 * Messages between the desktop executor and its nut.js driver process. nut.js runs in a child
 * process of its own: its native code segfaults without a display and Xlib exits the process when
 * the display goes away, and neither must take the run (or the test runner) down with it.
 */

export type MouseButton = 'left' | 'right' | 'middle';
export type ScrollDirection = 'up' | 'down' | 'left' | 'right';
export type CaptureFormat = 'jpeg' | 'png' | 'raw';
/** nut.js's screen.grab (XGetImage in-process), or screenshot-desktop (ImageMagick `import`, a process per shot). */
export type CapturePath = 'nut' | 'screenshot-desktop';

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DriverRequests {
  init: { req: { mouseDelayMs: number; keyDelayMs: number }; res: { width: number; height: number } };
  /** Grabs (a region of) the screen, fixes nut's BGRA-with-zero-alpha, resizes, encodes. */
  grab: {
    req: { path: CapturePath; region?: Region; format: CaptureFormat; quality: number; resize?: { width: number; height: number } };
    res: { image: Uint8Array; width: number; height: number; grabWidth: number; grabHeight: number };
  };
  /** A downscaled grayscale view of a region, for settle detection. */
  thumbnail: { req: { region?: Region; side: number }; res: { data: Uint8Array; width: number; height: number } };
  move: { req: { x: number; y: number }; res: null };
  click: { req: { button: MouseButton; count: 1 | 2 }; res: null };
  button: { req: { button: MouseButton; down: boolean }; res: null };
  scroll: { req: { direction: ScrollDirection; amount: number }; res: null };
  /** Presses the keys in order and releases them in reverse: a chord. Names are nut.js Key names. */
  chord: { req: { keys: string[] }; res: null };
  /** Taps chords one after another (typing by key, one chord per character). */
  taps: { req: { chords: string[][] }; res: null };
  position: { req: Record<string, never>; res: { x: number; y: number } };
}

export type DriverOp = keyof DriverRequests;

export interface DriverRequest<K extends DriverOp = DriverOp> {
  id: number;
  op: K;
  args: DriverRequests[K]['req'];
}

export type DriverResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
