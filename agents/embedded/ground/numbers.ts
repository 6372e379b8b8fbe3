/** Ordinal words and Chinese numerals, as descriptions count things ("the second", "第三个"). */

export const ENGLISH_ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  last: -1,
};

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

export function chineseNumber(s: string): number {
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + (CHINESE_DIGITS[s[1]] ?? 0);
  if (s.length === 2 && s[1] === '十') return (CHINESE_DIGITS[s[0]] ?? 1) * 10;
  if (s.length === 3 && s[1] === '十') return (CHINESE_DIGITS[s[0]] ?? 1) * 10 + (CHINESE_DIGITS[s[2]] ?? 0);
  return CHINESE_DIGITS[s] ?? 1;
}
