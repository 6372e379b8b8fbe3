import type { ActionInput, Target } from '../../src/core/actions.ts';
import type { ParseContext, ParsedReply } from '../profile/profile.ts';
import { ReplyParseError } from '../profile/profile.ts';
import { numbersIn } from '../profile/parsing/coordinates.ts';
import { parseCallAt, type FunctionCall } from '../profile/parsing/function-call.ts';
import { parseChord } from '../../src/core/keys.ts';
import { clip } from '../profile/parsing/show-json.ts';

export const UI_TARS_FUNCTIONS = [
  'click',
  'left_single',
  'left_double',
  'right_single',
  'hover',
  'drag',
  'select',
  'hotkey',
  'press',
  'type',
  'scroll',
  'wait',
  'finished',
  'call_user',
  'press_back',
  'navigate',
  'navigate_back',
  'long_press',
  'swipe',
];

/** Phone-only actions: there is no home screen or app launcher behind a browser page. */
const NEEDS_A_PHONE = ['open_app', 'press_home'];

/**
 * How one UI-TARS generation writes coordinates. The grammar is shared; the meaning of the
 * numbers is not, so a reply written in another generation's notation is refused rather than
 * read in the wrong unit.
 */
export interface UiTarsDialect {
  /** Family name, for errors. */
  family: string;
  /** The notation the family's prompt shows, for errors. */
  shows: string;
  /** Why a coordinate argument is refused, or undefined when the notation is this family's. */
  refuse(raw: string): string | undefined;
  /** MOBILE_USE: drag is a finger swipe. */
  mobile?: boolean;
}

/** Any notation: UI-TARS-1.0 writes every one of them in thousandths. */
export const ANY_NOTATION = (family: string, shows: string): UiTarsDialect => ({ family, shows, refuse: () => undefined });

/** Reads the point or box of a coordinate argument in any of the encodings UI-TARS writes. */
function coordTargetOf(call: FunctionCall, names: string[], ctx: ParseContext, required: boolean, dialect?: UiTarsDialect): Target | undefined {
  const name = names.find((n) => call.args[n] !== undefined);
  const raw = name ? call.args[name] : names[0] === 'start_box' ? call.positional[0] : undefined;
  if (raw === undefined || raw.trim() === '') {
    if (required) throw new ReplyParseError(`${call.name} needs ${dialect?.shows ?? `${names[0]}='(x,y)'`}`);
    return undefined;
  }
  const refused = dialect?.refuse(raw);
  if (refused) throw new ReplyParseError(`${call.name} ${name ?? names[0]}='${clip(raw)}' ${refused}; ${dialect!.family} writes ${dialect!.shows}`);
  return ctx.map.target(numbersIn(raw), `${call.name} ${name ?? names[0]}`);
}

const START = ['start_box', 'point', 'start_point'];
const END = ['end_box', 'end_point'];

