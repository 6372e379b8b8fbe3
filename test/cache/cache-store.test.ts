import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheStore, type CacheEntry } from '../../src/cache/cache-store.ts';
import { fingerprintDistance, imageDigest, screenFingerprint, SAME_SCREEN_BITS } from '../../src/cache/fingerprint.ts';

// The step cache on disk: entries found by a coarse screen fingerprint, damaged entries ignored
// with a warning, a folder that cannot be written said once, and concurrent writers that never
// leave a torn file.

const root = mkdtempSync(path.join(os.tmpdir(), 'handeye-cache-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function entry(id: string, fingerprint: string): CacheEntry {
  return {
    id,
    fingerprint,
    width: 1280,
    height: 720,
    actions: [{ action: { action: 'click', target: { box: [10, 10, 50, 30] }, button: 'left', count: 1 }, step: { click: 'Archive' }, patches: [{ file: `${id}-0-0.png`, box: [0, 0, 60, 40], point: [30, 20] }] }],
    stepComplete: true,
    modelMs: 1000,
    createdAt: new Date().toISOString(),
  };
}

const png = (shade: number) => sharp({ create: { width: 320, height: 180, channels: 3, background: { r: shade, g: shade, b: shade } } }).png().toBuffer();

async function screen(draw: (svg: string[]) => void): Promise<Buffer> {
  const parts: string[] = [];
  draw(parts);
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><rect width="640" height="360" fill="#fff"/>${parts.join('')}</svg>`)).png().toBuffer();
}

describe('screen fingerprint', () => {
  it('is the same for a caret blink and far apart for another layout', async () => {
    const page = (caret: boolean, shift = 0) =>
      screen((s) => {
        s.push(`<rect x="${40 + shift}" y="40" width="200" height="40" fill="#1a56c4"/><rect x="${40 + shift}" y="120" width="300" height="30" fill="none" stroke="#555"/>`);
        s.push(`<rect x="${300 - shift}" y="220" width="120" height="50" fill="#888"/>`);
        if (caret) s.push('<rect x="50" y="125" width="1" height="20" fill="#000"/>');
      });
    const a = await screenFingerprint({ image: await page(false) });
    const b = await screenFingerprint({ image: await page(true) });
    // Another screen: a dialog over the page.
    const c = await screenFingerprint({ image: await screen((s) => s.push('<rect x="40" y="40" width="200" height="40" fill="#1a56c4"/><rect width="640" height="360" fill="#000" opacity="0.5"/><rect x="170" y="90" width="300" height="180" fill="#fff"/><rect x="330" y="220" width="120" height="34" fill="#c33"/>')) });
    expect(fingerprintDistance(a, b)).toBeLessThanOrEqual(4);
    expect(fingerprintDistance(a, c)).toBeGreaterThan(SAME_SCREEN_BITS);
  });
});

describe('CacheStore', () => {
  it('finds the entry of the nearest screen, and replaces it when the same screen is written again', () => {
    const store = new CacheStore(path.join(root, 'basic'), 'read-write');
    const fp = '0'.repeat(100);
    expect(store.write('task-1', 's0-x-0', entry('a', fp), new Map())).toBe(true);
    expect(store.write('task-1', 's0-x-0', entry('b', 'f'.repeat(100)), new Map())).toBe(true);
    expect(store.lookup('task-1', 's0-x-0', '0'.repeat(99) + '1', { width: 1280, height: 720 })?.entry.id).toBe('a');
    expect(store.lookup('task-1', 's0-x-0', fp, { width: 800, height: 600 })).toBeUndefined();
    store.write('task-1', 's0-x-0', entry('c', fp), new Map());
    expect(store.entries('task-1', 's0-x-0').map((e) => e.id)).toEqual(['c', 'b']);
  });

  it('finds an entry by the recorded screen\'s bytes only for the same bytes and size; entries written before digests fall back to the fingerprint', async () => {
    const store = new CacheStore(path.join(root, 'exact'), 'read-write');
    const [a, b] = [{ image: await png(200) }, { image: await png(201) }];
    expect(imageDigest(a)).toBe(imageDigest({ image: Buffer.from(a.image) }));
    expect(imageDigest(a)).not.toBe(imageDigest(b));
    store.write('task-1', 's0-x-0', { ...entry('new', '0'.repeat(100)), imageDigest: imageDigest(a) }, new Map());
    store.write('task-1', 's1-x-0', entry('old', '0'.repeat(100)), new Map());
    expect(store.lookupExact('task-1', 's0-x-0', imageDigest(a), { width: 1280, height: 720 })).toMatchObject({ exact: true, distance: 0, entry: { id: 'new' } });
    expect(store.lookupExact('task-1', 's0-x-0', imageDigest(b), { width: 1280, height: 720 })).toBeUndefined();
    expect(store.lookupExact('task-1', 's0-x-0', imageDigest(a), { width: 800, height: 600 })).toBeUndefined();
    expect(store.lookupExact('task-1', 's1-x-0', imageDigest(a), { width: 1280, height: 720 })).toBeUndefined();
    expect(store.lookup('task-1', 's1-x-0', '0'.repeat(100), { width: 1280, height: 720 })?.entry.id).toBe('old');
  });

  it('ignores a damaged entry with a warning, and the next write replaces it', () => {
    const store = new CacheStore(path.join(root, 'damaged'), 'read-write');
    mkdirSync(path.join(store.dir, 'task-1'), { recursive: true });
    writeFileSync(path.join(store.dir, 'task-1', 's0-x-0.json'), '{"version": 1, "slot": "s0-x-0", "entries": [{"id": "a", "finger');
    expect(store.lookup('task-1', 's0-x-0', '0'.repeat(100), { width: 1280, height: 720 })).toBeUndefined();
    expect(store.warnings.join('\n')).toMatch(/the cache entry .*s0-x-0\.json is damaged .*ignored, the next write replaces it/);
    writeFileSync(path.join(store.dir, 'task-1', 's1-x-0.json'), JSON.stringify({ version: 1, slot: 's1-x-0', entries: [{ id: 'a' }] }));
    expect(store.entries('task-1', 's1-x-0')).toEqual([]);
    expect(store.warnings.join('\n')).toMatch(/s1-x-0\.json does not have the expected shape/);
    expect(store.write('task-1', 's0-x-0', entry('b', '0'.repeat(100)), new Map())).toBe(true);
    expect(store.entries('task-1', 's0-x-0').map((e) => e.id)).toEqual(['b']);
  });

  it('says once that a folder cannot be written, and then reads only', () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const store = new CacheStore(path.join(file, 'cache'), 'read-write');
    expect(store.writable).toBe(false);
    expect(store.warnings).toEqual([expect.stringMatching(/the cache folder .*a-file\/cache cannot be written \(ENOTDIR\): using the entries already there, writing none/)]);
    expect(store.write('t', 's', entry('a', '0'.repeat(100)), new Map())).toBe(false);
    expect(new CacheStore(path.join(file, 'cache'), 'write-only').warnings[0]).toMatch(/nothing will be cached/);
    expect(new CacheStore(path.join(root, 'ro'), 'read-only').writable).toBe(false);
  });

  it('drops an entry and its patches', async () => {
    const store = new CacheStore(path.join(root, 'remove'), 'read-write');
    store.write('t', 's0', entry('a', '0'.repeat(100)), new Map([['a-0-0.png', await png(40)]]));
    expect(readdirSync(store.patchDir('t', 's0'))).toEqual(['a-0-0.png']);
    store.remove('t', 's0', 'a');
    expect(store.entries('t', 's0')).toEqual([]);
    expect(readdirSync(store.patchDir('t', 's0'))).toEqual([]);
  });

  it('two processes writing the same slot at once never leave a torn file', async () => {
    const dir = path.join(root, 'race');
    const script = `
      import { CacheStore } from ${JSON.stringify(path.resolve('src/cache/cache-store.ts'))};
      const store = new CacheStore(${JSON.stringify(dir)}, 'read-write');
      const who = process.argv[1];
      for (let i = 0; i < 150; i++) {
        const fp = (i % 2 ? 'f' : '0').repeat(100);
        store.write('t', 's0', { id: who + i, fingerprint: fp, width: 10, height: 10, actions: [], stepComplete: true, modelMs: 1, createdAt: 'x'.repeat(2000 + i) }, new Map());
      }
      if (store.warnings.length) { console.error(store.warnings.join('\\n')); process.exit(1); }`;
    const run = (who: string) =>
      new Promise<number>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, who], { stdio: 'inherit' });
        p.on('exit', (code) => resolve(code ?? 1));
      });
    const reads: Promise<void> = (async () => {
      const store = new CacheStore(dir, 'read-only');
      for (let i = 0; i < 200; i++) {
        store.entries('t', 's0');
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(store.warnings).toEqual([]);
    })();
    expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);
    await reads;
    const final = JSON.parse(readFileSync(path.join(dir, 't', 's0.json'), 'utf8'));
    expect(final.entries.length).toBeGreaterThan(0);
    expect(readdirSync(path.join(dir, 't')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
