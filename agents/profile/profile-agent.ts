import type { Agent, DecideInput, Decision, HistoryEntry } from '../../src/core/agent.ts';
import { AgentError } from '../../src/core/agent.ts';
import type { ChatImage, ChatMessage, CompletionResult, EndpointStat, ModelClient, Usage } from '../../src/core/model-client.ts';
import type { Frame } from '../../src/core/frame.ts';
import { alignTypingWithStep, stepInstruction, stepIsComplete } from './instruction-text.ts';
import { defaultElementSource, type ElementSource } from './marks.ts';
import { CoordinateMapper } from './parsing/coordinates.ts';
import { splitThinking } from './parsing/reply-text.ts';
import type { MarkedElement, ModelProfile, PromptContext, PromptHistoryStep } from './profile.ts';
import { ReplyParseError } from './profile.ts';
import { languageOf, summarizeAction } from './prompt-parts.ts';
import { prepareSentImage } from './sent-image.ts';

export interface ProfileAgentOptions {
  profile: ModelProfile;
  client: ModelClient;
  /** Set-of-marks element source; defaults to the DOM in a browser, OCR elsewhere. */
  elements?: ElementSource;
  /** Overrides the profile's thinking budget (tokens); 0 disables forcing. */
  thinkingBudgetTokens?: number;
}

/** How a model client fails (OpenAiClient's ModelClientError, read structurally: agents do not import clients). */
interface ClientFailure {
  message: string;
  retryable?: boolean;
  kind?: string;
  status?: number;
  requests?: unknown[];
}

/** A server that refuses the connection, a bad URL or key, a model it does not serve: no retry will help. */
function unreachable(f: ClientFailure): boolean {
  return f.kind === 'connection' || f.kind === 'config' || (f.kind === 'http' && (f.status === 401 || f.status === 403 || f.status === 404));
}

/** A finished model call as the agent keeps it: thinking separated, for repair prompts without thinking. */
interface LastReply {
  messages: ChatMessage[];
  answer: string;
}

/**
 * The agent for every VLM family: it sends the screenshot at exactly the size the server will
 * use, builds the family's prompt, calls the model, forces an answer when thinking runs past
 * its budget, and parses the reply into actions in frame pixels.
 */
export class ProfileAgent implements Agent {
  readonly name: string;
  /** Everything a prompt needs comes from the input; `last` only serves the repair of the reply it holds. */
  readonly stateless = true;
  private readonly historyImages = new WeakMap<Frame, Promise<ChatImage>>();
  private last: LastReply | undefined;

  constructor(private readonly options: ProfileAgentOptions) {
    this.name = `vlm:${options.profile.family}`;
  }

  private historyImage(frame: Frame): Promise<ChatImage> {
    let p = this.historyImages.get(frame);
    if (!p) {
      p = prepareSentImage(frame, this.options.profile, { scale: this.options.profile.history.imageScale });
      this.historyImages.set(frame, p);
    }
    return p;
  }

  private async history(entries: HistoryEntry[]): Promise<PromptHistoryStep[]> {
    const policy = this.options.profile.history;
    const kept = entries.slice(-policy.maxSteps);
    const withImages = new Set(kept.filter((h) => h.frame).slice(-policy.maxImages));
    return Promise.all(
      kept.map(async (h) => ({
        index: h.index,
        instruction: h.step ? stepInstruction(h.step) : h.instruction,
        actions: h.actions,
        summary: h.actions.length ? h.actions.map(summarizeAction).join(', then ') : 'no action',
        outcome: h.outcome,
        ...(withImages.has(h) ? { image: await this.historyImage(h.frame!) } : {}),
        // Thinking is never sent back: only the answer the model showed.
        ...(h.reply ? { reply: { answer: splitThinking(h.reply.text).answer, ...(h.reply.toolCalls ? { toolCalls: h.reply.toolCalls } : {}) } } : {}),
        ...(h.memory !== undefined ? { memory: h.memory } : {}),
      })),
    );
  }

  private async call(messages: ChatMessage[], input: DecideInput, extra: { maxTokens?: number; extra?: Record<string, unknown>; budget?: number } = {}): Promise<CompletionResult & { finishReason?: string }> {
    const p = this.options.profile;
    try {
      return await this.options.client.complete({
        messages,
        maxTokens: extra.maxTokens ?? p.request.maxTokens,
        temperature: p.request.temperature,
        jsonSchema: p.request.jsonSchema,
        tools: p.request.tools,
        extra: { ...p.request.extra, ...extra.extra },
        signal: input.signal,
        ...(extra.budget ? { reasoningBudgetTokens: extra.budget } : {}),
      });
    } catch (e) {
      const f = e as ClientFailure;
      const notes = f.requests?.length ? { requests: f.requests } : undefined;
      // The client has retried what a retry can fix; a server that cannot be reached is not asked again.
      if (unreachable(f)) throw new AgentError(`${this.options.client.name} engine: ${f.message}`, false, { notes, unreachable: 'model' });
      if (p.request.tools && f.kind === 'http' && f.status === 400) {
        // A server started without a tool-call parser refuses the tools field.
        const how = p.serving ? ` Serve it as the README says: ${p.serving}` : '';
        throw new AgentError(`${this.options.client.name} engine: ${f.message} (the ${p.family} family calls tools natively: the server must parse tool calls.${how})`, false, { notes, unreachable: 'model' });
      }
      throw new AgentError(`${this.options.client.name} engine: ${f.message}`, f.retryable ?? false, { notes });
    }
  }

