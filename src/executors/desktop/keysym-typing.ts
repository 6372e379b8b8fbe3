import { spawnSync } from 'node:child_process';

/**
 * Types characters no key of the layout has (Chinese, accents, emoji). `xdotool type` remaps one
 * spare keycode per character and reverts it right after, so a slow app that reads the keymap
 * late sees the wrong character or none (the last one is typically lost). Here every distinct
 * character gets a spare keycode of its own that stays mapped until release(): by then the app has
 * long processed the keys.
 */
/** How long a new keycode mapping is given to reach the app before its key is sent. */
const KEYMAP_SETTLE_MS = 60;

export class KeysymTyper {
  private spare: number[] | undefined;
  private readonly mapped = new Map<string, number>();
  /** Keycodes in the order they were last used, for reuse when the spares run out. */
  private readonly lru: string[] = [];

  constructor(private readonly display: string) {}

  private run(cmd: string, args: string[]): string {
    const r = spawnSync(cmd, args, { env: { ...process.env, DISPLAY: this.display }, encoding: 'utf8', timeout: 15_000 });
    if (r.error) {
      const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(missing ? `${cmd} is not installed; run "npm run setup"` : `${cmd} failed: ${r.error.message}`);
    }
    if (r.status !== 0) throw new Error(`${cmd} ${args[0]} failed: ${r.stderr.trim().split('\n')[0]}`);
    return r.stdout;
  }

  /** Keycodes the server's map leaves empty. */
  private spares(): number[] {
    this.spare ??= this.run('xmodmap', ['-pke'])
      .split('\n')
      .map((l) => /^keycode\s+(\d+)\s*=\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    if (!this.spare.length) throw new Error(`display ${this.display} has no spare keycode to map characters onto`);
    return this.spare;
  }

  async type(text: string, delayMs = 12): Promise<void> {
    const chars = [...text];
    const capacity = this.spares().length;
    for (let i = 0; i < chars.length; ) {
      // The longest stretch whose distinct characters fit the spare keycodes at once.
      const distinct = new Set<string>();
      let j = i;
      while (j < chars.length && (distinct.has(chars[j]) || distinct.size < capacity)) distinct.add(chars[j++]);
      const changed = this.map([...distinct]);
      // After a keymap change the app must read the new map (MappingNotify) before the key
      // arrives, or the key types nothing; a loaded machine takes tens of milliseconds. A reused
      // keycode may also still have an unread key event of its old character pending.
      if (changed === 'evicted') await new Promise((r) => setTimeout(r, 100));
      else if (changed === 'mapped') await new Promise((r) => setTimeout(r, KEYMAP_SETTLE_MS));
      const names = chars.slice(i, j).map(keysymName);
      this.run('xdotool', ['key', '--delay', String(delayMs), ...names]);
      i = j;
    }
  }

  /** Maps the characters not mapped yet: 'evicted' when it had to take keycodes from others, 'mapped' when it added some. */
  private map(chars: string[]): 'evicted' | 'mapped' | 'unchanged' {
    const spares = this.spares();
    const edits: string[] = [];
    let evicted = false;
    for (const ch of chars) {
      if (this.mapped.has(ch)) {
        this.lru.splice(this.lru.indexOf(ch), 1);
        this.lru.push(ch);
        continue;
      }
      let code = spares.find((c) => ![...this.mapped.values()].includes(c));
      if (code === undefined) {
        const victim = this.lru.find((c) => !chars.includes(c))!;
        code = this.mapped.get(victim)!;
        this.mapped.delete(victim);
        this.lru.splice(this.lru.indexOf(victim), 1);
        evicted = true;
      }
      this.mapped.set(ch, code);
      this.lru.push(ch);
      const name = keysymName(ch);
      edits.push('-e', `keycode ${code} = ${name} ${name}`);
    }
    if (edits.length) this.run('xmodmap', edits);
    return evicted ? 'evicted' : edits.length ? 'mapped' : 'unchanged';
  }

  /** Gives the keycodes back (empty again). */
  release(): void {
    if (!this.mapped.size) return;
    const edits = [...this.mapped.values()].flatMap((c) => ['-e', `keycode ${c} =`]);
    this.mapped.clear();
    this.lru.length = 0;
    try {
      this.run('xmodmap', edits);
    } catch {
      // the display is gone: nothing to give back
    }
  }
}

/** X keysym name of a character: U+4F60 → "U4F60". */
export function keysymName(ch: string): string {
  return `U${ch.codePointAt(0)!.toString(16).toUpperCase()}`;
}
