import type { OcrResult, PixelBox } from '../../../kernels/ocr/types.ts';
import { findSliderTrack, type SliderTrack } from '../../../kernels/slider-track.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import { unquote } from '../quotes.ts';
import { grayOf, medianTextHeight } from './controls.ts';
import { height } from './geometry.ts';
import { searchText } from './text-match.ts';

/**
 * "set the Volume slider to 70%", "brightness to max", "price slider to 200": a slider is a
 * track with a thumb on it, found beside (right of, or under) its label. The value becomes a
 * point on the track (the thumb's centre runs from one end to the other, inset by its half
 * width), and a click there sets it, as on a native range input and the usual custom sliders.
 * A value that is no percentage needs the track's ends to show their numbers (0 … 500).
 */

/**
 * The step description a slider goal becomes: `the slider next to "Volume" at 70%`, `… at value 200`,
 * or with no value (`the slider next to "volume"`: the slider itself, clicked on its thumb).
 */
export const SLIDER_DESCRIPTION = /^the slider(?: next to (.+?))?(?: at (?:(\d+(?:\.\d+)?)%|value (-?\d[\d,]*(?:\.\d+)?)))?$/i;

/** A player's progress (seek) bar is named by what it does; the times at its ends place it. */
const PROGRESS_NAME = /^(?:progress|playback|seek|playback progress|进度|播放进度)$/i;
const PLAYING_TIME = /^[-−]?\d{1,2}:\d{2}(?::\d{2})?(?:\s*\/\s*\d{1,2}:\d{2}(?::\d{2})?)?$/;

/** A value as people say it → the description's tail: "70%", "max" → "100%", "200" → "value 200". */
export function sliderValue(said: string): string | undefined {
  const s = said.trim().toLowerCase().replace(/^the\s+/, '');
  if (/^(?:max(?:imum)?|100\s*%|full|最大|最高)$/.test(s)) return '100%';
  if (/^(?:min(?:imum)?|0\s*%|zero|最小|最低)$/.test(s)) return '0%';
  const pct = s.match(/^(\d+(?:\.\d+)?)\s*(?:%|percent)$/);
  if (pct) return Number(pct[1]) <= 100 ? `${pct[1]}%` : undefined;
  if (/^-?\d[\d,]*(?:\.\d+)?$/.test(s)) return `value ${s}`;
  return undefined;
}

export type SliderPoint = { point: [number, number]; box: PixelBox; label: string; found: string } | { why: string };

/** Finds an icon by name (the lexicon's words): a slider with no text beside it is placed by its icon (a speaker for volume). */
export type FindIcon = (name: string) => Promise<PixelBox | undefined>;

const MIN_LABEL_SCORE = 0.8;
/** How far right of its label, and how far below it, a slider's track may start, in text heights. */
const RIGHT_REACH = 40;
const BELOW_REACH = 3.5;

function trackRight(label: PixelBox, rgb: RgbImage, h: number, scale: number): SliderTrack | undefined {
  const right: PixelBox = [label[2] + 2, label[1] - 1.2 * h, label[2] + RIGHT_REACH * h, label[3] + 1.2 * h];
  const t = findSliderTrack(grayOf(rgb), right, Math.max(60 * scale, 4 * h), scale);
  return t?.thumb ? t : undefined;
}

function trackNear(label: PixelBox, ocr: OcrResult, rgb: RgbImage, h: number, scale: number): SliderTrack | undefined {
  const t = trackRight(label, rgb, h, scale);
  if (t) return t;
  const g = grayOf(rgb);
  const minLength = Math.max(60 * scale, 4 * h);
  const below: PixelBox = [label[0] - 2 * h, label[3], label[0] + RIGHT_REACH * h, label[3] + BELOW_REACH * h];
  const u = findSliderTrack(g, below, minLength, scale);
  // A track under the label with another text before it on its own line is that text's slider.
  const cy = u && (u.track[1] + u.track[3]) / 2;
  const owned = u && ocr.groups.some((o) => o.box[2] <= u.track[0] + 2 && o.box[1] <= cy! + h && o.box[3] >= cy! - h && o.box[0] >= label[0] - 2 * h && o.box[1] > label[1]);
  return u?.thumb && !owned ? u : undefined;
}

