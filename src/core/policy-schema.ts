import { readUserFile } from './user-file.ts';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ACTION_KINDS, formatIssues } from './actions.ts';

/**
 * "self" (the origin of the task's start page), "*" (any origin), or scheme://host[:port] where
 * the host may start with "*." (any subdomain) and the port may be "*".
 */
export const OriginPatternSchema = z
  .string()
  .regex(/^(self|\*|[a-z][a-z0-9+.-]*:\/\/(\*\.)?[^/*:\s]+(:(\d+|\*))?\/?)$/i, 'must be "self", "*" or scheme://host[:port], e.g. https://*.example.com or http://127.0.0.1:*');

const KeyChordSchema = z.union([
  z.string().min(1, 'must not be empty'),
  z.array(z.string().min(1, 'must not be empty')).min(1, 'a key chord needs at least one key'),
]);

/** A screen region in executor units (CSS px of the viewport in a browser, screen pixels on a desktop). */
export const RegionSchema = z
  .object({
    box: z
      .tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()])
      .refine(([x1, y1, x2, y2]) => x1 <= x2 && y1 <= y2, { message: 'box must be [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2' }),
    /** Shown in refusals: "the region 'taskbar'". */
    label: z.string().optional(),
  })
  .strict();

/** What an agent may do, per task (`policy:` in the task file) and globally (`--policy FILE`). */
export const PolicySchema = z
  .object({
    /** Origins the browser may navigate to (main frame and new tabs). Default: the task's own origin. */
    allowedOrigins: z.array(OriginPatternSchema).min(1).optional(),
    /** Origins a secret may be typed into. Default: the allowed origins. */
    secretOrigins: z.array(OriginPatternSchema).min(1).optional(),
    /** Key chords never pressed: "Control+Alt+Delete", ["Meta", "l"]. A chord that holds all of a forbidden chord's keys is refused. */
    forbiddenKeys: z.array(KeyChordSchema).default([]),
    /** Regions no click, drag, hover, scroll or targeted type may land in. */
    forbiddenRegions: z.array(RegionSchema).default([]),
    /** Action kinds that need a person's confirmation (API callback, CLI prompt or --yes); refused when nobody can confirm. */
    confirm: z.array(z.enum(ACTION_KINDS as [string, ...string[]])).default([]),
    /** Most characters one type action may enter (placeholders count as typed, not resolved). */
    maxTypeChars: z.number().int().positive().optional(),
  })
  .strict();

export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type Region = z.infer<typeof RegionSchema>;

export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
}

/** Parses a policy; a file may hold the fields at the top level or under `policy:`. */
export function parsePolicy(value: unknown, source = '<policy>'): Policy {
  const body = value && typeof value === 'object' && !Array.isArray(value) && 'policy' in value ? (value as { policy: unknown }).policy : value;
  const r = PolicySchema.safeParse(body ?? {});
  if (!r.success) throw new PolicyFileError(`${source}: ${formatIssues(r.error, body).join('; ')}`);
  return r.data;
}

export async function loadPolicyFile(file: string): Promise<Policy> {
  const read = await readUserFile(file);
  if ('problem' in read) throw new PolicyFileError(`${file}: ${read.problem}`);
  try {
    const doc = parseDocument(read.text);
    if (doc.errors.length) throw new PolicyFileError(`${file}: YAML ${doc.errors[0].message.split('\n')[0]}`);
    return parsePolicy(doc.toJS(), file);
  } catch (e) {
    if (e instanceof PolicyFileError) throw e;
    throw new PolicyFileError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * The policy in force: a global one and a task's own. Lists of forbidden things add up; limits
 * take the smaller; an origin must be allowed by every list that was given (a task cannot widen
 * what the global policy allows).
 */
export interface EffectivePolicy {
  originLists: string[][];
  secretOriginLists: string[][];
  forbiddenKeys: (string | string[])[];
  forbiddenRegions: Region[];
  confirm: readonly string[];
  maxTypeChars?: number;
}

export function mergePolicies(...policies: (Policy | undefined)[]): EffectivePolicy {
  const given = policies.filter((p): p is Policy => p !== undefined);
  const originLists = given.flatMap((p) => (p.allowedOrigins ? [p.allowedOrigins] : []));
  const secretLists = given.flatMap((p) => (p.secretOrigins ? [p.secretOrigins] : []));
  const limits = given.flatMap((p) => (p.maxTypeChars !== undefined ? [p.maxTypeChars] : []));
  return deepFreeze({
    originLists: originLists.length ? originLists : [['self']],
    secretOriginLists: secretLists.length ? secretLists : originLists.length ? originLists : [['self']],
    forbiddenKeys: given.flatMap((p) => p.forbiddenKeys),
    forbiddenRegions: given.flatMap((p) => p.forbiddenRegions),
    confirm: [...new Set(given.flatMap((p) => p.confirm))],
    maxTypeChars: limits.length ? Math.min(...limits) : undefined,
  });
}

/** The policy is data fixed before the run: nothing on the screen or in a reply can change it. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
