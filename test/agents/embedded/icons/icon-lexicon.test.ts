// The lexicon cache (built once, atomic, self-checking, rebuilt with a warning when damaged) and the icon vocabulary.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allIcons } from '../../../../agents/embedded/icons/icon-sources.ts';
import { DAMAGED_WARNING, loadIconLexicon } from '../../../../agents/embedded/icons/icon-lexicon.ts';
import { iconTargets } from '../../../../agents/embedded/icons/icon-words.ts';
import { matchIcon } from '../../../../agents/embedded/icons/match-icon.ts';

const dir = mkdtempSync(join(tmpdir(), 'handeye-icons-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A small lexicon: every icon of a few everyday concepts, both sets (builds in about a second).
const SOME = allIcons().filter((i) => /^(settings|cog|gear(-fill)?|trash(-2)?|trash3(-fill)?|bell(-fill)?|search|x|plus|rotate-ccw|arrow-counterclockwise|ellipsis-vertical|three-dots-vertical|paperclip|file|folder|folder-plus|skip-forward|maximize|paint-bucket|baseline|locate|zoom-in|mic|arrow-up-to-line|eyedropper|bold|panel-left-close|headphones|clock|scissors|refresh-cw|chart-column|download|forward|circle-arrow-down|camera|skip-forward|eye|eye-off|paint-bucket|volume-2|volume-x|mic-off)$/.test(i.name));

describe('icon lexicon cache', () => {
  it('is built once, then read back identical', async () => {
    const built = await loadIconLexicon({ cacheDir: dir, icons: SOME });
    expect(built.source.cached).toBe(false);
    expect(built.source.bytes).toBeGreaterThan(1000);
    const again = await loadIconLexicon({ cacheDir: dir, icons: SOME });
    expect(again.source.cached).toBe(true);
    expect(again.icons).toEqual(built.icons);
    expect(again.rows).toBe(built.rows);
    // 8-bit storage: within a hundredth after centring.
    for (let i = 0; i < built.table.length; i += 97) expect(Math.abs(again.table[i] - built.table[i])).toBeLessThan(0.02);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 100)],
    ['bit-flipped', (b: Buffer) => (b[b.length - 50] ^= 0xff, b)],
    ['garbage', () => Buffer.from('not a lexicon at all')],
  ])('a %s entry is reported and rebuilt', async (_, damage) => {
    await loadIconLexicon({ cacheDir: dir, icons: SOME });
    const file = join(dir, readdirSync(dir).find((f) => f.startsWith('icon-lexicon.'))!);
    writeFileSync(file, damage(Buffer.from(readFileSync(file))));
    const warnings: string[] = [];
    const emitted: string[] = [];
    const listener = (w: Error & { code?: string }): void => void emitted.push(w.code ?? '');
    process.on('warning', listener);
    const lex = await loadIconLexicon({ cacheDir: dir, icons: SOME, onWarning: (m) => warnings.push(m) });
    await new Promise((r) => setImmediate(r));
    process.off('warning', listener);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/icon lexicon cache .* is damaged \(.+\); rebuilding it/);
    expect(emitted).toContain(DAMAGED_WARNING);
    expect(lex.source.cached).toBe(false);
    expect((await loadIconLexicon({ cacheDir: dir, icons: SOME })).source.cached).toBe(true);
  });
});

