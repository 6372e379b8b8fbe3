import type { SecretStore } from '../core/secrets.ts';
import { TraceWriter } from '../core/trace.ts';
import type { RunHeader, StepRecord, Summary } from '../core/trace-schema.ts';

/**
 * A trace writer that scrubs every secret value from what it writes: a secret typed into a
 * visible field can come back in OCR notes, page text or error messages, and must not reach disk.
 */
export class RedactingTraceWriter extends TraceWriter {
  constructor(
    dir: string,
    private readonly secrets: SecretStore,
  ) {
    super(dir);
  }

  override header(h: RunHeader): void {
    super.header(this.secrets.redactDeep(h));
  }

  override step(record: StepRecord): void {
    super.step(this.secrets.redactDeep(record));
  }

  override finish(summary: Summary): void {
    super.finish(this.secrets.redactDeep(summary));
  }
}
