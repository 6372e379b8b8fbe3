import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from './frame.ts';
import type { ChatImage } from './model-client.ts';
import { redactProcessSecrets } from './secrets.ts';
import {
  RunHeaderSchema,
  StepRecordSchema,
  SummarySchema,
  TraceLineSchema,
  type RunHeader,
  type StepRecord,
  type Summary,
} from './trace-schema.ts';

export class TraceError extends Error {
  override name = 'TraceError';
}

/**
 * Writes a run's trace directory: trace.jsonl appended with a synchronous write per record
 * (so a killed process leaves every finished step on disk), frames/ with the images as sent,
 * summary.json written atomically at the end.
 */
export class TraceWriter {
  private fd: number | undefined;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    try {
      mkdirSync(path.join(this.dir, 'frames'), { recursive: true });
      if (existsSync(path.join(this.dir, 'trace.jsonl'))) {
        throw new TraceError(`${this.dir} already holds a trace; choose another --trace directory`);
      }
      this.fd = openSync(path.join(this.dir, 'trace.jsonl'), 'a');
    } catch (e) {
      if (e instanceof TraceError) throw e;
      throw new TraceError(`cannot write the trace at ${this.dir}: ${(e as Error).message}`);
    }
  }

  private append(line: unknown): void {
    if (this.fd === undefined) throw new TraceError('trace is closed');
    // Whatever a record holds (an echoed error, a reply), the process's secrets never reach the disk.
    writeSync(this.fd, redactProcessSecrets(JSON.stringify(line)) + '\n');
  }

  header(h: RunHeader): void {
    this.append(RunHeaderSchema.parse(h));
  }

  /** Saves a frame image; returns its path relative to the trace directory. */
  saveFrame(name: string, image: { image: Buffer; format: Frame['format'] } | ChatImage): string {
    const ext = 'format' in image ? (image.format === 'png' ? 'png' : 'jpg') : image.mime === 'image/png' ? 'png' : 'jpg';
    const data = 'format' in image ? image.image : image.data;
    const rel = `frames/${name}.${ext}`;
    try {
      writeFileSync(path.join(this.dir, rel), data);
    } catch (e) {
      // A full disk must not kill the run: the step records that its frame is missing.
      return `(not written: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    return rel;
  }

  step(record: StepRecord): void {
    this.append(StepRecordSchema.parse(record));
  }

  /** Writes the end record and summary.json, then closes. Safe to call once. */
  finish(summary: Summary): void {
    const s = SummarySchema.parse(summary);
    this.append({ type: 'end', ...s });
    const file = path.join(this.dir, 'summary.json');
    writeFileSync(file + '.tmp', redactProcessSecrets(JSON.stringify(s, null, 2)) + '\n');
    renameSync(file + '.tmp', file);
    this.close();
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } catch {
      /* fsync is best effort: the data is already in the kernel */
    }
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface ReadTrace {
  dir: string;
  header?: RunHeader;
  steps: StepRecord[];
  summary?: Summary;
  /** Lines that did not parse (a run killed mid-write leaves at most one, the last). */
  damaged: number;
}

/** Reads a trace directory, tolerating a truncated last line. */
export function readTrace(dir: string): ReadTrace {
  const file = path.join(dir, 'trace.jsonl');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TraceError(`no trace at ${dir} (expected ${file})`);
  }
  const out: ReadTrace = { dir: path.resolve(dir), steps: [], damaged: 0 };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.damaged++;
      continue;
    }
    const r = TraceLineSchema.safeParse(value);
    if (!r.success) {
      out.damaged++;
      continue;
    }
    const rec = r.data;
    if (rec.type === 'run') out.header = rec;
    else if (rec.type === 'step') out.steps.push(rec);
    else {
      const { type: _t, ...summary } = rec;
      out.summary = summary;
    }
  }
  const summaryFile = path.join(dir, 'summary.json');
  if (!out.summary && existsSync(summaryFile)) {
    const r = SummarySchema.safeParse(JSON.parse(readFileSync(summaryFile, 'utf8')));
    if (r.success) out.summary = r.data;
  }
  return out;
}

/** A fresh trace directory name: traces/<task>-<timestamp>. */
/** The file name (without extension) of step record `index`'s frame: step-000, step-001, ... */
export function stepFileName(index: number): string {
  return `step-${String(index).padStart(3, '0')}`;
}

export function defaultTraceDir(taskId: string, root = 'traces'): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
  return path.join(root, `${taskId}-${stamp}-${process.pid}`);
}