export function uiTarsCallToAction(call: FunctionCall, ctx: ParseContext, dialect?: UiTarsDialect): ActionInput {
  const coordTarget = (c: FunctionCall, names: string[], x: ParseContext, required: boolean) => coordTargetOf(c, names, x, required, dialect);
  switch (call.name) {
    case 'click':
    case 'left_single':
      return { action: 'click', target: coordTarget(call, START, ctx, true)! };
    case 'left_double':
      return { action: 'click', count: 2, target: coordTarget(call, START, ctx, true)! };
    case 'right_single':
      return { action: 'click', button: 'right', target: coordTarget(call, START, ctx, true)! };
    case 'hover':
      return { action: 'hover', target: coordTarget(call, START, ctx, true)! };
    case 'drag':
    case 'select':
    case 'swipe': {
      const from = coordTarget(call, START, ctx, true)!;
      const to = coordTarget(call, END, ctx, true)!;
      return dialect?.mobile || call.name === 'swipe' ? { action: 'swipe', from, to } : { action: 'drag', from, to };
    }
    case 'long_press': {
      const seconds = call.args.time === undefined || call.args.time.trim() === '' ? undefined : Number(call.args.time);
      if (seconds !== undefined && !(seconds > 0 && seconds <= 10)) throw new ReplyParseError(`long_press time must be seconds between 0 and 10, got '${clip(call.args.time)}'`);
      return { action: 'long_press', target: coordTarget(call, START, ctx, true)!, ...(seconds ? { ms: Math.round(seconds * 1000) } : {}) };
    }
    case 'hotkey':
    case 'press': {
      const chord = call.args.key ?? call.args.keys ?? call.positional[0];
      if (!chord?.trim()) throw new ReplyParseError(`${call.name} needs key='…', e.g. hotkey(key='ctrl c')`);
      return { action: 'key', keys: parseChord(chord) };
    }
    case 'type': {
      const content = call.args.content ?? call.args.text ?? call.positional[0];
      if (content === undefined) throw new ReplyParseError("type needs content='…'");
      const submit = content.endsWith('\n');
      return { action: 'type', text: submit ? content.slice(0, -1) : content, submit };
    }
    case 'scroll': {
      const direction = (call.args.direction ?? '').trim().toLowerCase();
      if (!['up', 'down', 'left', 'right'].includes(direction)) {
        throw new ReplyParseError(`scroll direction must be up, down, left or right, got '${clip(direction)}'`);
      }
      const target = coordTarget(call, START, ctx, false);
      return { action: 'scroll', direction: direction as 'up', amount: 5, ...(target ? { target } : {}) };
    }
    case 'wait':
      // "Sleep for 5s and take a screenshot to check for any changes." (every UI-TARS prompt)
      return { action: 'wait', ms: 5000 };
    case 'finished': {
      const content = call.args.content ?? call.positional[0];
      return content ? { action: 'finish', answer: content } : { action: 'finish' };
    }
    case 'call_user':
      return { action: 'fail', reason: "the model asked for the user's help" };
    case 'press_back':
    case 'navigate_back':
      return { action: 'back' };
    case 'navigate': {
      const url = call.args.content ?? call.args.url ?? call.positional[0];
      if (!url?.trim()) throw new ReplyParseError("navigate needs content='<url>'");
      return { action: 'navigate', url: url.trim() };
    }
    default:
      if (NEEDS_A_PHONE.includes(call.name)) throw new ReplyParseError(`${call.name}() needs a phone; this runs in a browser with a phone-sized page: use press_back or the page's own controls`);
      throw new ReplyParseError(`unknown action ${clip(call.name)}(); expected one of ${UI_TARS_FUNCTIONS.join(', ')}`);
  }
}

/** Every call in the Action section, in order; several actions are separated by blank lines. */
export function uiTarsCalls(section: string): FunctionCall[] {
  const calls: FunctionCall[] = [];
  let pos = 0;
  for (;;) {
    while (pos < section.length && /\s/.test(section[pos])) pos++;
    if (pos >= section.length) break;
    const call = parseCallAt(section, pos);
    if (!call) {
      if (calls.length === 0) throw new ReplyParseError(`no action call found after "Action:": '${section.slice(pos, pos + 60)}'`);
      break; // trailing prose after the calls
    }
    calls.push(call);
    pos = call.end;
  }
  if (calls.length === 0) throw new ReplyParseError('no action call found after "Action:": the line is empty');
  return calls;
}

/**
 * Reasoning in any `<think…>` tag (`<think>`, Seed's `<thinkt>` and `<think_never_used_…>`) is
 * split off; the rest is the answer.
 */
