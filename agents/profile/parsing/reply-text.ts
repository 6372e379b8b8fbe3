/** Splitting a reply into thinking and answer, the way GLM-style models write it (with or without special tokens). */

export interface SplitReply {
  reasoning?: string;
  /** The answer text with <answer> tags removed. */
  answer: string;
  /** True when the text opened <think> and never closed it (cut off by a token limit). */
  thinkingUnfinished: boolean;
}

export const BEGIN_BOX = '<|begin_of_box|>';
export const END_BOX = '<|end_of_box|>';

function joinReasoning(a: string | undefined, b: string | undefined): string | undefined {
  const parts = [a, b].map((s) => s?.trim()).filter((s): s is string => !!s);
  return parts.length ? parts.join('\n') : undefined;
}

/**
 * Separates thinking from the answer. Servers with a reasoning parser send thinking in a
 * separate field; others leave `<think>…</think>` in the text, sometimes without the opening
 * tag (the chat template put it in the prompt). Leftover `<answer>` tags are removed.
 */
export function splitThinking(text: string, reasoningField?: string): SplitReply {
  let rest = text;
  let inline: string | undefined;
  let unfinished = false;
  const open = rest.indexOf('<think>');
  const close = rest.indexOf('</think>');
  if (close >= 0) {
    inline = rest.slice(open >= 0 && open < close ? open + '<think>'.length : 0, close);
    rest = (open > 0 && open < close ? rest.slice(0, open) : '') + rest.slice(close + '</think>'.length);
  } else if (open >= 0) {
    inline = rest.slice(open + '<think>'.length);
    rest = rest.slice(0, open);
    unfinished = true;
  }
  const answer = rest.replace(/<\/?answer>/g, '').trim();
  return { reasoning: joinReasoning(reasoningField, inline), answer, thinkingUnfinished: unfinished };
}

/** Contents of every `<|begin_of_box|>…<|end_of_box|>` span (an unclosed last span runs to the end). */
export function boxedSpans(answer: string): string[] {
  const spans: string[] = [];
  let i = 0;
  for (;;) {
    const b = answer.indexOf(BEGIN_BOX, i);
    if (b < 0) break;
    const e = answer.indexOf(END_BOX, b);
    spans.push(answer.slice(b + BEGIN_BOX.length, e < 0 ? undefined : e).trim());
    if (e < 0) break;
    i = e + END_BOX.length;
  }
  return spans;
}

/** Removes box tokens wherever they are, for replies whose spans are not needed. */
export function stripBoxTokens(s: string): string {
  return s.split(BEGIN_BOX).join('').split(END_BOX).join('');
}

/** The text after a label such as "Memory:" (ASCII or full-width colon), up to the next known label. */
export function labelled(text: string, label: string, nextLabels: readonly string[] = []): string | undefined {
  const re = new RegExp(`(?:^|\\n|\\s)${label}\\s*[:：]`, 'i');
  const m = re.exec(text);
  if (!m) return undefined;
  let body = text.slice(m.index + m[0].length);
  for (const n of nextLabels) {
    const nm = new RegExp(`(?:^|\\n|\\s)${n}\\s*[:：]`, 'i').exec(body);
    if (nm) body = body.slice(0, nm.index);
  }
  return body.trim();
}
