import type { ChatMessage } from '../../src/core/model-client.ts';
import type { PromptContext, PromptHistoryStep } from '../profile/profile.ts';
import { imagePart, textPart } from '../profile/prompt-parts.ts';
import { centre, expect, imagesIn, messages, partsOf, pyQuote, textIn, type ChatBody, type EncodeOptions, type FamilySimulator, type SimAnswer, type SimBox } from '../profile/simulate.ts';
import { uiTarsInstruction } from './prompt.ts';

/**
 * The "history-5" conversation every UI-TARS agent uses (OSWorld mm_agents/uitars_agent.py and
 * uitars15_v1.py `predict`; the Seed1.5-VL GUI cookbook describes it as "the most recent 4 history
 * screenshots and the current environment screenshot … and all the history model responses"):
 * the prompt, then every earlier reply as an assistant turn, the last four each preceded by the
 * screenshot it answered, then the current screenshot.
 */
export interface UiTarsLayout {
  /** OSWorld sends "You are a helpful assistant." as the system message; Doubao sends none. */
  system: boolean;
  /** OSWorld's add_box_token: put <|box_start|>…<|box_end|> back around (x,y) in earlier replies. */
  boxTokensInHistory: boolean;
}

/**
 * OSWorld `add_box_token`, reproduced with its quirks: it only rewrites `start_box='(x,y)'` and
 * `end_box='(x,y)'` written without a space after the comma, and rejoins several actions with
 * a blank line.
 */
export function addBoxToken(reply: string): string {
  if (!reply.includes('Action: ') || !reply.includes('start_box=')) return reply;
  const [prefix, ...actions] = reply.split('Action: ');
  const done = actions.map((a) => {
    let out = a.trim();
    for (const m of out.matchAll(/(start_box|end_box)='\((\d+),\s*(\d+)\)'/g)) {
      out = out.split(`${m[1]}='(${m[2]},${m[3]})'`).join(`${m[1]}='<|box_start|>(${m[2]},${m[3]})<|box_end|>'`);
    }
    return out;
  });
  return `${prefix}Action: ${done.join('\n\n')}`;
}

function replyText(h: PromptHistoryStep, layout: UiTarsLayout): string {
  const answer = h.reply?.answer ?? `Thought: (this step was taken without the model: ${h.summary})\nAction: wait()`;
  return layout.boxTokensInHistory ? addBoxToken(answer) : answer;
}

export function uiTarsMessages(prompt: string, ctx: PromptContext, layout: UiTarsLayout): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (layout.system) out.push({ role: 'system', content: [textPart('You are a helpful assistant.')] });
  out.push({ role: 'user', content: [textPart(prompt)] });
  for (const h of ctx.history) {
    if (h.image) out.push({ role: 'user', content: [imagePart(h.image)] });
    out.push({ role: 'assistant', content: [textPart(replyText(h, layout))] });
  }
  out.push({ role: 'user', content: [imagePart(ctx.image)] });
  return out;
}

