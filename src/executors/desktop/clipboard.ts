import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/**
 * Owns the X clipboard of one display for pasting text no key can type. X has no clipboard store:
 * the owner process serves each paste, so one xclip stays up (in the foreground, as our child)
 * until the next text replaces it or the executor closes.
 */
export class ClipboardOwner {
  private owner: ChildProcess | undefined;

  constructor(private readonly display: string) {}

  async set(text: string, timeoutMs = 3000): Promise<void> {
    await this.release();
    const env = { ...process.env, DISPLAY: this.display };
    const child = spawn('xclip', ['-quiet', '-selection', 'clipboard', '-i'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
    this.owner = child;
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (e: NodeJS.ErrnoException) =>
        reject(new Error(e.code === 'ENOENT' ? 'xclip is not installed (Debian package xclip); run "npm run setup"' : `xclip failed: ${e.message}`)),
      );
    });
    failed.catch(() => {});
    child.stdin!.end(text);
    // Ready once the selection reads back as our text.
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await Promise.race([new Promise((r) => setTimeout(r, 20)), failed]);
      const r = spawnSync('xclip', ['-o', '-selection', 'clipboard'], { env, encoding: 'utf8', timeout: 1000 });
      if (r.status === 0 && r.stdout === text) return;
    }
    await this.release();
    throw new Error(`the clipboard of ${this.display} did not take the text within ${timeoutMs} ms`);
  }

  async release(): Promise<void> {
    const child = this.owner;
    this.owner = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('close', r));
    child.kill('SIGTERM');
    await exited;
  }
}
