import { findCalls } from '../profile/parsing/function-call.ts';
import { boxedSpans, stripBoxTokens } from '../profile/parsing/reply-text.ts';
import type { PromptHistoryStep } from '../profile/profile.ts';
import { GLM_DESKTOP_FUNCTIONS } from './desktop-grammar.ts';

/**
 * A GLM desktop answer as the official agents read it back into the next prompt
 * (gui_agent_41v.py / gui_agent_45v.py `parse_pc_response`): the explanation and action up to
 * "Memory:" with the box tokens removed, the action alone (the first boxed span, or the first
 * call when the tokens were stripped), and the memory after "Memory:".
 */
export interface GlmAnswerParts {
  /** Explanation and action, box tokens removed (GLM-4.1V's history item). */
  text: string;
  /** The explanation without the action (GLM-4.5V's "Thought:"). */
  thought: string;
  /** The action call as written. */
  action?: string;
  memory?: string;
}

const MEMORY = /(?:^|\n|\s)Memory\s*[:：]/;

export function glmAnswerParts(answer: string): GlmAnswerParts {
  const m = MEMORY.exec(answer);
  const body = m ? answer.slice(0, m.index) : answer;
  const memory = m ? answer.slice(m.index + m[0].length).trim() : undefined;
  const text = stripBoxTokens(body).trim();
  let action = boxedSpans(body)[0];
  if (!action) {
    const call = findCalls(text, GLM_DESKTOP_FUNCTIONS)[0];
    if (call) action = text.slice(call.start, call.end);
  }
  const thought = action ? text.split(action).join('').trim() : text;
  return { text, thought, ...(action ? { action } : {}), ...(memory !== undefined ? { memory } : {}) };
}

/** A history step's text when no reply of the model explains it (a step another agent took). */
export function glmFallbackText(h: PromptHistoryStep): string {
  return `(${h.summary}: ${h.outcome})`;
}
