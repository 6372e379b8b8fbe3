import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import { describeStep, parseTaskYaml } from '../core/task.ts';
import type { CompiledStep } from './compile-actions.ts';
import type { Heal } from './heal.ts';
import { writeCompiled } from './write-task.ts';

/**
 * Writes healed steps back into the task file: each healed step is replaced by what the model
 * did, described by what is visible, with a comment saying what it was. The rest of the file
 * (other steps, comments) is kept as it was. Either the file itself or <name>.healed.yaml.
 */

export interface HealChange {
  stepIndex: number;
  from: string;
  to: string[];
  reason: string;
}

/** The file healed steps go to: the task file itself, or beside it with `.healed` before the extension. */
export function healedFile(taskFile: string, inPlace: boolean): string {
  return inPlace ? taskFile : taskFile.replace(/(\.ya?ml)$/i, '.healed$1');
}

/** `<task>.assets/healed-NN.png`, relative to the task file. */
export function healAssetFile(taskFile: string, n: number, stamp: string): string {
  return `${path.basename(taskFile).replace(/(\.task)?\.ya?ml$/i, '').replace(/[^\w.-]+/g, '_')}.assets/healed-${stamp}-${String(n).padStart(2, '0')}.png`;
}

export async function writeHealed(taskFile: string, healed: Array<{ heal: Heal; steps: CompiledStep[] }>, o: { inPlace: boolean }): Promise<{ file: string; changes: HealChange[] }> {
  const doc = parseDocument(readFileSync(taskFile, 'utf8'));
  const seq = doc.get('steps');
  if (!isSeq(seq)) throw new Error(`${taskFile} has no steps list to heal`);
  const changes: HealChange[] = [];
  // From the last step back, so earlier indices stay put when one step becomes several.
  for (const { heal, steps } of [...healed].sort((a, b) => b.heal.stepIndex - a.heal.stepIndex)) {
    const nodes = steps.map((s, i) => {
      const node = doc.createNode(s.step);
      if (i === 0) node.commentBefore = ` healed ${new Date().toISOString().slice(0, 10)}: was ${describeStep(heal.old)} (${heal.reason.split('\n')[0].slice(0, 160)})`;
      return node;
    });
    seq.items.splice(heal.stepIndex, 1, ...nodes);
    changes.unshift({ stepIndex: heal.stepIndex, from: describeStep(heal.old), to: steps.map((s) => describeStep(s.step)), reason: heal.reason });
  }
  const text = doc.toString({ lineWidth: 0 });
  parseTaskYaml(text, taskFile); // what is written must load
  const file = healedFile(taskFile, o.inPlace);
  await writeCompiled(file, text, healed.flatMap((h) => h.steps));
  return { file, changes };
}
