import type { IconVocabulary } from './icon-words.ts';

/** At most this many known words in one compound ("消息通知铃铛": two). */
const MAX_PARTS = 3;

/**
 * A Chinese icon name written as known words run together: "消息通知铃铛" (notifications + bell),
 * "扬声器静音" (speaker + mute). The phrase must be covered whole by known concept words, longest
 * first from the left, and the icons all of them name are the ones meant; words that name no
 * icon in common name no icon.
 */
export function zhCompoundIcons(phrase: string, vocab: IconVocabulary): { icons: number[]; phrase: string } | undefined {
  if (!/^\p{Script=Han}{3,12}$/u.test(phrase)) return undefined;
  const parts: number[][] = [];
  let at = 0;
  while (at < phrase.length && parts.length < MAX_PARTS) {
    let len = phrase.length - at;
    while (len >= 2 && !vocab.concepts.get(phrase.slice(at, at + len))?.length) len--;
    if (len < 2) return undefined;
    parts.push(vocab.concepts.get(phrase.slice(at, at + len))!);
    at += len;
  }
  if (at < phrase.length || parts.length < 2) return undefined;
  const common = parts[0].filter((i) => parts.every((p) => p.includes(i)));
  return common.length ? { icons: common, phrase } : undefined;
}
