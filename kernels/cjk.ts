/**
 * CJK text, the one definition the OCR layout and the text matcher share.
 *
 * A CJK letter (Han, Hiragana, Katakana, Hangul) is a word of its own: scripts written without
 * spaces. A wide glyph is set like one, with no space around it: CJK letters, CJK symbols and
 * punctuation (U+3000–303F), enclosed letters and compatibility units (U+3200–33FF: ㈠, ㎡) and
 * fullwidth forms (U+FF00–FFEF: ，！（Ａ）).
 */
const CJK_LETTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_WIDE_MARK = /[\u3000-\u303f\u3200-\u33ff\uff00-\uffef]/;

export function isCjkLetter(ch: string): boolean {
  return CJK_LETTER.test(ch);
}

export function isWideGlyph(ch: string): boolean {
  return CJK_LETTER.test(ch) || CJK_WIDE_MARK.test(ch);
}
