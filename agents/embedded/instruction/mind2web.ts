import type { Step } from '../../../src/core/task.ts';
import { quoteLiteral } from '../quotes.ts';
import { GoalParseError } from '../goal-text.ts';

/**
 * Mind2Web's action strings, one per line, as the `action_reprs` / `target_action_reprs` fields of
 * the osunlp/Mind2Web dataset (Hugging Face) write them: `[role]  text -> OP[: value]`, e.g.
 * `[combobox]  Reservation type -> SELECT: Pickup`, `[button]  Update search -> CLICK`. The
 * dataset's operations are CLICK, TYPE and SELECT; HOVER and ENTER (which Mind2Web folds into
 * CLICK) are accepted too, as people write them. People paste these from evaluation logs.
 */
const LINE = /^\s*\[([^\]]*)\]\s*(.*?)\s*->\s*(CLICK|TYPE|SELECT|HOVER|ENTER)\b\s*(?::\s*(.*?))?\s*$/;

const TEXT_ROLES = /^(?:textbox|searchbox|input|textarea|combobox-input)$/i;
const SELECT_ROLES = /^(?:combobox|select|listbox)$/i;
const CHECK_ROLES = /^(?:checkbox|radio|switch)$/i;

/** Whether every line of the text is a Mind2Web action string. */
export function isMind2WebActions(text: string): boolean {
  const lines = text.split(/\n/).filter((l) => l.trim());
  return lines.length > 0 && lines.every((l) => LINE.test(l));
}

/** The steps a block of Mind2Web action strings asks for; throws GoalParseError naming a line it cannot act on. */
export function mind2WebSteps(text: string): { steps: Step[]; clauses: string[] } {
  const steps: Step[] = [];
  const clauses: string[] = [];
  for (const line of text.split(/\n/).filter((l) => l.trim())) {
    const m = line.match(LINE)!;
    const role = m[1].trim();
    const label = m[2].trim();
    const op = m[3].toUpperCase();
    const value = (m[4] ?? '').trim();
    const fragment = line.trim();
    const target = label ? quoteLiteral(label) : undefined;
    const need = (what: string): never => {
      throw new GoalParseError(`could not act on "${fragment}": ${what}`, fragment);
    };
    if (op === 'TYPE') {
      if (!value) need('TYPE needs a value after the colon, e.g. [textbox] From -> TYPE: New York');
      steps.push({ type: target ? { text: value, into: `the field labelled ${target}` } : { text: value } });
    } else if (op === 'SELECT') {
      if (!value) need('SELECT needs an option after the colon, e.g. [combobox] Sort by -> SELECT: Price');
      steps.push({ select: target ? { option: quoteLiteral(value), in: target } : { option: quoteLiteral(value) } });
    } else if (op === 'ENTER') {
      steps.push({ press: 'Enter' });
    } else {
      if (!target) need(`the ${role || 'element'} has no text to find it by; name it by what it shows`);
      const what = CHECK_ROLES.test(role) ? `the checkbox next to ${target}` : TEXT_ROLES.test(role) ? `the field labelled ${target}` : SELECT_ROLES.test(role) ? target! : target!;
      steps.push(op === 'HOVER' ? { hover: what } : { click: what });
    }
    clauses.push(fragment);
  }
  return { steps, clauses };
}
