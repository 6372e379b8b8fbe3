/**
 * Secrets: `{{secret:NAME}}` placeholders in task files and goals. The model, the trace, the
 * report and the logs only ever see the placeholder; the value is read from the environment by
 * the executor at the moment it types, and only for names the task itself declares (a hostile
 * page cannot make the agent type `{{secret:AWS_SECRET_ACCESS_KEY}}` when the task never used it).
 */

export const SECRET_PLACEHOLDER = /\{\{secret:([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/** An action the policy refused at the last moment (in the executor); the loop records it as a refusal, not a crash. */
export class PolicyRefusalError extends Error {
  override name = 'PolicyRefusalError';
}

/** A secret that cannot be used: undeclared, unset, or not for this origin. The message never holds a value. */
export class SecretError extends PolicyRefusalError {
  override name = 'SecretError';
}

/**
 * Values this process must never write anywhere (the model server's API key, header values the
 * user supplied): every trace, summary, log line and error message is scrubbed of them, even
 * when a server echoes one back. Each is replaced by {{redacted:LABEL}}.
 */
const processSecrets = new Map<string, string>();

/** Marks a value as secret for the rest of the process; `label` says what it was (an environment variable's name). */
export function registerSecretValue(value: string | undefined, label: string): void {
  // Very short values would scrub ordinary words; no real key is that short.
  if (!value || value.length < 6) return;
  processSecrets.set(value, label);
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) processSecrets.set(escaped, label);
}

/** A text with every registered secret value replaced. */
export function redactProcessSecrets(text: string): string {
  let out = text;
  for (const [value, label] of processSecrets) if (out.includes(value)) out = out.split(value).join(`{{redacted:${label}}}`);
  return out;
}

/** The secret names a text refers to, in order of first use. */
export function secretNames(text: string): string[] {
  return [...new Set([...text.matchAll(SECRET_PLACEHOLDER)].map((m) => m[1]))];
}

export function hasSecret(text: string): boolean {
  return secretNames(text).length > 0;
}

/** Every placeholder name anywhere in a JSON-like value (a parsed task). */
export function secretNamesIn(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') for (const n of secretNames(v)) out.add(n);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return [...out];
}

export interface SecretStoreOptions {
  /** Names the task declares; only these may be resolved. */
  names: Iterable<string>;
  /** Where values come from; defaults to process.env (read at use, never copied). */
  env?: NodeJS.ProcessEnv;
  /** May a secret be typed into a page of this origin (undefined: a desktop, no origin)? */
  originAllowed?: (origin: string | undefined) => boolean;
}

/** What the executor needs: resolve placeholders for typing into a page of a given origin. */
export interface SecretResolver {
  /** The text with placeholders replaced by values; throws SecretError (no value in its message). */
  resolveForTyping(text: string, origin: string | undefined): string;
}

/** The task's secrets: resolution at typing time, and scrubbing of anything written out. */
export class SecretStore implements SecretResolver {
  readonly names: ReadonlySet<string>;
  private readonly env: NodeJS.ProcessEnv;
  private readonly originAllowed: (origin: string | undefined) => boolean;

  constructor(o: SecretStoreOptions) {
    this.names = new Set(o.names);
    this.env = o.env ?? process.env;
    this.originAllowed = o.originAllowed ?? (() => true);
  }

  /** Why this text may not be typed here, or undefined when it may. Checks without reading values' content. */
  refusal(text: string, origin: string | undefined): string | undefined {
    const names = secretNames(text);
    if (!names.length) return undefined;
    const undeclared = names.filter((n) => !this.names.has(n));
    if (undeclared.length) return `secret ${undeclared.map((n) => `{{secret:${n}}}`).join(', ')} is not used by this task; only secrets named in the task file can be typed`;
    const unset = names.filter((n) => this.env[n] === undefined || this.env[n] === '');
    if (unset.length) return `secret ${unset.join(', ')} is not set in the environment`;
    if (!this.originAllowed(origin)) return `secrets may not be typed into a page of ${origin ?? 'an unknown origin'}: the origin is not allowed by the policy`;
    return undefined;
  }

  /** The declared names whose environment variable is unset or empty. */
  unset(): string[] {
    return [...this.names].filter((n) => this.env[n] === undefined || this.env[n] === '');
  }

  resolveForTyping(text: string, origin: string | undefined): string {
    const why = this.refusal(text, origin);
    if (why) throw new SecretError(why);
    return text.replace(SECRET_PLACEHOLDER, (_m, name: string) => this.env[name] as string);
  }

  /** Values currently set for the declared names, longest first (so a value containing another is scrubbed whole). */
  private values(): [string, string][] {
    const out: [string, string][] = [];
    for (const n of this.names) {
      const v = this.env[n];
      if (v) out.push([n, v]);
    }
    return out.sort((a, b) => b[1].length - a[1].length);
  }

  /** Replaces every secret value in a string by its placeholder (and the process's secrets, see registerSecretValue). */
  redact(text: string): string {
    let out = text;
    for (const [name, value] of this.values()) if (out.includes(value)) out = out.split(value).join(`{{secret:${name}}}`);
    return redactProcessSecrets(out);
  }

  /** Deep copy of a JSON-like value with every string scrubbed (trace records, summaries). */
  redactDeep<T>(value: T): T {
    const values = this.values();
    if (!values.length && processSecrets.size === 0) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = walk(x);
        return o;
      }
      return v;
    };
    return walk(value) as T;
  }
}