/** Reads the text in a box of the screen (the caller's OCR of a crop): for a lone digit the whole-screen reading missed. */
export type ReadBox = (box: PixelBox) => Promise<OcrResult | undefined>;

/** The numbers the track's ends show (min at the left end, max at the right), when both are there. */
async function endNumbers(ocr: OcrResult, t: PixelBox, h: number, readBox?: ReadBox): Promise<{ min: number; max: number } | undefined> {
  const found = endNumbersIn(ocr, t, h);
  if (found || !readBox) return found;
  // A lone "0" at an end is easily missed on a whole screen: read the track's surroundings alone.
  const around: PixelBox = [Math.max(0, t[0] - 6 * h), Math.max(0, t[1] - 2.5 * h), t[2] + 6 * h, t[3] + 2.5 * h];
  const local = await readBox(around);
  return local ? endNumbersIn(local, t, h) : undefined;
}

function endNumbersIn(ocr: OcrResult, t: PixelBox, h: number): { min: number; max: number } | undefined {
  const num = (s: string) => Number(s.replace(/[^\d.-]/g, ''));
  const near = (x: number) =>
    ocr.groups.find((g) => /^[^\d-]{0,2}-?\d[\d,]*(?:\.\d+)?[^\d]{0,2}$/.test(g.text.trim()) && Math.abs((g.box[0] + g.box[2]) / 2 - x) <= 3 * h && g.box[1] < t[3] + 2.5 * h && g.box[3] > t[1] - 2.5 * h);
  const lo = near(t[0]) ?? ocr.groups.find((g) => g.box[2] <= t[0] + 2 && t[0] - g.box[2] <= 3 * h && /\d/.test(g.text) && g.box[1] < t[3] + h && g.box[3] > t[1] - h);
  const hi = near(t[2]) ?? ocr.groups.find((g) => g.box[0] >= t[2] - 2 && g.box[0] - t[2] <= 3 * h && /\d/.test(g.text) && g.box[1] < t[3] + h && g.box[3] > t[1] - h);
  if (!lo || !hi || lo === hi) return undefined;
  const min = num(lo.text);
  const max = num(hi.text);
  return Number.isFinite(min) && Number.isFinite(max) && max > min ? { min, max } : undefined;
}

/** A track with a thumb above a time (a phone player shows its times under the bar). */
function trackAbove(time: PixelBox, rgb: RgbImage, h: number, scale: number): SliderTrack | undefined {
  const win: PixelBox = [Math.max(0, time[0] - 2 * h), Math.max(0, time[1] - BELOW_REACH * h), Math.min(rgb.width, time[0] + RIGHT_REACH * h), time[1]];
  const t = findSliderTrack(grayOf(rgb), win, Math.max(60 * scale, 4 * h), scale);
  return t?.thumb && t.track[0] <= time[2] + 2 * h ? t : undefined;
}

/** The progress bar: the track beside or over a playing time (0:42, -31:05); the one with the most times at its ends. */
function progressTrack(ocr: OcrResult, rgb: RgbImage, scale: number): SliderTrack | undefined {
  const times = ocr.groups.filter((g) => PLAYING_TIME.test(g.text.trim()));
  let best: { t: SliderTrack; ends: number } | undefined;
  for (const time of times) {
    const h = height(time.box);
    const t = trackRight(time.box, rgb, h, scale) ?? trackAbove(time.box, rgb, h, scale);
    if (!t) continue;
    const ends = times.filter((o) => Math.abs(o.box[2] - t.track[0]) <= 3 * h || Math.abs(o.box[0] - t.track[2]) <= 3 * h || Math.abs(o.box[0] - t.track[0]) <= 2 * h || Math.abs(o.box[2] - t.track[2]) <= 2 * h).length;
    if (!best || ends > best.ends) best = { t, ends };
  }
  return best?.t;
}

