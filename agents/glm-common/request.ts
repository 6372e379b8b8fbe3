/**
 * What every GLM-V GUI agent sends with a request, as the official examples do
 * (zai-org/GLM-V examples/gui-agent/glm-41v/gui_agent_41v.py and glm-45v/gui_agent_45v.py,
 * `call_openai_api`): temperature 0.001, up to 8192 new tokens, and special tokens kept so the
 * `<|begin_of_box|>` … `<|end_of_box|>` around the action survive into the text.
 */
export const GLM_REQUEST = { maxTokens: 8192, temperature: 0.001, extra: { skip_special_tokens: false } };

/** The thinking switch of the hybrid models (GLM-V README: chat_template_kwargs.enable_thinking). */
export function glmThinkingSwitch(thinking: boolean): Record<string, unknown> {
  return { chat_template_kwargs: { enable_thinking: thinking } };
}

/** GLM-4.1V's own way out of endless thinking (inference/trans_infer_bench.py): close it with `</think><answer>` and continue. */
export const GLM_FORCE_ANSWER = { budgetTokens: 4096, answerTokens: 1024, forceAnswer: 'glm-answer-tag' } as const;

/** What GLM is asked after a rejected answer: to answer again with one valid action, written `where`. */
export const glmRepair = (where: string) => `Look at the screenshot again and answer with exactly one valid action ${where}.`;

/** How each generation is served (the GLM-V README's commands, with room for the history screenshots). */
export const GLM_SERVING = {
  '4.1v': 'vllm serve zai-org/GLM-4.1V-9B-Thinking --limit-mm-per-prompt \'{"image": 32}\' --reasoning-parser glm45 --max-model-len 32768',
  '4.5v': 'vllm serve zai-org/GLM-4.5V --tool-call-parser glm45 --reasoning-parser glm45 --enable-auto-tool-choice --served-model-name glm-4.5v',
  '4.6v': 'vllm serve zai-org/GLM-4.6V --tool-call-parser glm45 --reasoning-parser glm45 --enable-auto-tool-choice --served-model-name glm-4.6v (GLM-4.6V-Flash: zai-org/GLM-4.6V-Flash, --served-model-name glm-4.6v-flash)',
} as const;