describe('icon words', () => {
  it('maps everyday words and set names to icons', async () => {
    const lex = await loadIconLexicon({ cacheDir: dir, icons: SOME });
    const names = (q: string): string[] => iconTargets(q, lex.vocabulary).icons.map((i) => lex.icons[i].name).sort();
    expect(names('gear')).toEqual(expect.arrayContaining(['settings', 'cog', 'gear', 'gear-fill']));
    expect(names('the settings icon')).toEqual(names('gear'));
    expect(names('trash')).toEqual(expect.arrayContaining(['trash', 'trash3-fill']));
    expect(names('the kebab menu')).toEqual(['ellipsis-vertical', 'three-dots-vertical']);
    expect(names('undo')).toEqual(['arrow-counterclockwise', 'rotate-ccw']);
    expect(names('arrow-counterclockwise')).toEqual(['arrow-counterclockwise']);
    expect(names('magnifier')).toEqual(['search', 'search']); // one per set
    // Chinese names mean what their English names mean; a longer phrase is not the icon.
    expect(names('设置')).toEqual(names('gear'));
    expect(names('垃圾桶')).toEqual(names('trash'));
    expect(names('安全设置')).toEqual([]);
    // A glyph typed for an icon the page draws.
    expect(names('the ⋮ menu')).toEqual(names('the kebab menu'));
    expect(names('⚙')).toEqual(names('gear'));
    expect(names('three vertical dots')).toEqual(names('the kebab menu'));
  });

  it('reads a phrase by the concept words in it', async () => {
    const lex = await loadIconLexicon({ cacheDir: dir, icons: SOME });
    const names = (q: string): string[] => iconTargets(q, lex.vocabulary).icons.map((i) => lex.icons[i].name).sort();
    // Both words are the bell; the act names the icon ("attach file" is the paperclip, not the file).
    expect(names('notification bell')).toEqual(names('bell'));
    expect(names('attach file')).toEqual(['paperclip', 'paperclip']); // one per set
    expect(names('file')).toContain('file');
    // A generic act before a noun the lexicon does not know names nothing.
    expect(names('add to wishlist')).toEqual([]);
    // A name before the head noun says which folder, and a shape cannot: no icon. A common noun can.
    expect(names('Music folder')).toEqual([]);
    expect(names('Q3 report file')).toEqual([]);
    expect(names('workspace folder')).toEqual(names('folder'));
    // "new folder", "add folder": the sets draw it with a plus.
    expect(names('new folder').length).toBeGreaterThan(0);
    expect(new Set(names('new folder'))).toEqual(new Set(['folder-plus']));
    expect(names('add folder')).toEqual(names('new folder'));
    // A media player's skip, named whole; 全屏, 小眼睛 as their English names.
    expect(new Set(names('next track'))).toEqual(new Set(['skip-forward']));
    expect(names('全屏')).toEqual(['maximize']);
  });

  it('tells a toolbar\'s fill colour from its text colour, and knows a map\'s and a portal\'s icons in both languages', async () => {
    const lex = await loadIconLexicon({ cacheDir: dir, icons: SOME });
    // One name per drawing, whichever sets draw it.
    const names = (q: string): string[] => [...new Set(iconTargets(q, lex.vocabulary).icons.map((i) => lex.icons[i].name))].sort();
    expect(names('fill color')).toEqual(['paint-bucket']);
    expect(names('text color')).toEqual(['baseline']);
    expect(names('定位')).toEqual(names('my location'));
    expect(names('my location')).toEqual(['locate']);
    expect(names('放大')).toEqual(['plus', 'zoom-in']);
    expect(names('返回顶部')).toEqual(['arrow-up-to-line']);
    expect(names('语音搜索')).toEqual(['mic']);
  });

  it('reads a tool as its icon, and a document editor\'s and a chat app\'s buttons by their Chinese and English names', async () => {
    const lex = await loadIconLexicon({ cacheDir: dir, icons: SOME });
    const names = (q: string): string[] => [...new Set(iconTargets(q, lex.vocabulary).icons.map((i) => lex.icons[i].name))].sort();
    expect(names('eyedropper tool')).toEqual(names('eyedropper'));
    expect(names('eyedropper')).toContain('eyedropper');
    expect(names('加粗')).toEqual(names('bold'));
    expect(names('收起')).toContain('panel-left-close');
    expect(names('huddle')).toEqual(['headphones']);
    expect(names('历史版本')).toEqual(names('history'));
    expect(names('history')).toContain('clock');
  });

  it("reads Chinese diminutives, measure words and an act before its object, a player's seek, and reports", async () => {
    const lex = await loadIconLexicon({ cacheDir: dir, icons: SOME });
    const names = (q: string): string[] => [...new Set(iconTargets(q, lex.vocabulary).icons.map((i) => lex.icons[i].name))].sort();
    expect(names('小铃铛')).toEqual(names('铃铛'));
    expect(names('铃铛')).toContain('bell');
    expect(names('截个图')).toEqual(['scissors']);
    const refresh = iconTargets('刷新成员列表', lex.vocabulary);
    expect(refresh.phrase).toBe('刷新');
    expect(names('刷新成员列表')).toEqual(['refresh-cw']);
    // Only an act names an icon before its object: 成员列表 alone is no icon.
    expect(names('成员列表')).toEqual([]);
    expect(names('back 15 seconds')).toEqual(expect.arrayContaining(['rotate-ccw', 'arrow-counterclockwise']));
    expect(names('reports')).toEqual(['chart-column']);
    expect(names('导出')).toEqual(['download']);
    // Chinese apps draw 分享 as the curved forward arrow; an arrow in a circle is no download (it scrolls down).
    expect(names('分享')).toEqual(['forward']);
    expect(names('download')).toEqual(['download']);
    // A second act before the object (拍照搜索 is the camera); a player's and an editor's buttons; 隐藏金额 is the eye.
    expect(names('拍照搜索')).toEqual(['camera']);
    expect(names('下一首')).toEqual(['skip-forward']);
    expect(names('填充颜色')).toEqual(['paint-bucket']);
    expect(names('隐藏金额')).toEqual(['eye', 'eye-off']);
    // 筛选 names the act of filtering what follows, not the funnel.
    expect(names('筛选支出')).toEqual([]);
    // Known words run together name the icons they share; a mute button shows what it mutes.
    expect(names('消息通知铃铛')).toEqual(names('铃铛'));
    expect(names('扬声器静音')).toEqual(['volume-2', 'volume-x']);
    expect(names('麦克风静音')).toEqual(['mic', 'mic-off']);
    expect(names('成员铃铛')).toEqual([]);
  });

  it('names the closest known icons for a name it lacks', async () => {
    const lex = await loadIconLexicon({ cacheDir: dir, icons: SOME });
    const r = matchIcon('settngs gaer', [], lex);
    expect(r.match).toBeUndefined();
    expect(r.reason).toBe('unknown-icon');
    expect(r.message).toMatch(/^no icon called "settngs gaer" in the icon lexicon; closest: /);
    const r2 = matchIcon('sttings', [], lex);
    expect(r2.closest?.[0]).toBe('settings');
    expect(matchIcon('bell', [], lex).reason).toBe('not-found');
  });
});
