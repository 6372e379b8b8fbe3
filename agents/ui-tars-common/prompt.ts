import type { PromptContext } from '../profile/profile.ts';
import { taskText } from '../profile/prompt-parts.ts';
import { SCREEN_TEXT_RULE } from '../profile/screen-text-rule.ts';
import { between } from '../profile/simulate.ts';

/**
 * The UI-TARS prompt skeletons, each with its official template's whitespace (the spacing is
 * part of what the model saw in training): `computer` of COMPUTER_USE / COMPUTER_USE_DOUBAO
 * (bytedance/UI-TARS codes/prompts.py, codes/ui_tars/prompt.py), `mobile` of MOBILE_USE /
 * MOBILE_USE_DOUBAO, `call-user` of OSWorld's UITARS_USR_PROMPT_THOUGHT (mm_agents/uitars_agent.py).
 * The sentences and notes are ours; the action spaces come from each family.
 */
export type UiTarsTemplate = 'computer' | 'mobile' | 'call-user';

const OPENING = 'You are a GUI agent. You get a task and your action history with screenshots, and you perform the next action toward completing the task.';
const OUTPUT_FORMAT = '## Output Format\n```\nThought: ...\nAction: ...\n```';

function notes(ctx: PromptContext, extra: string[]): string {
  const lines = [`Write the \`Thought\` part in ${ctx.language}.`, 'In `Thought`, make a short plan, then end with one sentence naming your next action and the element it targets.', ...extra, SCREEN_TEXT_RULE];
  return `## Note\n${lines.map((l) => `- ${l}`).join('\n')}`;
}

export function uiTarsPrompt(template: UiTarsTemplate, actionSpace: string, ctx: PromptContext, extraNotes: string[] = []): string {
  const instruction = `## User Instruction\n${taskText(ctx)}\n`;
  switch (template) {
    case 'computer':
      return `${OPENING}\n\n${OUTPUT_FORMAT}\n\n## Action Space\n\n${actionSpace}\n\n\n${notes(ctx, extraNotes)}\n\n${instruction}`;
    case 'mobile':
      return `${OPENING} \n${OUTPUT_FORMAT}\n## Action Space\n\n${actionSpace}\n\n\n${notes(ctx, extraNotes)}\n\n${instruction}`;
    case 'call-user':
      return `${OPENING} \n\n${OUTPUT_FORMAT}\n\n## Action Space\n${actionSpace}\n\n${notes(ctx, extraNotes)}\n\n${instruction}`;
  }
}

/** The task as a UI-TARS prompt carries it (what a simulator reads back). */
export const uiTarsInstruction = (prompt: string): string => between(prompt, '## User Instruction\n').replace(/\n$/, '');
