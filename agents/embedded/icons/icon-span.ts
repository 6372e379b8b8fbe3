import { normalizePhrase, type IconVocabulary } from './icon-words.ts';

/**
 * The words of a longer phrase that name an icon, and the rest, which says where it is:
 * "lock layer order summary" is the lock by "layer order summary", "thumbs up mayas onboarding
 * msg" the thumbs-up by Maya's message, "麦克风下拉框 刷新设备" the refresh icon by the
 * microphone's list. Only everyday names (the concepts) count, not the icon sets' tags: a tag
 * such as "order" or "layer" is a word of the place as often as of the icon.
 */
export interface IconSpan {
  icon: string;
  /** What is left once filler is dropped; empty when the phrase said only the icon and filler. */
  rest: string;
  /** Chinese: what the icon's act is on, said after it ("刷新设备": 设备), which the screen must show. */
  object?: string;
}

export function iconSpan(phrase: string, vocab: IconVocabulary): IconSpan | undefined {
  return /\p{Script=Han}/u.test(phrase) && !/[a-z]{2}/i.test(phrase) ? chineseSpan(phrase, vocab) : englishSpan(phrase, vocab);
}

/** The longest run of words that is an icon's everyday name, the first of equals: English names the act first ("thumbs up on …"). */
function englishSpan(phrase: string, vocab: IconVocabulary): IconSpan | undefined {
  // The words as written ("INV-1042", "Order summary"): the rest is looked for on screen as it is.
  const tokens = phrase.split(/\s+/).filter(Boolean);
  const words = tokens.map((t) => normalizePhrase(t));
  const kept = words.map((w, i) => (w ? i : -1)).filter((i) => i >= 0);
  if (kept.length < 2) return undefined;
  for (let len = Math.min(3, kept.length - 1); len >= 1; len--) {
    for (let k = 0; k + len <= kept.length; k++) {
      const at = kept.slice(k, k + len);
      const icon = at.map((i) => words[i]).join(' ');
      if ((len === 1 && VAGUE.has(icon)) || STOP.has(words[at[0]]) || STOP.has(words[at[len - 1]])) continue;
      if (!vocab.concepts.get(icon)?.length) continue;
      // "the Todo group header": the kind of place is no text to find; its name is.
      const rest = tokens.filter((_, i) => !at.includes(i) && words[i] && !STOP.has(words[i]) && !KIND.has(words[i])).join(' ');
      return { icon, rest };
    }
  }
  return undefined;
}

/** The icon's name that ends latest, the longest of those: Chinese puts the head last ("显示余额的小眼睛"). */
function chineseSpan(phrase: string, vocab: IconVocabulary): IconSpan | undefined {
  const text = phrase.replace(/\s+/g, ' ').trim();
  let best: { start: number; end: number } | undefined;
  for (let start = 0; start < text.length; start++) {
    for (let end = Math.min(text.length, start + 6); end >= start + 2; end--) {
      const span = text.slice(start, end);
      if (/\s/.test(span) || !vocab.concepts.get(span)?.length) continue;
      if (!best || end > best.end || (end === best.end && start < best.start)) best = { start, end };
    }
  }
  if (!best) return undefined;
  const tidy = (s: string) => s.replace(ZH_STOP, ' ').replace(/\s+/g, ' ').trim();
  return { icon: text.slice(best.start, best.end), rest: tidy(text.slice(0, best.start)), object: tidy(text.slice(best.end)) };
}

/** Words that say nothing of where ("in", "the", "please") or how the icon is drawn. */
const STOP = new Set(['at', 'in', 'on', 'of', 'for', 'to', 'from', 'by', 'with', 'the', 'a', 'an', 'this', 'that', 'its', 'it', 'my', 'our', 'your', 'their', 'end', 'right', 'left', 'top', 'bottom', 'upper', 'lower', 'corner', 'side', 'next', 'near', 'beside', 'please', 'pls', 'can', 'you', 'u', 'i', 'want', 'wanna', 'need', 'see', 'so', 'just', 'msg', 'post', 'thing', 'one', 'little', 'small', 'tiny', 'button', 'icon', 'btn']);

/** Kinds of places and things, said beside a name ("Todo group header", "Backyard camera tile"). */
const KIND = new Set(['header', 'group', 'section', 'row', 'card', 'panel', 'toolbar', 'bar', 'column', 'list', 'table', 'menu', 'tile', 'box', 'field', 'dialog', 'popover', 'window', 'area', 'pill', 'tab', 'chip', 'controls', 'control', 'layer']);

/** One word too common to be the icon meant inside a longer phrase ("time range", "page header"). */
const VAGUE = new Set(['time', 'header', 'view', 'page', 'file', 'list', 'item', 'text', 'data', 'account', 'message', 'image', 'link', 'window', 'panel', 'screen', 'app', 'home', 'new', 'add', 'create', 'open']);

const ZH_STOP = /的|在|中|里|最|上方|下方|旁边|右侧|左侧|左边|右边|前面|后面|那个|这个|那一?行|这一?行|一下|看看|看|查看|帮我|点一?下|点个|点击|按钮|图标|小|添加|新增|打开/g;