export async function locateSlider(ocr: OcrResult, rgb: RgbImage, description: string, scale = 1, readBox?: ReadBox, findIcon?: FindIcon): Promise<SliderPoint> {
  const m = description.match(SLIDER_DESCRIPTION);
  if (!m) return { why: `not a slider description: ${description}` };
  const h = medianTextHeight(ocr);
  const name = m[1] ? unquote(m[1]) : undefined;
  let track: SliderTrack | undefined;
  let labelText = 'the slider';
  if (name) {
    const hits = searchText(ocr, name).filter((x) => x.score >= MIN_LABEL_SCORE).sort((a, b) => b.score - a.score);
    if (!hits.length && PROGRESS_NAME.test(name)) {
      track = progressTrack(ocr, rgb, scale);
      if (!track) return { why: `no progress bar (a track with a thumb beside a playing time like 1:42) seen on screen` };
      labelText = 'the progress';
    } else if (!hits.length) {
      // "the volume slider" with no word Volume on screen: the speaker icon beside it.
      const icon = await findIcon?.(name);
      if (!icon) return { why: `no text matching "${name}" on screen to find its slider by` };
      track = trackNear(icon, ocr, rgb, Math.max(h, height(icon)), scale);
      if (!track) return { why: `no slider (a track with a thumb) seen beside the ${name} icon` };
      labelText = `the ${name} icon's`;
    }
    for (const hit of track ? [] : hits) {
      track = trackNear(hit.box, ocr, rgb, height(hit.box), scale);
      if (track) {
        labelText = hit.text;
        break;
      }
    }
    if (!track) return { why: `no slider (a track with a thumb) seen beside "${hits[0].text}"` };
  } else {
    const t = findSliderTrack(grayOf(rgb), [0, 0, rgb.width, rgb.height], Math.max(60 * scale, 4 * h), scale);
    if (!t?.thumb) return { why: 'no slider (a track with a thumb) seen on screen; name its label' };
    track = t;
  }
  const [x1, y1, x2, y2] = track.track;
  const thumb = track.thumb!;
  if (m[2] === undefined && m[3] === undefined) {
    // The slider itself: its thumb, where a drag would start and a click changes nothing.
    const point: [number, number] = [(thumb[0] + thumb[2]) / 2, (y1 + y2) / 2];
    return { point, box: [thumb[0], thumb[1], thumb[2], thumb[3]], label: `${labelText} slider`, found: `track [${x1},${y1},${x2},${y2}], thumb [${thumb.join(',')}]` };
  }
  const inset = Math.min((thumb[2] - thumb[0]) / 2, (x2 - x1) / 4);
  let fraction: number;
  if (m[2] !== undefined) fraction = Number(m[2]) / 100;
  else {
    const ends = await endNumbers(ocr, [x1, y1, x2, y2], h, readBox);
    const value = Number(m[3].replace(/,/g, ''));
    if (!ends) return { why: `cannot tell the slider's range (no numbers at its ends) to set it to ${m[3]}: say a percentage` };
    if (value < ends.min || value > ends.max) return { why: `${m[3]} is outside the slider's range ${ends.min}–${ends.max}` };
    fraction = (value - ends.min) / (ends.max - ends.min);
  }
  const x = x1 + inset + fraction * (x2 - x1 - 2 * inset);
  const y = (y1 + y2) / 2;
  const box: PixelBox = [x - 2, thumb[1], x + 2, thumb[3]];
  return { point: [x, y], box, label: `${labelText} slider at ${m[2] !== undefined ? `${m[2]}%` : m[3]}`, found: `track [${x1},${y1},${x2},${y2}], thumb [${thumb.join(',')}]` };
}
