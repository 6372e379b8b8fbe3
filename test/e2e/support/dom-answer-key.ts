import type { Page } from 'playwright-core';
import type { SimAnswer, SimBox } from '../../../agents/profile/simulate.ts';
import { getProfile } from '../../../agents/families.ts';
import { directionSwipe, type Direction } from '../../../agents/profile/gestures.ts';
import type { AnswerKey } from '../../support/sim-server.ts';
import { findAndMark, pageShowsText, type FoundTarget } from './page-probe.ts';

/**
 * An answer key for the simulated model server that reads the real page: it finds the element
 * the current instruction names in the DOM, marks it as the expected target in the page, and
 * maps its CSS box into pixels of the image the server received (received size / CSS viewport
 * size). The server then writes that box in the family's own coordinates, and our client decodes
 * it: the click lands where the family's encoding and our decoding together put it.
 */

const QUOTED = '("(?:[^"\\\\]|\\\\.)*")';
const CLICK = new RegExp(`^(Click|Double-click|Right-click) ${QUOTED}$`);
const TYPE = new RegExp(`^Type ${QUOTED}(?: into ${QUOTED})?(, replacing what is there)?(, then press Enter)?$`);
const CHECK = new RegExp(`^Check that ${QUOTED} is shown, then answer DONE$`);
const PRESS = /^Press (.+)$/;
const LONG_PRESS = new RegExp(`^Long-press ${QUOTED}$`);
const SWIPE = new RegExp(`^Swipe (left|right|up|down) on ${QUOTED}$`);

export interface DomAnswerKeyOptions {
  /** The family the server speaks: a one-action desktop grammar (GLM coordinates) clicks a field, then types. */
  family: string;
  /** The page to read: the run's active tab. */
  page: () => Page;
}

function toSent(t: FoundTarget, size: { width: number; height: number }): SimBox {
  const sx = size.width / t.viewport[0];
  const sy = size.height / t.viewport[1];
  return [t.box[0] * sx, t.box[1] * sy, t.box[2] * sx, t.box[3] * sy];
}

export class NoTargetError extends Error {
  override name = 'NoTargetError';
}

export function domAnswerKey(o: DomAnswerKeyOptions): AnswerKey {
  const oneActionGrammar = getProfile(o.family).simulator.oneActionPerReply && !getProfile(o.family).setOfMarks;
  const locate = async (label: string, field: boolean, size: { width: number; height: number }) => {
    const target = await findAndMark(o.page(), label, field);
    if (!target) throw new NoTargetError(`no ${field ? 'field' : 'element'} labelled ${JSON.stringify(label)} on ${o.page().url()}`);
    return toSent(target, size);
  };
  return async (instruction, size): Promise<SimAnswer | SimAnswer[] | undefined> => {
    let m: RegExpExecArray | null;
    if ((m = CLICK.exec(instruction))) {
      const label = JSON.parse(m[2]) as string;
      const box = await locate(label, false, size);
      return { kind: 'click', box, label, ...(m[1] === 'Double-click' ? { count: 2 as const } : {}), ...(m[1] === 'Right-click' ? { button: 'right' as const } : {}) };
    }
    if ((m = TYPE.exec(instruction))) {
      const text = JSON.parse(m[1]) as string;
      const submit = !!m[4];
      if (!m[2]) {
        await findAndMark(o.page(), null, false);
        return { kind: 'type', text, submit };
      }
      const label = JSON.parse(m[2]) as string;
      const box = await locate(label, true, size);
      // GLM's desktop grammar has no target on type(): it clicks the field in one reply, types in the next.
      return oneActionGrammar ? [{ kind: 'click', box, label }, { kind: 'type', text, submit }] : { kind: 'type', text, box, label, submit };
    }
    if ((m = CHECK.exec(instruction))) {
      await findAndMark(o.page(), null, false);
      const text = JSON.parse(m[1]) as string;
      if (!(await pageShowsText(o.page(), text))) return { kind: 'fail', reason: `${JSON.stringify(text)} is not on the page` };
      return { kind: 'finish' };
    }
    if ((m = LONG_PRESS.exec(instruction))) {
      const label = JSON.parse(m[1]) as string;
      return { kind: 'long_press', box: await locate(label, false, size), label };
    }
    if ((m = SWIPE.exec(instruction))) {
      const direction = m[1] as Direction;
      const region = await locate(JSON.parse(m[2]) as string, false, size);
      return { kind: 'swipe', direction, region, ...directionSwipe(region, direction) };
    }
    if ((m = PRESS.exec(instruction))) {
      await findAndMark(o.page(), null, false);
      return { kind: 'key', keys: m[1].split('+') };
    }
    return undefined;
  };
}
