import type { Step } from '../../../src/core/task.ts';
import { parseDescription, type TargetQuery } from '../ground/describe.ts';
import { quoteLiteral } from '../quotes.ts';

/**
 * An aside that says how the target looks ("the more button at the top right (three dots)",
 * "the overflow (⋯) menu at the end of the failed payment's row") names the same thing as the
 * sentence, in the same place: read alone it would click three dots anywhere. It is tried in the
 * sentence's place, or not at all when that place was not understood.
 */
export function asideInPlace(main: Step, aside: Step): Step | undefined {
  const mainText = 'click' in main && typeof main.click === 'string' ? main.click : undefined;
  const asideText = 'click' in aside && typeof aside.click === 'string' ? aside.click : undefined;
  if (!mainText || !asideText) return aside;
  const m = query(mainText);
  const a = query(asideText);
  if (!m || !a) return aside;
  // The aside is a control placed by its label, has a place of its own, or the sentence none.
  if (a.kind !== 'text' || placed(a) || PLACE_WORDS.test(a.text) || (!placed(m) && !PLACE_WORDS.test(m.text))) return aside;
  if (m.row !== undefined || m.ordinal !== undefined || m.anchor?.heads || PLACE_WORDS.test(m.text)) return undefined;
  let suffix = m.region ? ` at the ${m.region.replace('-', ' ')}` : '';
  if (m.anchor) suffix += ` ${RELATION_WORDS[m.anchor.relation]} ${quoteLiteral(m.anchor.text)}`;
  return { click: `${asideText}${suffix}` };
}

const query = (s: string): TargetQuery | undefined => {
  try {
    return parseDescription(s);
  } catch {
    return undefined;
  }
};

const placed = (q: TargetQuery): boolean => !!(q.region || q.anchor || q.row !== undefined || q.ordinal !== undefined);

/** A place the sentence says in words the description reader left in the target's text. */
const PLACE_WORDS = /\b(?:row|line|card|panel|column|toolbar|header|footer|sidebar|bar|tile|dialog|popover|modal|section|end\s+of)\b|(?:一行|那行|这行|卡片|面板|栏|弹窗|列表|表格)/i;

const RELATION_WORDS: Record<NonNullable<TargetQuery['anchor']>['relation'], string> = {
  row: 'in the row with',
  near: 'near',
  below: 'below',
  above: 'above',
  right: 'right of',
  left: 'left of',
};
