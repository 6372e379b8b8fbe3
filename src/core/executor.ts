import type { Action } from './actions.ts';
import type { Frame, ImageFormat } from './frame.ts';
import type { SecretResolver } from './secrets.ts';
import type { DialogRecord } from './trace-schema.ts';

/** JPEG quality of captures when none is asked for. */
export const DEFAULT_JPEG_QUALITY = 80;

export interface CaptureOptions {
  format?: ImageFormat;
  /** JPEG quality 1..100. */
  quality?: number;
}

/**
 * A small RGB view of the screen (3 bytes a pixel, row after row) for settle and stuck checks.
 * Colour, not luma: a fade between two colours of about the same brightness (blue to red passes
 * through such pairs) changes a grey thumbnail by less than the noise threshold between two
 * captures a frame apart, and a screen still fading was taken for a settled one.
 */
export interface Thumbnail {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Which navigations a browser may make: the run's policy decides, the executor enforces. */
export interface NavigationRules {
  allowed(url: string): boolean;
  onBlocked(url: string): void;
  /** The allowed-origin pattern lists and the task's own origin, for a guard that runs inside the page. */
  patterns?: { lists: readonly (readonly string[])[]; self: string | undefined };
}

/** What a run's policy hands an executor to enforce while it acts. */
export interface ExecutorPolicy {
  /** Fills {{secret:NAME}} placeholders at the moment of typing. */
  secrets: SecretResolver;
  /** Browser only: navigations the policy allows. */
  navigation?: NavigationRules;
}

export interface PerformResult {
  /** True when the action started a navigation (load state should be awaited). */
  navigated?: boolean;
}

/** Something that can show a screen and act on it: a browser page, a desktop. */
export interface Executor {
  readonly kind: 'browser' | 'desktop';
  capture(options?: CaptureOptions): Promise<Frame>;
  /** Performs an action whose targets are in the pixels of `frame`. */
  perform(action: Action, frame: Frame): Promise<PerformResult>;
  /** A cheap downscaled RGB view for settle detection (see Thumbnail). */
  thumbnail(): Promise<Thumbnail>;
  /**
   * Resolves once the page has run a rendering frame after the call (browser: a
   * requestAnimationFrame round trip), so a capture that follows cannot show the same stale
   * frame as one before it while the page's main thread lags behind the compositor.
   */
  nextFrame?(): Promise<void>;
  /** Waits for pending navigation/network to quiet down, bounded by timeoutMs (browser only). */
  waitForIdle?(timeoutMs: number): Promise<void>;
  /** Evaluates a JavaScript expression in the current page (browser only). */
  evaluate?(expression: string): Promise<unknown>;
  /** URL of the active page (browser only). */
  currentUrl?(): string;
  /** Visible text of the active page from the DOM (browser only). */
  visibleText?(): Promise<string>;
  /** JavaScript dialogs the page opened (and how each was answered) since the last call (browser only). */
  takeDialogs?(): DialogRecord[];
  /** Enforces a run's policy from now on; resolves to a function that undoes it. */
  applyPolicy?(policy: ExecutorPolicy): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
