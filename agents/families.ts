import { generic } from './generic/index.ts';
import { glm41vThinking, glm41vThinkingMobile, glm41vThinkingSom } from './glm-4.1v-thinking/index.ts';
import { glm45v, glm45vMobile, glm45vNoThink, glm45vSom } from './glm-4.5v/index.ts';
import { glm46v, glm46vFlash, glm46vFlashNoThink, glm46vNoThink } from './glm-4.6v/index.ts';
import type { ModelProfile } from './profile/profile.ts';
import { qwen25vl, qwen25vlMobile } from './qwen2.5-vl/index.ts';
import { qwen3vl, qwen3vlMobile } from './qwen3-vl/index.ts';
import { uiTars10 } from './ui-tars-1.0/index.ts';
import { uiTars15, uiTars15Mobile } from './ui-tars-1.5/index.ts';
import { uiTars2, uiTars2Mobile } from './ui-tars-2/index.ts';

/** Family name (as given to --family) → profile. One line per family. */
export const PROFILES: Readonly<Record<string, ModelProfile>> = Object.fromEntries(
  [
    glm41vThinking,
    glm41vThinkingSom,
    glm41vThinkingMobile,
    glm45v,
    glm45vNoThink,
    glm45vSom,
    glm45vMobile,
    glm46v,
    glm46vNoThink,
    glm46vFlash,
    glm46vFlashNoThink,
    uiTars10,
    uiTars15,
    uiTars15Mobile,
    uiTars2,
    uiTars2Mobile,
    qwen25vl,
    qwen25vlMobile,
    qwen3vl,
    qwen3vlMobile,
    generic,
  ].map((p) => [p.family, p]),
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

/**
 * The family of a served model name, for --family auto: the first family whose name pattern
 * matches (plain variants before :som and :nothink ones), or undefined.
 */
export function familyForModel(model: string): ModelProfile | undefined {
  return Object.values(PROFILES).find((p) => !p.family.includes(':') && p.recognize?.test(model));
}
