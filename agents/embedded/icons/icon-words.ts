/**
 * Words for icons: which lexicon icons a phrase like "the kebab menu", "gear icon" or "undo"
 * means, and, for a phrase that names none, the closest names the lexicon knows.
 *
 * A phrase resolves, in order, through: the concepts below (everyday words for the icons
 * people click, each listing the sets' names for it), an icon's own name or old name
 * ("arrow-counterclockwise", "rotate-ccw"), and the sets' tags. Tags are broad (Lucide tags
 * "sliders" with "settings"), so they are used only when nothing more specific matched.
 */
import { ZH_WORDS } from './zh-icon-words.ts';
import type { LexiconIcon } from './lexicon-format.ts';
import { zhCompoundIcons } from './zh-compound.ts';

/** The seek steps players label their rewind and fast-forward buttons with. */
const SEEK_SECONDS = [5, 10, 15, 30];

/** concept words → the icon names (either set) that draw it. Name variants (-fill, -2, -lg) are added by the vocabulary. */
const CONCEPTS: Array<[string[], string[]]> = [
  [['gear', 'settings', 'cog', 'cogwheel', 'preferences', 'options gear'], ['settings', 'cog', 'gear', 'gear-wide', 'gear-wide-connected']],
  [['trash', 'delete', 'bin', 'garbage', 'trash can', 'wastebasket', 'remove'], ['trash', 'trash-2', 'trash2', 'trash3']],
  [['bell', 'notification', 'notifications', 'alerts', 'alarm bell'], ['bell', 'bell-ring', 'bell-dot']],
  [['kebab', 'kebab menu', 'more vertical', 'vertical dots', 'three dots vertical', 'three vertical dots', 'vertical ellipsis', 'overflow menu', 'more options'], ['ellipsis-vertical', 'three-dots-vertical']],
  [['meatball', 'meatballs menu', 'more', 'ellipsis', 'three dots', 'more horizontal', 'horizontal dots', 'dots', 'three dot menu', 'three dots menu', 'three dot', 'dot menu', 'dots menu', 'more menu'], ['ellipsis', 'three-dots']],
  [['hamburger', 'hamburger menu', 'menu', 'navigation menu', 'bars'], ['menu', 'list', 'text-align-justify']],
  [['magnifier', 'search', 'magnifying glass', 'lookup'], ['search']],
  // SAP's and Office's Find is binoculars; elsewhere a magnifier.
  [['find'], ['search', 'binoculars']],
  [['pencil', 'edit', 'pen', 'rename'], ['pencil', 'pen', 'pen-line', 'pencil-line', 'square-pen', 'pencil-square']],
  [['paperclip', 'attach', 'attachment', 'clip'], ['paperclip']],
  [['heart', 'like', 'love', 'favorite', 'favourite', 'favorites', 'favourites', 'wishlist', 'wish list', 'add to wishlist', 'save to wishlist', 'add to favorites', 'add to favourites'], ['heart']],
  [['retweet', 'repost', 'reshare'], ['repeat-2', 'repeat', 'arrow-repeat']],
  [['reply'], ['reply', 'reply-fill', 'corner-up-left', 'message-circle']],
  [['star', 'rating', 'starred', 'unstar'], ['star']],
  [['share'], ['share', 'share-2']],
  [['plus', 'add', 'new', 'create', 'add new'], ['plus', 'circle-plus', 'plus-circle', 'square-plus', 'plus-square']],
  [['minus', 'subtract', 'less'], ['minus', 'dash', 'dash-lg']],
  [['download', 'save to disk'], ['download', 'arrow-down-to-line', 'arrow-bar-down', 'box-arrow-in-down']],
  [['upload'], ['upload', 'arrow-up-from-line', 'arrow-bar-up', 'box-arrow-up']],
  [['undo', 'revert'], ['undo', 'undo-2', 'rotate-ccw', 'arrow-counterclockwise', 'arrow-90deg-left']],
  [['redo'], ['redo', 'redo-2', 'rotate-cw', 'arrow-clockwise']],
  [['refresh', 'reload', 'sync'], ['refresh-cw', 'refresh-ccw', 'rotate-cw', 'arrow-clockwise', 'arrow-repeat']],
  [['close', 'x', 'cross', 'dismiss', 'cancel', 'times'], ['x', 'x-lg', 'circle-x', 'x-circle']],
  [['check', 'checkmark', 'tick', 'done', 'confirm', 'ok'], ['check', 'check-lg', 'check2', 'circle-check', 'check-circle']],
  [['home', 'house'], ['house', 'house-door', 'home']],
  [['user', 'profile', 'account', 'person', 'avatar'], ['user', 'user-round', 'circle-user', 'person', 'person-circle']],
  [['filter', 'funnel', 'filters'], ['funnel', 'filter', 'list-filter', 'sliders-horizontal', 'filter-left', 'sliders']],
  [['info', 'information'], ['info', 'info-circle', 'circle-info', 'info-lg']],
  [['help', 'question', 'question mark'], ['circle-help', 'circle-question-mark', 'question-circle', 'question', 'question-lg']],
  [['mail', 'email', 'envelope', 'inbox'], ['mail', 'envelope']],
  [['mark as read', 'mark read', 'open envelope', 'opened mail'], ['mail-open', 'envelope-open']],
  [['calendar', 'date'], ['calendar', 'calendar-days', 'calendar3', 'calendar-event', 'calendar2', 'calendar4', 'calendar-range', 'calendar4-range', 'calendar-week', 'calendar2-week', 'calendar4-week', 'calendar-date', 'calendar2-date', 'calendar-fold']],
  [['lock', 'padlock', 'locked'], ['lock', 'lock-keyhole']],
  [['eye', 'view', 'show', 'unhide', 'visibility', 'toggle visibility', 'show password'], ['eye']],
  [['eye off', 'hide', 'hidden', 'hide password'], ['eye-off', 'eye-slash']],
  [['copy', 'duplicate', 'clipboard'], ['copy', 'clipboard', 'files']],
  [['print', 'printer'], ['printer']],
  [['save', 'floppy', 'floppy disk'], ['save', 'floppy', 'floppy2']],
  [['send', 'paper plane', 'paper airplane'], ['send', 'send-horizontal']],
  [['microphone', 'mic', 'voice', 'voice command', 'voice search', 'voice input', 'dictate', 'dictation'], ['mic']],
  [['camera'], ['camera']],
  [['image', 'picture', 'photo', 'insert image', 'add image', 'insert photo'], ['image']],
  [['play'], ['play', 'play-fill', 'circle-play']],
  [['pause'], ['pause', 'pause-fill']],
  [['volume', 'sound', 'speaker', 'audio'], ['volume-2', 'volume-up', 'volume-1']],
  [['mute', 'muted'], ['volume-x', 'volume-mute', 'volume-off']],
  // A mute button shows the state it changes: the speaker or the microphone, struck through or not.
  [['mute speaker', 'speaker off', 'unmute speaker'], ['volume-x', 'volume-mute', 'volume-off', 'volume', 'volume-up', 'volume-1']],
  [['mute mic', 'mute microphone', 'mic off', 'microphone off', 'unmute mic', 'unmute microphone'], ['mic-off', 'mic-mute', 'mic-mute-fill', 'mic']],
  [['fullscreen', 'expand', 'maximize'], ['maximize', 'maximize-2', 'fullscreen', 'arrows-fullscreen', 'arrows-angle-expand', 'expand']],
  [['cart', 'shopping cart', 'basket'], ['shopping-cart', 'cart', 'cart3']],
  [['queue', 'play queue', 'up next'], ['list-music', 'list-video', 'list-end', 'music-note-list']],
  [['next track', 'next song', 'skip forward', 'skip to next'], ['skip-forward', 'skip-end', 'skip-forward-fill', 'skip-end-fill', 'track-next']],
  [['previous track', 'previous song', 'skip back', 'skip to previous'], ['skip-back', 'skip-start', 'skip-backward', 'skip-start-fill', 'track-prev']],
  [['logout', 'log out', 'sign out', 'exit'], ['log-out', 'box-arrow-right']],
  [['external link', 'open in new tab', 'open externally'], ['external-link', 'box-arrow-up-right', 'square-arrow-out-up-right']],
  [['link', 'chain'], ['link', 'link-2', 'link-45deg']],
  [['clock', 'time', 'history'], ['clock', 'history']],
  [['location', 'map pin', 'pin', 'place'], ['map-pin', 'geo-alt', 'pin']],
  [['phone', 'call', 'telephone'], ['phone', 'telephone']],
  [['contacts', 'contact', 'address book', 'phone book', 'phonebook'], ['contact', 'contact-round', 'book-user', 'person-lines-fill']],
  [['chat', 'message', 'comment', 'comments', 'chat bubble', 'speech bubble', 'comment bubble', 'message bubble'], ['message-square', 'message-circle', 'chat', 'chat-dots', 'chat-left']],
  [['thumbs up', 'upvote', 'like thumb'], ['thumbs-up', 'hand-thumbs-up']],
  [['bookmark', 'save for later', 'saved for later'], ['bookmark']],
  [['swap', 'exchange', 'switch places', 'reverse'], ['arrow-left-right', 'arrow-right-left', 'arrow-down-up', 'arrows-exchange']],
  [['folder', 'directory'], ['folder']],
  [['file', 'document'], ['file', 'file-text', 'file-earmark', 'file-earmark-text']],
  [['cloud'], ['cloud']],
  [['sun', 'light mode', 'light theme'], ['sun', 'brightness-high']],
  [['moon', 'dark mode', 'dark theme'], ['moon', 'moon-stars']],
  [['grid', 'grid view', 'grid layout', 'apps'], ['grid-3x3', 'layout-grid', 'grid', 'grid-3x3-gap', 'grid-fill']],
  [['list view', 'list layout'], ['list', 'list-ul', 'layout-list']],
  [['huddle', 'headphones', 'start huddle', 'audio call'], ['headphones', 'headset']],
  [['new layer', 'add layer', 'create layer', 'create a new layer', 'add a layer'], ['square-plus', 'plus-square', 'file-plus']],
  [['collapse sidebar', 'collapse menu', 'collapse panel', 'hide sidebar', 'close sidebar', 'fold sidebar'], ['panel-left-close', 'chevrons-left', 'indent-decrease', 'list-collapse']],
  [['sort'], ['arrow-up-down', 'sort-down', 'sort-up', 'arrow-down-up']],
  [['back', 'arrow left', 'left arrow', 'previous'], ['arrow-left', 'chevron-left']],
  [['forward', 'arrow right', 'right arrow', 'next'], ['arrow-right', 'chevron-right']],
  [['dropdown', 'chevron down', 'caret down', 'expand more'], ['chevron-down', 'caret-down', 'caret-down-fill']],
  [['chevron up', 'caret up', 'collapse'], ['chevron-up', 'caret-up', 'caret-up-fill']],
  [['wifi', 'wi-fi'], ['wifi']],
  [['tag', 'label'], ['tag']],
  // An editor's formatting toolbar.
  [['bold'], ['bold', 'type-bold']],
  [['italic', 'italics'], ['italic', 'type-italic']],
  [['underline'], ['underline', 'type-underline']],
  [['strikethrough', 'strike through', 'strike'], ['strikethrough', 'type-strikethrough']],
  [['numbered list', 'ordered list', 'number list', 'numbering'], ['list-ordered', 'list-ol']],
  [['bulleted list', 'bullet list', 'unordered list', 'bullets'], ['list', 'list-ul']],
  [['align left', 'left align'], ['align-left', 'text-left']],
  [['align center', 'center align', 'centre'], ['align-center', 'text-center']],
  [['align right', 'right align'], ['align-right', 'text-right']],
  [['justify', 'align justify'], ['align-justify', 'justify']],
  [['quote', 'blockquote', 'quotation'], ['quote']],
  [['code', 'code block'], ['code']],
  [['heading', 'header', 'title'], ['heading']],
  [['emoji', 'smiley', 'smile', 'emoticon'], ['smile', 'emoji-smile']],
  [['indent', 'increase indent'], ['indent', 'text-indent-left']],
  [['outdent', 'decrease indent'], ['outdent', 'text-indent-right']],
  [['fill color', 'fill colour', 'background color', 'background colour', 'cell color', 'paint bucket', 'highlight color'], ['paint-bucket', 'highlighter']],
  [['text color', 'text colour', 'font color', 'font colour'], ['baseline', 'type']],
  // Maps, video calls, editors and players.
  [['zoom in', 'enlarge'], ['zoom-in', 'plus']],
  [['zoom out'], ['zoom-out', 'minus']],
  [['layers', 'map layers'], ['layers', 'layers-fill', 'stack']],
  [['my location', 'current location', 'locate', 'locate me', 'recenter'], ['locate', 'locate-fixed', 'crosshair', 'crosshair2', 'navigation']],
  [['back to top', 'scroll to top', 'to top', 'top of page'], ['arrow-up-to-line', 'arrow-bar-up', 'chevrons-up', 'arrow-up']],
  [['feedback'], ['message-square-text', 'chat-left-text', 'chat-square-text']],
  [['column settings', 'columns', 'choose columns'], ['columns-3', 'columns', 'layout-three-columns', 'columns-3-cog']],
  [['source control', 'git', 'version control'], ['git-branch', 'git-fork', 'git-merge', 'git-compare']],
  [['split editor', 'split view', 'split screen', 'split'], ['columns-2', 'layout-split', 'split']],
  [['raise hand', 'hand'], ['hand', 'person-raised-hand']],
  [['share screen', 'screen share', 'present', 'present now', 'present screen'], ['screen-share', 'monitor-up', 'cast']],
  [['video camera', 'webcam', 'turn off camera', 'camera off'], ['video', 'camera-video']],
  [['captions', 'subtitles', 'closed captions', 'cc'], ['captions', 'badge-cc', 'closed-caption', 'cc-square']],
  [['rewind', ...SEEK_SECONDS.flatMap((n) => [`back ${n} seconds`, `rewind ${n} seconds`, `skip back ${n} seconds`])], ['rewind', 'rotate-ccw', 'arrow-counterclockwise']],
  [['fast forward', ...SEEK_SECONDS.flatMap((n) => [`forward ${n} seconds`, `skip forward ${n} seconds`, `fast forward ${n} seconds`])], ['fast-forward', 'rotate-cw', 'arrow-clockwise']],
  [['sliders', 'adjustments', 'tune'], ['sliders-horizontal', 'sliders', 'settings-2', 'sliders2']],
  [['table', 'insert table'], ['table']],
  // Chinese apps draw 分享 as the curved forward arrow too.
  [['share arrow'], ['share', 'share-2', 'share-fill', 'forward', 'forward-fill']],
  [['visibility toggle', 'show or hide'], ['eye', 'eye-off', 'eye-slash']],
  [['cellular signal', 'cell signal', 'mobile signal', 'signal strength', 'signal', 'reception'], ['signal', 'signal-high', 'reception-4', 'reception-3', 'antenna']],
  [['reports', 'report', 'analytics', 'charts', 'chart', 'statistics', 'stats', 'insights'], ['bar-chart', 'bar-chart-2', 'bar-chart-3', 'chart-column', 'chart-column-increasing', 'chart-column-decreasing', 'chart-bar', 'chart-bar-increasing', 'chart-bar-decreasing', 'bar-chart-line', 'bar-chart-steps', 'graph-up', 'graph-down', 'pie-chart', 'chart-pie', 'chart-line', 'chart-spline', 'chart-area']],
  [['export', 'export data', 'export list'], ['download', 'file-output', 'file-export', 'box-arrow-up-right']],
  [['screenshot', 'screen capture', 'snip', 'snipping tool'], ['scissors', 'screenshot']],
  [['sleep timer', 'timer'], ['timer', 'alarm-clock', 'moon', 'stopwatch']],
  [['maximize window', 'restore window'], ['square', 'copy', 'window']],
  [['minimize window'], ['minus', 'dash', 'dash-lg']],
  [['chat history', 'message history'], ['message-square-text', 'chat-left-text', 'chat-square-text', 'history']],
];

