import type { ActionInput, Target } from '../../src/core/actions.ts';
import type { MarkedElement, ParseContext, ParsedReply } from '../profile/profile.ts';
import { ReplyParseError } from '../profile/profile.ts';
import { parseChord } from '../../src/core/keys.ts';
import { boxedSpans, labelled, splitThinking, stripBoxTokens } from '../profile/parsing/reply-text.ts';
import { clip } from '../profile/parsing/show-json.ts';

/** The WebVoyager set-of-marks grammar GLM-4.1V was trained on, with our semantics for Type (no implicit Enter). */
export const SOM_ACTION_SPACE = `Click [N]                     click element N
Type [N]; [text]              clear element N and type the text (does not press Enter)
Scroll [N or WINDOW]; [up or down]
Key; [Return]                 press a key or chord, e.g. Key; [ctrl+a]
Wait                          wait for the page to change
GoBack                        go back to the previous page
ANSWER; <content>text</content>   the task is complete (with the answer, if one was asked for)`;

/** "[5]", "[[5]]", "(5)", "5" -> "5"; keeps inner brackets of text that has them. */
function unwrap(s: string): string {
  let t = s.trim();
  for (let k = 0; k < 2; k++) {
    const m = /^[[(【]([\s\S]*)[\])】]$/.exec(t);
    if (!m) break;
    t = m[1].trim();
  }
  return t;
}

function elementTarget(arg: string | undefined, elements: MarkedElement[] | undefined, verb: string): Target {
  const idText = unwrap(arg ?? '');
  if (!/^\d+$/.test(idText)) throw new ReplyParseError(`${verb} needs an element number like [3], got '${clip(arg ?? '')}'`);
  const id = Number(idText);
  const el = elements?.find((e) => e.id === id);
  if (!el) {
    const ids = elements?.map((e) => e.id) ?? [];
    throw new ReplyParseError(`element [${id}] is not on the screenshot; numbered elements are ${ids.length ? `[${Math.min(...ids)}]..[${Math.max(...ids)}]` : 'none'}`);
  }
  const t: Target = { box: [...el.box] };
  const label = el.text?.trim();
  if (label) t.label = label;
  return t;
}

/** Splits "Type [3]; [hello; world]" into verb and arguments at the first ';' after each bracket group. */
function splitArgs(rest: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of rest) {
    if (c === '[' || c === '【') depth++;
    if (c === ']' || c === '】') depth = Math.max(0, depth - 1);
    if ((c === ';' || c === '；') && depth === 0) {
      args.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  args.push(cur);
  return args.map((a) => a.trim()).filter((a, i) => i === 0 || a.length > 0);
}

export function parseSomAction(line: string, elements: MarkedElement[] | undefined): ActionInput {
  const m = /^\s*([A-Za-z_]+)\s*([\s\S]*)$/.exec(line);
  if (!m) throw new ReplyParseError(`no action found in '${line.slice(0, 60)}'`);
  const verb = m[1].toLowerCase();
  const args = splitArgs(m[2].replace(/^[;；]/, '')).filter((a) => a.length > 0);
  switch (verb) {
    case 'click':
      return { action: 'click', target: elementTarget(args[0], elements, 'Click') };
    case 'type': {
      if (args.length < 2) throw new ReplyParseError('Type needs an element and text: Type [N]; [text]');
      return { action: 'type', target: elementTarget(args[0], elements, 'Type'), text: unwrap(args.slice(1).join('; ')), clear: true };
    }
    case 'scroll': {
      const where = unwrap(args[0] ?? 'WINDOW');
      const direction = unwrap(args[1] ?? 'down').toLowerCase();
      if (!['up', 'down', 'left', 'right'].includes(direction)) throw new ReplyParseError(`Scroll direction must be up or down, got '${clip(direction)}'`);
      const base = { action: 'scroll' as const, direction: direction as 'down', amount: 5 };
      return where.toUpperCase() === 'WINDOW' ? base : { ...base, target: elementTarget(where, elements, 'Scroll') };
    }
    case 'key': {
      const chord = unwrap(args[0] ?? '');
      if (!chord) throw new ReplyParseError('Key needs a key: Key; [Return]');
      return { action: 'key', keys: parseChord(chord) };
    }
    case 'wait':
      return { action: 'wait', ms: 1000 };
    case 'goback':
      return { action: 'back' };
    case 'answer': {
      const body = args.join('; ');
      const content = /<content>([\s\S]*?)(?:<\/content>|$)/.exec(body);
      const answer = (content ? content[1] : unwrap(body)).trim();
      return answer ? { action: 'finish', answer } : { action: 'finish' };
    }
    default:
      throw new ReplyParseError(`unknown action '${clip(m[1])}'; expected one of Click, Type, Scroll, Key, Wait, GoBack, ANSWER`);
  }
}

/** Parses `Thought: … Action: … Memory_Updated: …`, boxed or not. */
export function parseSomReply(text: string, reasoning: string | undefined, ctx: ParseContext): ParsedReply {
  const split = splitThinking(text, reasoning);
  if (split.thinkingUnfinished && !split.answer) throw new ReplyParseError('the reply ended inside <think> without an answer');
  const spans = boxedSpans(split.answer);
  if (spans.length > 1) throw new ReplyParseError(`expected exactly one boxed action, found ${spans.length}`);
  const answer = stripBoxTokens(split.answer);
  const boxed = spans.length === 1 ? spans[0].replace(/^\s*Action\s*[:：]\s*/i, '') : undefined;
  const line = (boxed ?? labelled(answer, 'Action', ['Memory_Updated', 'Memory', 'Thought']) ?? '').split('\n')[0].trim();
  if (!line) throw new ReplyParseError('no "Action: …" line found; reply with Action: Click [N] (or another action of the list)');
  const notes: Record<string, unknown> = {};
  const thought = labelled(answer, 'Thought', ['Action']);
  if (thought) notes.thought = thought;
  const memory = labelled(answer, 'Memory_Updated');
  if (memory) notes.memory = memory;
  return { reasoning: split.reasoning, actions: [parseSomAction(line, ctx.elements)], notes };
}
