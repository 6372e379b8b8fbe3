import type { Agent, Decision, DecideInput } from '../../src/core/agent.ts';

/** A test agent whose decisions come from a function: the model is the only simulated component. */
export class ScriptedAgent implements Agent {
  readonly name = 'scripted';
  readonly inputs: DecideInput[] = [];
  /** Set for scripts that decide from the input alone (not from `call`): the loop may then drop and re-ask decisions. */
  readonly stateless: boolean;
  constructor(
    private readonly script: (input: DecideInput, call: number) => Decision | Promise<Decision>,
    options: { stateless?: boolean } = {},
  ) {
    this.stateless = options.stateless ?? false;
  }
  async decide(input: DecideInput): Promise<Decision> {
    this.inputs.push(input);
    return this.script(input, this.inputs.length - 1);
  }
}

/** The box of a DOM element in frame pixels (CSS rect × scale), read from the real page. */
export async function domBox(input: DecideInput, selector: string): Promise<[number, number, number, number]> {
  const r = (await input.executor!.evaluate!(
    `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })()`,
  )) as number[];
  const s = input.frame.scale;
  return [r[0] * s, r[1] * s, r[2] * s, r[3] * s];
}
