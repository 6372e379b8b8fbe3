import { describe, expect, it } from 'vitest';
import { substringCost, wrappedMatch } from '../../../../agents/embedded/ground/wrapped-text.ts';
import { locate } from '../../../../agents/embedded/ground/locate.ts';
import { buildOcr } from './ocr-builder.ts';

/** The slow obvious reading: the edit distance from `a` to every run of `b`, the least of them. */
function slowCost(a: string, b: string): number {
  const dist = (x: string, y: string): number => {
    const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= x.length; i++) for (let j = 1; j <= y.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    return d[x.length][y.length];
  };
  let best = a.length;
  for (let i = 0; i <= b.length; i++) for (let j = i; j <= b.length; j++) best = Math.min(best, dist(a, b.slice(i, j)));
  return best;
}

describe('substringCost', () => {
  it('equals the least edit distance to any run of the text, as the slow reading finds', () => {
    const cases: Array<[string, string]> = [
      ['kitten', 'the sitting cat'],
      ['abc', 'xxabcxx'],
      ['abc', ''],
      ['', 'abc'],
      ['雷蛇razer黑寡妇', '自营雷蛇razcr黑寡妇蜘蛛'],
      ['mentions', 'menti0ns and reactions'],
    ];
    let seed = 7;
    const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let k = 0; k < 40; k++) {
      const word = (n: number) => Array.from({ length: n }, () => 'abc'[Math.floor(rnd() * 3)]).join('');
      cases.push([word(1 + Math.floor(rnd() * 6)), word(Math.floor(rnd() * 10))]);
    }
    for (const [a, b] of cases) expect(substringCost(Array.from(a), Array.from(b)), `${a} in ${b}`).toBe(slowCost(a, b));
  });
});

describe('a long name wrapped over lines', () => {
  const card = (x: number, title: [string, string]) => [
    { text: '￥699.00', x, y: 100, h: 14 },
    { text: title[0], x, y: 124, h: 14 },
    { text: title[1], x: x + 1, y: 144, h: 12 },
    { text: '1万+条评价', x, y: 167, h: 12 },
  ];
  const ocr = buildOcr([
    ...card(20, ['自营罗技（G）G610机械游戏键盘有线Cherry红', '轴104键白色背光电竞办公键盘']),
    ...card(600, ['自营雷蛇（Razer） 黑寡妇蜘蛛V3机械键盘绿轴', 'RGB幻彩背光电竞游戏键盘']),
  ]);

  it("is found across its lines, a badge before it allowed, the price above left out; the click lands on its first line", () => {
    const m = wrappedMatch(ocr, '雷蛇（Razer）黑寡妇蜘蛛V3 机械键盘 绿轴 RGB幻彩背光 电竞游戏键盘');
    expect(m).toBeDefined();
    expect(m!.box[1]).toBe(124);
    expect(m!.box[0]).toBe(600);
    const r = locate(ocr, '"雷蛇（Razer）黑寡妇蜘蛛V3 机械键盘 绿轴 RGB幻彩背光 电竞游戏键盘"');
    expect(r.match?.point[1]).toBeGreaterThan(124);
    expect(r.match?.point[1]).toBeLessThan(138);
    expect(r.match?.point[0]).toBeGreaterThan(600);
  });

  it('is no answer when no stack holds it, or two do equally (the same card twice), or it is short enough for one line', () => {
    expect(wrappedMatch(ocr, '雷蛇（Razer）黑寡妇蜘蛛V4 无线键盘 红轴 单色背光 办公键盘')).toBeUndefined();
    const twice = buildOcr([...card(20, ['自营雷蛇（Razer） 黑寡妇蜘蛛V3机械键盘绿轴', 'RGB幻彩背光电竞游戏键盘']), ...card(600, ['自营雷蛇（Razer） 黑寡妇蜘蛛V3机械键盘绿轴', 'RGB幻彩背光电竞游戏键盘'])]);
    expect(wrappedMatch(twice, '雷蛇（Razer）黑寡妇蜘蛛V3 机械键盘 绿轴 RGB幻彩背光 电竞游戏键盘')).toBeUndefined();
    expect(wrappedMatch(ocr, '雷蛇黑寡妇')).toBeUndefined();
  });
});
