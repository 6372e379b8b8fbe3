import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Document, isSeq } from 'yaml';
import type { PixelBox } from '../../kernels/ocr/types.ts';
import { parseTask, type Task } from '../core/task.ts';
import type { CompiledStep } from './compile-actions.ts';
import type { Screen } from './screen.ts';

/** Writing a compiled task: the YAML (readable, with a comment per step) and its template crops. */

/** Writes a file whole or not at all: a temporary file renamed over the target. */
export function writeAtomic(file: string, data: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** The PNG of a box of a screen, as a template image. */
export async function cropPng(screen: Screen, box: PixelBox): Promise<Buffer> {
  const [x1, y1, x2, y2] = box.map(Math.round);
  return sharp(Buffer.from(screen.rgb.data.buffer, screen.rgb.data.byteOffset, screen.rgb.data.byteLength), { raw: { width: screen.rgb.width, height: screen.rgb.height, channels: 3 } })
    .extract({ left: x1, top: y1, width: Math.max(1, x2 - x1), height: Math.max(1, y2 - y1) })
    .png()
    .toBuffer();
}

/** The YAML text of a task, with a header comment and the note of each step above it. */
export function taskYaml(task: Record<string, unknown>, header: string[], notes: string[]): string {
  const doc = new Document(task);
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  const steps = doc.get('steps');
  if (isSeq(steps)) steps.items.forEach((item, i) => notes[i] && ((item as { commentBefore?: string }).commentBefore = ` ${notes[i]}`));
  return doc.toString({ lineWidth: 0 });
}

/** The task the compiled file holds: as written (no defaults filled in), and as validated like any task file. */
export function compiledTask(base: Partial<Task> & Pick<Task, 'id' | 'app'>, steps: CompiledStep[], description: string): { value: Record<string, unknown>; task: Task } {
  const value: Record<string, unknown> = {
    id: `${base.id}-compiled`.slice(0, 120),
    description,
    ...(base.category ? { category: base.category } : {}),
    app: base.app,
    ...(base.setup?.length ? { setup: base.setup } : {}),
    steps: steps.map((s) => s.step),
    ...(base.success?.length ? { success: base.success } : {}),
    // Each step may take several looks (a scroll until, a checked click): room for them.
    maxSteps: Math.min(1000, Math.max(base.maxSteps ?? 15, 4 * steps.length + 10)),
    timeoutMs: base.timeoutMs ?? 120_000,
    ...(base.policy ? { policy: base.policy } : {}),
  };
  return { value, task: parseTask(value, 'the compiled task') };
}

/** Writes the template crops, then the task file (so a task never names a crop that is not there). */
export async function writeCompiled(out: string, yaml: string, steps: CompiledStep[]): Promise<string[]> {
  const written: string[] = [];
  for (const s of steps) {
    for (const t of s.templates) {
      const file = path.join(path.dirname(out), t.file);
      writeAtomic(file, await cropPng(t.screen, t.box));
      written.push(file);
    }
  }
  writeAtomic(out, yaml);
  return written;
}
