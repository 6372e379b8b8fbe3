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
