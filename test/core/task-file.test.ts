import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaskFile, parseTaskYaml, TaskFileError } from '../../src/core/task.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'handeye-task-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('task files', () => {
  it('loads a valid task and applies defaults', async () => {
    const p = file('ok.yaml', 'id: t1\napp:\n  web: { url: "/login/index.html" }\ngoal: Sign in\n');
    const { task } = await loadTaskFile(p);
    expect(task.maxSteps).toBe(15);
    expect('web' in task.app && task.app.web.viewport).toEqual([1280, 720]);
  });

  it('names the file and the field that is wrong', async () => {
    const p = file('bad.yaml', 'id: t1\napp:\n  web: { url: "/x", viewport: [1280] }\ngoal: x\n');
    await expect(loadTaskFile(p)).rejects.toThrow(TaskFileError);
    await expect(loadTaskFile(p)).rejects.toThrow(new RegExp(`${path.basename(p)}.*app`));
    try {
      await loadTaskFile(p);
    } catch (e) {
      expect((e as TaskFileError).message).toMatch(/viewport/);
      expect((e as TaskFileError).file).toBe(p);
    }
  });

  it('reports a missing file, broken YAML, a non-mapping and a task with neither goal nor steps', async () => {
    await expect(loadTaskFile(path.join(dir, 'nope.yaml'))).rejects.toThrow(/nope\.yaml: no such file/);
    expect(() => parseTaskYaml('id: [unclosed', 'f.yaml')).toThrow(/f\.yaml: YAML/);
    expect(() => parseTaskYaml('- a\n- b', 'f.yaml')).toThrow(/expected a mapping/);
    expect(() => parseTaskYaml('id: x\napp: { web: { url: /a } }', 'f.yaml')).toThrow(/goal: a task needs a goal or steps/);
  });

  it('rejects unknown step kinds and unknown keys', () => {
    expect(() => parseTaskYaml('id: x\napp: { web: { url: /a } }\nsteps:\n  - teleport: home\n', 'f.yaml')).toThrow(/steps\.0/);
    expect(() => parseTaskYaml('id: x\napp: { web: { url: /a } }\ngoal: g\nmaxStep: 3\n', 'f.yaml')).toThrow(/maxStep/);
    expect(() => parseTaskYaml('id: "bad id!"\napp: { web: { url: /a } }\ngoal: g\n', 'f.yaml')).toThrow(/id: must be letters/);
  });
});