/** Reads a history-5 request back; `task` pulls the instruction out of the prompt. */
export function readUiTarsRequest(body: ChatBody, layout: UiTarsLayout, task: (prompt: string) => string) {
  const ms = messages(body);
  let i = 0;
  if (layout.system) {
    expect(ms[0].role === 'system' && textIn(partsOf(ms[0])) === 'You are a helpful assistant.', 'UI-TARS (OSWorld) opens with the system message "You are a helpful assistant."');
    i = 1;
  } else expect(ms[0].role === 'user', 'the Doubao layout sends the prompt as the first user message (no system message)');
  const prompt = textIn(partsOf(ms[i]));
  expect(imagesIn(partsOf(ms[i])).length === 0, 'the prompt message holds no image');
  let shape = '';
  for (const m of ms.slice(i + 1, -1)) {
    if (m.role === 'assistant') {
      shape += 'A';
      const text = textIn(partsOf(m));
      expect(!/<think/.test(text), 'earlier replies go back without their thinking');
      if (layout.boxTokensInHistory) expect(!/start_box='\(\d+,\d+\)'/.test(text), 'earlier replies carry <|box_start|>(x,y)<|box_end|> as add_box_token writes them');
    } else {
      expect(m.role === 'user' && imagesIn(partsOf(m)).length === 1, 'between replies only a screenshot is sent');
      shape += 'I';
    }
  }
  const steps = shape.split('A').length - 1;
  const paired = /^A*((?:IA)*)$/.exec(shape);
  expect(paired && paired[1].length / 2 === Math.min(4, steps), `the last ${Math.min(4, steps)} replies each come right after their screenshot, older ones alone; got ${shape.replace(/A/g, 'reply ').replace(/I/g, 'image ').trim()}`);
  const last = partsOf(ms[ms.length - 1]);
  expect(ms[ms.length - 1].role === 'user' && last.length === 1 && last[0].type === 'image', 'the current screenshot comes last, alone');
  return { task: task(prompt), current: imagesIn(last)[0], historySteps: steps };
}

/** Writes answers in the UI-TARS call grammar; `point` renders a box's centre in the family's notation. */
export function uiTarsAnswer(answers: SimAnswer[], o: EncodeOptions, point: (box: SimBox, o: EncodeOptions) => string, key = 'start_box'): string {
  const calls: string[] = [];
  const at = (b: SimBox) => `${key}='${point(b, o)}'`;
  for (const a of answers) {
    switch (a.kind) {
      case 'click':
        calls.push(`${a.count === 2 ? 'left_double' : a.button === 'right' ? 'right_single' : 'click'}(${at(a.box)})`);
        break;
      case 'type':
        if (a.box) calls.push(`click(${at(a.box)})`);
        calls.push(`type(content=${pyQuote(a.text + (a.submit ? '\n' : ''))})`);
        break;
      case 'key':
        calls.push(`hotkey(key='${a.keys.join(' ').toLowerCase()}')`);
        break;
      case 'scroll':
        calls.push(`scroll(${a.box ? at(a.box) + ', ' : ''}direction='${a.direction}')`);
        break;
      case 'wait':
        calls.push('wait()');
        break;
      case 'finish':
        calls.push(`finished(content=${pyQuote(a.answer ?? '')})`);
        break;
      case 'fail':
        calls.push('call_user()');
        break;
      case 'long_press':
        calls.push(`long_press(${at(a.box)})`);
        break;
      case 'swipe':
        calls.push(`drag(${key === 'point' ? 'start_point' : 'start_box'}='${point([...a.from, ...a.from], o)}', ${key === 'point' ? 'end_point' : 'end_box'}='${point([...a.to, ...a.to], o)}')`);
        break;
    }
  }
  return `Thought: ${o.explanation}\nAction: ${calls.join('\n\n')}`;
}

/** The centre of a box in pixels of the image the model received, as UI-TARS-1.5 writes it: (x,y). */
export const pixelPoint = (b: SimBox, o: EncodeOptions) => {
  if (o.outOfRange) return `(${o.width + 300},${o.height + 300})`;
  const [cx, cy] = centre(b);
  return `(${Math.round(cx)},${Math.round(cy)})`;
};

export const faultReplies = { malformed: 'Thought: I am not sure what to do here.', unknownAction: "Thought: teleport.\nAction: teleport(start_box='(10,10)')" };

/** The simulator every UI-TARS family has: reads the history-5 layout back, answers in the call grammar with `point`. */
export function uiTarsSimulator(layout: UiTarsLayout, point: (box: SimBox, o: EncodeOptions) => string, key?: string): FamilySimulator {
  return {
    read: (body) => readUiTarsRequest(body, layout, uiTarsInstruction),
    answer: (answers, o) => ({ content: uiTarsAnswer(answers, o, point, key) }),
    faults: faultReplies,
    thinks: false,
    oneActionPerReply: false,
  };
}
