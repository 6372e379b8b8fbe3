import type { Action, ActionInput } from '../../src/core/actions.ts';
import type { ChatImage, ChatMessage, ToolCall, ToolSpec } from '../../src/core/model-client.ts';
import type { SmartResizeOptions } from '../../kernels/smart-resize.ts';
import type { CoordinateMapper } from './parsing/coordinates.ts';
import type { FamilySimulator } from './simulate.ts';

/**
 * How a family writes coordinates.
 * - thousandths: fractions of the sent image's width/height times 1000 (GLM, UI-TARS 1.0 and 2, Qwen3-VL computer_use, generic).
 * - relative-999: fractions times 999, the largest value being the far edge (Qwen3-VL mobile_use: `x / 999 * width`).
 * - sent-pixels: absolute pixels of the smart-resized image the model was sent (UI-TARS-1.5, Qwen2.5-VL).
 */
export type CoordinateSpace = 'thousandths' | 'relative-999' | 'sent-pixels';

/** An element the model can name by number (set-of-marks); box in frame pixels. */
export interface MarkedElement {
  id: number;
  box: [number, number, number, number];
  /** What the element is: `<button> "Sign in"`. */
  tag?: string;
  text?: string;
}

/** One earlier step as the prompt tells it: thinking is never carried over. */
export interface PromptHistoryStep {
  index: number;
  instruction?: string;
  /** What was performed (targets in frame pixels). */
  actions: Action[];
  /** The actions, described without coordinates (for steps no model reply explains). */
  summary: string;
  outcome: string;
  /** The earlier screenshot at history size, when the policy resends it. */
  image?: ChatImage;
  /** The model's own answer at that step, thinking removed (official agents send it back). */
  reply?: { answer: string; toolCalls?: ToolCall[] };
  /** The memory the model kept at that step. */
  memory?: string;
}

export interface PromptContext {
  /** The current instruction: the scripted step in words, or the goal. */
  instruction: string;
  goal?: string;
  /** True when the instruction is one scripted step of a longer script. */
  stepMode: boolean;
  history: PromptHistoryStep[];
  /** The current screenshot exactly as it is sent. */
  image: ChatImage;
  /** Set-of-marks mode: the numbered elements drawn on the image. */
  elements?: MarkedElement[];
  /** What is being operated: a web page in a browser or a desktop. */
  platform: 'browser' | 'desktop';
  /** The page's address, in a browser. */
  url?: string;
  /** The latest memory the model kept (GLM), if any. */
  memory?: string;
  /** The language the task is written in, for families that ask the model to think in it. */
  language: 'English' | 'Chinese';
}

export interface ParseContext {
  map: CoordinateMapper;
  elements?: MarkedElement[];
  /** Function calls the server parsed out of the reply (tool-calling families). */
  toolCalls?: ToolCall[];
  /** Where the pointer was left by the last step, in frame pixels (Qwen's drag starts there). */
  pointer?: [number, number];
}

export interface ParsedReply {
  reasoning?: string;
  /** Canonical actions (targets in frame pixels), not yet validated by the action schema. */
  actions: ActionInput[];
  /** What the model asked to remember, given back next step. */
  memory?: string;
  notes?: Record<string, unknown>;
}

/** How the prompt carries earlier steps. Earlier thinking is always dropped. */
export interface HistoryPolicy {
  /** Earlier steps written into the prompt (the oldest dropped first). */
  maxSteps: number;
  /** Earlier screenshots resent (most recent first to be kept). */
  maxImages: number;
  /** Linear size of a history screenshot relative to the current one (GLM: 0.5). */
  imageScale: number;
}

export interface ThinkingPolicy {
  /** Reasoning tokens allowed before the client stops the model and forces an answer. */
  budgetTokens: number;
  /** Tokens allowed for the forced answer. */
  answerTokens: number;
  /**
   * How to force an answer. 'glm-answer-tag': resend the thinking as the assistant's text with
   * `</think><answer>` appended and continue generation (vLLM/SGLang continue_final_message).
   */
  forceAnswer: 'glm-answer-tag';
}

/** Everything handeye knows about one model family, as data plus three pure functions. */
export interface ModelProfile {
  /** Registry name, e.g. "glm-4.1v-thinking" or "glm-4.1v-thinking:som". */
  family: string;
  description: string;
  resize: SmartResizeOptions;
  image: { format: 'jpeg' | 'png'; quality: number };
  coordinates: CoordinateSpace;
  /** 'current-first': current screenshot, then history (GLM-4.1V); 'current-last': history interleaved, current last. */
  imageOrder: 'current-first' | 'current-last';
  history: HistoryPolicy;
  /** Set-of-marks: number the elements on the screenshot and let the model name them. */
  setOfMarks?: boolean;
  request: {
    maxTokens: number;
    temperature: number;
    /** Vendor body fields (skip_special_tokens, chat_template_kwargs, ...). */
    extra?: Record<string, unknown>;
    /** JSON Schema for structured output, where the server supports it. */
    jsonSchema?: Record<string, unknown>;
    /** Functions declared through the OpenAI `tools` field (native function calling). */
    tools?: ToolSpec[];
  };
  /** Served model names this family recognises, for `--family auto`. */
  recognize?: RegExp;
  /** How to serve it (vLLM / SGLang flags), for the README and error messages. */
  serving?: string;
  /** What a faithful server of this family does: reads a request back and answers in the family's format (tests). */
  simulator: FamilySimulator;
  thinking?: ThinkingPolicy;
  buildMessages(ctx: PromptContext): ChatMessage[];
  /** Parses a reply into canonical actions in frame pixels; throws ReplyParseError. Tool calls come in ctx.toolCalls. */
  parse(text: string, reasoning: string | undefined, ctx: ParseContext): ParsedReply;
  /** The user message that asks the model to fix an answer that could not be used. */
  repairPrompt(feedback: string): string;
}

/** A family as it declares itself: what differs from the defaults, and what to say after a rejected answer. */
export type ProfileSpec = Omit<ModelProfile, 'image' | 'history' | 'repairPrompt'> & {
  /** Default: JPEG at quality 85. */
  image?: ModelProfile['image'];
  /** Default: 12 steps of history text, no history images. */
  history?: Partial<HistoryPolicy>;
  /** What the model should do instead, after "Your previous answer could not be used: <why>". */
  repair: string;
};

/** A profile from its spec: the defaults most families share filled in. */
export function defineProfile(spec: ProfileSpec): ModelProfile {
  const { repair, history, image, ...rest } = spec;
  return {
    image: image ?? { format: 'jpeg', quality: 85 },
    history: { maxSteps: 12, maxImages: 0, imageScale: 1, ...history },
    ...rest,
    repairPrompt: (feedback) => `Your previous answer could not be used: ${feedback}\n${repair}`,
  };
}

/** A reply that cannot be turned into actions; its message is fed back to the model for repair. */
export class ReplyParseError extends Error {
  override name = 'ReplyParseError';
  constructor(
    message: string,
    readonly reply?: string,
  ) {
    super(message);
  }
}
