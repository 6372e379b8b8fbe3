import type { Action } from '../../src/core/actions.ts';
import type { ChatImage, ChatMessage, ChatPart } from '../../src/core/model-client.ts';
import type { PromptContext, PromptHistoryStep } from './profile.ts';

/** An action as history text: what was done, without coordinates (they mean nothing on a new screenshot). */
export function summarizeAction(a: Action): string {
  const on = (label?: string) => (label ? ` on ${JSON.stringify(label)}` : '');
  switch (a.action) {
    case 'click':
      return `${a.count === 2 ? 'double-' : ''}${a.button === 'left' ? '' : a.button + '-'}click${on(a.target.label)}`;
    case 'hover':
      return `hover${on(a.target.label)}`;
    case 'drag':
      return `drag${on(a.from.label)} to ${a.to.label ? JSON.stringify(a.to.label) : 'a point'}`;
    case 'long_press':
      return `long-press${on(a.target.label)}`;
    case 'swipe':
      return `swipe${on(a.from.label)} to ${a.to.label ? JSON.stringify(a.to.label) : 'a point'}`;
    case 'type':
      return `type ${JSON.stringify(a.text)}${on(a.target?.label)}${a.submit ? ' and press Enter' : ''}`;
    case 'key':
      return `press ${a.keys.join('+')}`;
    case 'scroll':
      return `scroll ${a.direction}${on(a.target?.label)}`;
    case 'wait':
      return `wait ${a.ms} ms`;
    case 'navigate':
      return `go to ${a.url}`;
    case 'back':
      return 'go back';
    case 'finish':
      return `finish${a.answer ? ' ' + JSON.stringify(a.answer) : ''}`;
    case 'fail':
      return `give up: ${a.reason}`;
  }
}

const STEP_MARK = '\nCurrent step: ';

/**
 * The task as an official layout's single task slot carries it: the goal, or in a scripted run
 * the step being worked on (after the goal, when the script has one). splitTaskText reads it back.
 */
export function taskText(ctx: Pick<PromptContext, 'goal' | 'instruction' | 'stepMode'>): string {
  if (!ctx.stepMode) return ctx.goal ?? ctx.instruction;
  return ctx.goal && ctx.goal !== ctx.instruction ? `${ctx.goal}${STEP_MARK}${ctx.instruction}` : ctx.instruction;
}

export function splitTaskText(task: string): { goal?: string; instruction: string } {
  const i = task.lastIndexOf(STEP_MARK);
  return i < 0 ? { instruction: task, goal: task } : { goal: task.slice(0, i), instruction: task.slice(i + STEP_MARK.length) };
}

/** Chinese when the task is written in it (families that ask for thoughts in the user's language). */
export function languageOf(text: string): 'English' | 'Chinese' {
  return /[\u3400-\u9fff]/.test(text) ? 'Chinese' : 'English';
}

/**
 * JSON as Python's json.dumps writes it with its defaults (", " and ": " separators) and
 * ensure_ascii=False, as Qwen-Agent serialises tool schemas and calls.
 */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** A value as Python's repr() writes it (dicts, lists, strings, True/False/None), as official agents print actions into history. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const q = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(new RegExp(q, 'g'), `\\${q}`);
    return `${q}${body}${q}`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
    .join(', ')}}`;
}

/**
 * The lines every profile writes about the task, in a fixed form (the simulated server and
 * people reading traces both rely on it): "Task: …", "Current instruction: …".
 */
export function taskLines(ctx: PromptContext): string {
  const lines = [`Task: ${ctx.goal ?? ctx.instruction}`];
  if (ctx.stepMode) lines.push(`Current instruction: ${ctx.instruction}`);
  return lines.join('\n');
}

export function historyLine(h: PromptHistoryStep): string {
  return `Step ${h.index + 1} — instruction: ${h.instruction ?? '(goal)'} — action: ${h.summary} — result: ${h.outcome}`;
}

export function historyBlock(history: PromptHistoryStep[]): string {
  return history.length ? `Previous steps:\n${history.map(historyLine).join('\n')}` : 'Previous steps: none.';
}

export function imagePart(image: ChatImage): ChatPart {
  return { type: 'image', image };
}

export function textPart(text: string): ChatPart {
  return { type: 'text', text };
}

/** One user message: the screenshot, then the prompt text. */
export function imageThenText(prompt: (ctx: PromptContext) => string): (ctx: PromptContext) => ChatMessage[] {
  return (ctx) => [{ role: 'user', content: [imagePart(ctx.image), textPart(prompt(ctx))] }];
}

export function elementList(ctx: PromptContext): string {
  return (ctx.elements ?? []).map((e) => `[${e.id}]: ${e.tag ?? '<element>'} ${JSON.stringify(e.text ?? '')}`).join('\n');
}