export function splitThinkTags(text: string, reasoning: string | undefined): { reasoning?: string; answer: string } {
  const thoughts: string[] = reasoning?.trim() ? [reasoning.trim()] : [];
  let answer = text.replace(/<(think\w*)>([\s\S]*?)<\/\1>/g, (_m, _tag, inner: string) => {
    thoughts.push(inner.trim());
    return '';
  });
  // A closing tag alone: the chat template opened the thinking in the prompt.
  const close = /<\/think\w*>/.exec(answer);
  if (close) {
    thoughts.push(answer.slice(0, close.index).trim());
    answer = answer.slice(close.index + close[0].length);
  }
  // An opening tag alone: the reply was cut off while thinking.
  const open = /<think\w*>/.exec(answer);
  if (open) {
    thoughts.push(answer.slice(open.index + open[0].length).trim());
    answer = answer.slice(0, open.index);
  }
  const said = thoughts.filter(Boolean).join('\n');
  return { ...(said ? { reasoning: said } : {}), answer: answer.trim() };
}

/**
 * Seed's XML tool-call form (UI-TARS-desktop multimodal/gui-agent/action-parser `XMLFormatParser`):
 * `<seed:tool_call><function=click><parameter=point><point>17 58</point></parameter></function>…`,
 * one action per function, and `<answer>…</answer>` for finished(content=…).
 */
export function seedXmlCalls(answer: string): FunctionCall[] | undefined {
  const block = /<seed:tool_call>([\s\S]*?)(?:<\/seed:tool_call>|$)/.exec(answer);
  const final = /<answer>([\s\S]*?)<\/answer>/.exec(answer);
  if (!block && !final) return undefined;
  const calls: FunctionCall[] = [];
  for (const f of (block?.[1] ?? '').matchAll(/<function=([\w.]+)>([\s\S]*?)<\/function>/g)) {
    const args: Record<string, string> = {};
    for (const p of f[2].matchAll(/<parameter=(\w+)>([\s\S]*?)<\/parameter>/g)) args[p[1]] = p[2].trim();
    calls.push({ name: f[1], args, positional: [], start: 0, end: 0 });
  }
  if (final && !calls.length) calls.push({ name: 'finished', args: { content: final[1].trim() }, positional: [], start: 0, end: 0 });
  return calls;
}

/** Parses `Thought: …\nAction: fn(…)` (with optional Reflection:/Action_Summary:), several actions allowed. */
export function parseUiTarsReply(text: string, reasoning: string | undefined, ctx: ParseContext, dialect?: UiTarsDialect): ParsedReply {
  const split = splitThinkTags(text, reasoning);
  const body = split.answer;
  const xml = seedXmlCalls(body);
  if (xml) {
    if (!xml.length) throw new ReplyParseError('the <seed:tool_call> block holds no <function=…> call');
    return { reasoning: split.reasoning, actions: xml.map((c) => uiTarsCallToAction(c, ctx, dialect)) };
  }
  const labels = [...body.matchAll(/(?:^|\n)\s*Action\s*[:：]/g)];
  if (labels.length === 0) {
    // UI-TARS-desktop's parsers take a reply that is only a call as that call.
    const bare = /^[A-Za-z_]\w*\s*\(/.test(body) ? parseCallAt(body, 0) : null;
    if (bare && body.slice(bare.end).trim() === '') return { reasoning: split.reasoning, actions: [uiTarsCallToAction(bare, ctx, dialect)] };
    throw new ReplyParseError('no "Action:" line found; reply with Thought: … then Action: …');
  }
  const last = labels[labels.length - 1];
  const section = body.slice(last.index! + last[0].length);
  const calls = uiTarsCalls(section);
  const before = body.slice(0, last.index);
  const thought = /(?:Thought|Action_Summary)\s*[:：]([\s\S]*)$/i.exec(before)?.[1].trim();
  const reflection = /Reflection\s*[:：]([\s\S]*?)(?=(?:Thought|Action_Summary)\s*[:：]|$)/i.exec(before)?.[1].trim();
  const notes: Record<string, unknown> = {};
  if (reflection) notes.reflection = reflection;
  const allReasoning = [split.reasoning, thought].filter((s) => !!s).join('\n') || undefined;
  return { reasoning: allReasoning, actions: calls.map((c) => uiTarsCallToAction(c, ctx, dialect)), notes };
}