/** Words that say "an icon" rather than which one. */
const FILLER = new Set(['the', 'a', 'an', 'icon', 'icons', 'button', 'symbol', 'sign', 'glyph', 'small', 'little', 'shaped', 'with', 'on', 'top', 'of', 'click', 'tap', 'press']);
/** Suffixes of set names that draw the same concept (filled, heavier, numbered redraws). */
const VARIANT = /^(.*?)(-fill|-lg|-2|-3|2|3)*$/;

export interface IconVocabulary {
  /** Normalized phrase → icon indices, by how the phrase was found. */
  concepts: Map<string, number[]>;
  names: Map<string, number[]>;
  tags: Map<string, number[]>;
}

export type IconTargets = { icons: number[]; via: 'concept' | 'name' | 'tag'; phrase: string } | { icons: []; closest: string[]; phrase: string };

export const normalizePhrase = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[_\-–—"'“”‘’.,:;!?()]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !FILLER.has(w))
    .join(' ');

const push = (m: Map<string, number[]>, k: string, i: number): void => {
  const list = m.get(k);
  if (!list) m.set(k, [i]);
  else if (!list.includes(i)) list.push(i);
};

export function buildVocabulary(icons: LexiconIcon[]): IconVocabulary {
  const names = new Map<string, number[]>();
  const tags = new Map<string, number[]>();
  const byBase = new Map<string, number[]>();
  icons.forEach((icon, i) => {
    for (const n of [icon.name, ...icon.aliases]) {
      push(names, normalizePhrase(n), i);
      push(byBase, n.match(VARIANT)![1], i);
    }
    for (const t of icon.tags) push(tags, normalizePhrase(t), i);
  });
  const concepts = new Map<string, number[]>();
  for (const [words, drawn] of CONCEPTS) {
    const hits = [...new Set(drawn.flatMap((n) => byBase.get(n) ?? []))];
    if (hits.length) for (const w of words) concepts.set(normalizePhrase(w), hits);
    // "new folder", "add user": the sets draw the thing with a plus (folder-plus, user-plus).
    const added = [...new Set(drawn.flatMap((n) => [`${n}-plus`, `${n}-add`, `plus-${n}`].flatMap((v) => byBase.get(v) ?? [])))];
    // "new notifications" are the unread ones: the bell itself, not a bell with a plus.
    const plural = (w: string): boolean => w.endsWith('s') && words.includes(w.slice(0, -1));
    if (added.length) {
      for (const w of words) for (const act of ['new', 'add', 'create']) if (!concepts.has(`${act} ${w}`) && !(act === 'new' && plural(w))) concepts.set(normalizePhrase(`${act} ${w}`), added);
    }
  }
  // Chinese names of everyday icons mean what their English names mean, found the same way.
  for (const [words, english] of [...ZH_WORDS, ...GLYPH_WORDS]) {
    const en = normalizePhrase(english);
    const hits = concepts.get(en) ?? names.get(en) ?? tags.get(en);
    if (hits?.length) for (const w of words) concepts.set(w, hits);
  }
  return { concepts, names, tags };
}

/** Glyphs people type for icons ("open the ⋮ menu", "click ☰"), when the page draws the icon instead. */
const GLYPH_WORDS: Array<[string[], string]> = [
  [['⋮', '︙'], 'kebab'],
  [['⋯', '…', '···'], 'more'],
  [['☰', '≡'], 'hamburger'],
  [['×', '✕', '✖', '╳'], 'close'],
  [['⚙', '⚙️'], 'gear'],
  [['✓', '✔'], 'check'],
  [['🔔'], 'bell'],
  [['🗑', '🗑️'], 'trash'],
  [['✏', '✏️', '✎'], 'pencil'],
  [['🔍', '🔎'], 'search'],
  [['♥', '❤', '❤️', '♡'], 'heart'],
  [['★', '☆'], 'star'],
  [['↶', '↺'], 'undo'],
  [['↷', '↻'], 'redo'],
  [['📎'], 'paperclip'],
  [['🏠'], 'home'],
];

/** The icons a phrase means, or the closest known phrases when it names none. */
export function iconTargets(query: string, vocab: IconVocabulary): IconTargets {
  let phrase = normalizePhrase(query);
  // "the kebab menu", "settings menu": try the phrase as said, then without "menu"/"button".
  // "eyedropper tool": a tool is its icon.
  // 小铃铛 is the bell, 截个图 a screenshot (截图), 更多菜单 the more menu.
  const zh = [phrase.replace(/^小(?=\p{Script=Han}{2})/u, ''), phrase.replace(/^(\p{Script=Han})个(\p{Script=Han})$/u, '$1$2'), phrase.replace(/(?<=\p{Script=Han}{2})菜单$/u, '')];
  const tries = [phrase, phrase.replace(/\s*\bmenu\b\s*/g, ' ').trim(), phrase.replace(/\s+\btool$/, '').trim(), ...zh].filter((p, i, a) => p && a.indexOf(p) === i);
  for (const p of tries) {
    for (const [via, map] of [['concept', vocab.concepts], ['name', vocab.names], ['tag', vocab.tags]] as const) {
      const hit = map.get(p);
      if (hit?.length) return { icons: hit, via, phrase: p };
    }
  }
  // "刷新成员列表", "导出数据": an act's icon, then what it acts on (which the caller checks against the screen).
  const act = phrase.match(/^(\p{Script=Han}{2})\p{Script=Han}{1,8}$/u)?.[1];
  const actIcons = act && ZH_ACTS.has(act) ? vocab.concepts.get(act) : undefined;
  if (act && actIcons?.length) return { icons: actIcons, via: 'concept', phrase: act };
  const compound = zhCompoundIcons(phrase, vocab);
  if (compound) return { ...compound, via: 'concept' };
  phrase = tries[tries.length - 1] ?? phrase;
  // Words written as names (capitalized, or with digits: "Music", "Q3") say which thing, not which icon.
  const names = new Set(query.split(/[\s"'“”‘’]+/).filter((w) => /\p{Lu}|\d/u.test(w)).map((w) => normalizePhrase(w)));
  const part = conceptWithin(phrase, vocab, names);
  if (part) return part;
  return { icons: [], closest: closestPhrases(phrase, vocab), phrase };
}

/**
 * A phrase that is no concept as a whole but holds concept words: "notification bell" (both
 * words the bell), "attach file" (the act's icon: a paperclip), "copy link". Words that
 * agree settle it; else the first word when it is an act (people name an icon by what it
 * does), else the last (the head noun).
 */
function conceptWithin(phrase: string, vocab: IconVocabulary, names: Set<string>): IconTargets | undefined {
  const words = phrase.split(' ');
  if (words.length < 2 || words.length > 4) return undefined;
  const found = words.map((w, i) => {
    const two = i + 1 < words.length ? vocab.concepts.get(`${w} ${words[i + 1]}`) : undefined;
    return two ? { word: `${w} ${words[i + 1]}`, icons: two } : { word: w, icons: vocab.concepts.get(w) };
  });
  const hits = found.filter((f): f is { word: string; icons: number[] } => !!f.icons?.length);
  if (!hits.length) return undefined;
  const same = hits.length > 1 && hits.every((h) => h.icons.length === hits[0].icons.length && h.icons.every((i) => hits[0].icons.includes(i)));
  const first = found[0];
  const last = found[found.length - 1];
  // "add to wishlist": a generic act before an unknown noun names nothing.
  const pick = same ? hits[0] : ACTS.has(first.word) && first.icons?.length ? first : last.icons?.length ? last : undefined;
  // "the Music folder", "Q3 report file": a name before the head noun says which one, and a
  // shape alone cannot tell folders apart: no icon ("workspace dropdown" names no one thing).
  const named = pick === last && !same && found.some((f) => !f.icons?.length && names.has(f.word));
  return pick && !named ? { icons: pick.icons as number[], via: 'concept', phrase: pick.word } : undefined;
}

/** Chinese acts an icon is named by, before what they act on ("刷新成员列表"). */
const ZH_ACTS = new Set(['刷新', '下载', '上传', '导出', '分享', '收藏', '删除', '打印', '复制', '编辑', '点赞', '截图', '置顶', '拍照']);

/** Concept words that are acts, which name an icon by what it does ("attach file", "copy link"). */
const ACTS = new Set(['attach', 'copy', 'star', 'refresh', 'reload', 'share', 'download', 'upload', 'delete', 'edit', 'search', 'filter', 'print', 'send', 'like', 'bookmark', 'sort', 'undo', 'redo', 'play', 'pause', 'mute']);

/** The known phrases nearest to `phrase` by edit distance (concepts and names first). */
export function closestPhrases(phrase: string, vocab: IconVocabulary, n = 5): string[] {
  const scored: Array<[string, number]> = [];
  for (const [map, penalty] of [[vocab.concepts, 0], [vocab.names, 0.05], [vocab.tags, 0.15]] as const) {
    for (const k of map.keys()) {
      const d = editDistance(phrase, k) / Math.max(phrase.length, k.length, 1) + penalty;
      scored.push([k, d]);
    }
  }
  scored.sort((a, b) => a[1] - b[1]);
  const out: string[] = [];
  for (const [k] of scored) if (!out.includes(k) && out.push(k) >= n) break;
  return out;
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