  /** Everything the family's prompt is built from: the sent image, history, marks, page and memory. */
  private async promptContext(input: DecideInput, instruction: string): Promise<PromptContext> {
    const p = this.options.profile;
    let elements: MarkedElement[] | undefined;
    if (p.setOfMarks) elements = await (this.options.elements ?? defaultElementSource)(input);
    const [image, history] = await Promise.all([prepareSentImage(input.frame, p, { elements }), this.history(input.history)]);
    const memory = [...input.history].reverse().find((h) => h.memory !== undefined)?.memory;
    return {
      instruction,
      goal: input.goal,
      stepMode: !!input.step,
      history,
      image,
      elements,
      platform: input.executor?.kind ?? 'browser',
      url: input.executor?.currentUrl?.(),
      language: languageOf(input.goal ?? instruction),
      ...(memory !== undefined ? { memory } : {}),
    };
  }

  async decide(input: DecideInput): Promise<Decision> {
    const p = this.options.profile;
    const started = performance.now();
    const instruction = input.step ? stepInstruction(input.step) : input.goal ?? '';
    if (!instruction) throw new AgentError('nothing to do: the input has neither a goal nor a step');
    const ctx = await this.promptContext(input, instruction);
    const { image, elements } = ctx;
    let messages = p.buildMessages(ctx);
    const notes: Record<string, unknown> = { sentSize: [image.width, image.height], family: p.family };
    if (elements) notes.marks = elements.map((e) => ({ id: e.id, box: e.box }));
    if (input.feedback && this.last) {
      // Repair: the model sees its own answer (thinking dropped) and why it could not be used.
      messages = [...this.last.messages, { role: 'assistant', content: this.last.answer || '(no answer)' }, { role: 'user', content: p.repairPrompt(input.feedback) }];
      notes.repair = input.feedback;
    }
    const budget = p.thinking ? (this.options.thinkingBudgetTokens ?? p.thinking.budgetTokens) : 0;
    const first = await this.call(messages, input, budget ? { budget, maxTokens: Math.min(p.request.maxTokens, budget + p.thinking!.answerTokens) } : {});
    if ((first.requests?.length ?? 0) > 1) notes.requests = first.requests;
    let text = first.text;
    let reasoning = first.reasoning;
    let toolCalls = first.toolCalls;
    let usage: Usage | undefined = first.usage;
    let modelMs = first.timings.totalMs;
    const split = splitThinking(first.text, first.reasoning);
    const unfinished = split.thinkingUnfinished || (!split.answer && (first.finishReason === 'length' || first.finishReason === 'reasoning_budget'));
    if (p.thinking && budget && unfinished) {
      // The GLM way: close the thinking, open the answer, and let the model continue from there.
      const thought = split.reasoning ?? '';
      const prefix = `<think>${thought}</think><answer>`;
      const forced = await this.call([...messages, { role: 'assistant', content: prefix }], input, {
        maxTokens: p.thinking.answerTokens,
        extra: { continue_final_message: true, add_generation_prompt: false },
      });
      text = prefix + forced.text;
      toolCalls = forced.toolCalls ?? toolCalls;
      reasoning = thought;
      modelMs += forced.timings.totalMs;
      usage = usage && forced.usage ? { inputTokens: usage.inputTokens + forced.usage.inputTokens, outputTokens: usage.outputTokens + forced.usage.outputTokens } : usage ?? forced.usage;
      notes.forcedAnswer = { budgetTokens: budget, reason: first.finishReason ?? 'thinking unfinished', thinkingChars: thought.length };
    }
    const map = new CoordinateMapper(p.coordinates, { frameWidth: input.frame.width, frameHeight: input.frame.height, sentWidth: image.width, sentHeight: image.height });
    const base: Decision = {
      actions: [],
      raw: text,
      ...(toolCalls?.length ? { toolCalls } : {}),
      sentImage: image,
      ...(usage ? { usage } : {}),
      timings: { modelMs, ...(first.timings.firstTokenMs !== undefined ? { firstTokenMs: first.timings.firstTokenMs } : {}) },
      notes,
    };
    const answerOnly = splitThinking(text, reasoning);
    this.last = { messages, answer: answerOnly.answer };
    try {
      const parsed = p.parse(text, reasoning, { map, elements, toolCalls, pointer: lastPointer(input.history) });
      const aligned = alignTypingWithStep(input.step, parsed.actions as Array<Record<string, unknown>>);
      if (aligned) notes.submitFromStep = aligned;
      Object.assign(notes, parsed.notes, { clientMs: performance.now() - started - modelMs });
      return {
        ...base,
        actions: parsed.actions,
        reasoning: parsed.reasoning,
        ...(parsed.memory !== undefined ? { memory: parsed.memory } : {}),
        stepComplete: stepIsComplete(input.step, parsed.actions),
      };
    } catch (e) {
      if (!(e instanceof ReplyParseError)) throw e;
      // No action: the loop feeds the parse error back as feedback for a repair.
      return { ...base, reasoning: answerOnly.reasoning, stepComplete: false, parseError: { message: e.message } };
    }
  }

  /** Per server, when the client spreads its calls over several (else empty). */
  endpointStats(since?: EndpointStat[]): EndpointStat[] {
    return this.options.client.endpointStats?.(since) ?? [];
  }

  async close(): Promise<void> {
    await this.options.client.close?.();
  }
}

/** Where the pointer was left: the last target an earlier step acted on, in frame pixels. */
function lastPointer(history: HistoryEntry[]): [number, number] | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    for (let j = history[i].actions.length - 1; j >= 0; j--) {
      const a = history[i].actions[j];
      const t = a.action === 'drag' ? a.to : 'target' in a ? a.target : undefined;
      if (t) return t.point ?? [(t.box![0] + t.box![2]) / 2, (t.box![1] + t.box![3]) / 2];
    }
  }
  return undefined;
}

export function createProfileAgent(options: ProfileAgentOptions): ProfileAgent {
  return new ProfileAgent(options);
}
