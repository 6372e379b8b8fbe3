import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DisplayError, displaySocketExists, probeDisplay } from './display.ts';
import type { DriverOp, DriverRequest, DriverRequests, DriverResponse } from './driver-protocol.ts';

/** Run from the TypeScript sources (a clone) the driver needs tsx; from a build (the npm package) it is plain JavaScript. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const DRIVER = fileURLToPath(new URL(FROM_SOURCE ? './nut-driver.ts' : './nut-driver.js', import.meta.url));
const driverExecArgv = (): string[] => (FROM_SOURCE ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : []);

export interface NutClientOptions {
  /** Pause nut.js inserts after each mouse action; nut's default is 100 ms. */
  mouseDelayMs?: number;
  /** Pause between typed keys; nut's default is 300 ms. */
  keyDelayMs?: number;
  /** Bound on one driver request (a stuck X server must not hang the run). */
  callTimeoutMs?: number;
  startTimeoutMs?: number;
}

/**
 * The parent side of the nut.js driver process (see driver-protocol.ts for why it is a process).
 * Requests run one at a time, in order. If the driver dies (the display went away, a native
 * crash), every pending and later request fails with a DisplayError that says so.
 */
export class NutClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private queue: Promise<unknown> = Promise.resolve();
  private ended: Error | undefined;
  private stderr = '';
  private readonly exited: Promise<void>;
  /** Root window size in device pixels, as the driver saw it at start. */
  screen = { width: 0, height: 0 };

  private constructor(
    readonly display: string,
    private readonly child: ChildProcess,
    private readonly callTimeoutMs: number,
  ) {
    child.stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    child.on('message', (m: DriverResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.ended ??= this.deathError(code, signal);
        for (const p of this.pending.values()) p.reject(this.ended);
        this.pending.clear();
        resolve();
      }),
    );
  }

  /** Checks the display, then starts the driver on it. */
  static async start(display: string, options: NutClientOptions = {}): Promise<NutClient> {
    probeDisplay(display);
    const child = fork(DRIVER, [], {
      execArgv: driverExecArgv(),
      env: { ...process.env, DISPLAY: display },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const client = new NutClient(display, child, options.callTimeoutMs ?? 30_000);
    try {
      client.screen = await client.call('init', { mouseDelayMs: options.mouseDelayMs ?? 0, keyDelayMs: options.keyDelayMs ?? 0 }, options.startTimeoutMs ?? 30_000);
    } catch (e) {
      await client.close();
      throw e;
    }
    return client;
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  private deathError(code: number | null, signal: NodeJS.Signals | null): Error {
    const why = this.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ');
    if (!displaySocketExists(this.display)) return new DisplayError(`X display ${this.display} went away during the run${why ? ` (${why})` : ''}`);
    return new DisplayError(`the nut.js driver for display ${this.display} ended (${signal ?? `exit ${code}`})${why ? `: ${why}` : ''}`);
  }

  call<K extends DriverOp>(op: K, args: DriverRequests[K]['req'], timeoutMs = this.callTimeoutMs): Promise<DriverRequests[K]['res']> {
    const run = () => this.send(op, args, timeoutMs);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => {});
    return p as Promise<DriverRequests[K]['res']>;
  }

  private send<K extends DriverOp>(op: K, args: DriverRequests[K]['req'], timeoutMs: number): Promise<unknown> {
    if (this.ended) return Promise.reject(this.ended);
    // Checked before each request: Xlib would end the driver on a vanished display anyway, but
    // this way the message names the cause directly.
    if (!displaySocketExists(this.display)) {
      this.ended = new DisplayError(`X display ${this.display} went away during the run`);
      this.child.kill('SIGKILL');
      return Promise.reject(this.ended);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DisplayError(`desktop ${op} took longer than ${timeoutMs} ms on display ${this.display}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send({ id, op, args } satisfies DriverRequest<K>);
    });
  }

  /** Ends the driver (it holds an X connection: end it before stopping the display). */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.ended ??= new DisplayError('the desktop executor is closed');
      this.child.kill('SIGTERM');
      const hard = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      await this.exited;
      clearTimeout(hard);
    }
  }
}
