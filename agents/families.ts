import { glm41vThinking, glm41vThinkingSom } from './glm-4.1v-thinking/index.ts';
import { glm45v, glm45vNoThink } from './glm-4.5v/index.ts';
import { generic } from './generic/index.ts';
import type { ModelProfile } from './profile/profile.ts';
import { qwen25vl } from './qwen2.5-vl/index.ts';
import { uiTars15 } from './ui-tars-1.5/index.ts';

/** Family name (as given to --family) → profile. */
export const PROFILES: Readonly<Record<string, ModelProfile>> = Object.fromEntries(
  [glm41vThinking, glm41vThinkingSom, glm45v, glm45vNoThink, uiTars15, qwen25vl, generic].map((p) => [p.family, p]),
);

export const FAMILIES = Object.keys(PROFILES);

export class UnknownFamilyError extends Error {
  override name = 'UnknownFamilyError';
}

export function getProfile(family: string): ModelProfile {
  const p = PROFILES[family];
  if (!p) throw new UnknownFamilyError(`unknown model family ${JSON.stringify(family)}; known families: ${FAMILIES.join(', ')}`);
  return p;
}
