import { describe, expect, it } from 'vitest';
import { fileLines, functionSizes, LAYERS, layerOf, layerViolations, listSourceFiles } from '../scripts/code-shape.ts';

// The shape docs/architecture.md promises: layers that import only downwards, small files, short functions.
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

describe('the code keeps its shape', () => {
  const files = listSourceFiles();

  it('imports only from its own layer or below, and every file has a layer', () => {
    const { violations, unplaced } = layerViolations(files);
    expect(unplaced).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('the layer check sees a wrong-way import when there is one', () => {
    expect(LAYERS[layerOf('kernels/gray.ts')].name).toBe('kernels');
    expect(LAYERS[layerOf('src/core/loop/loop.ts')].name).toBe('core');
    expect(LAYERS[layerOf('agents/embedded/embedded-agent.ts')].name).toBe('agents');
    expect(layerOf('src/cli/index.ts')).toBeGreaterThan(layerOf('src/run/run-task.ts'));
    // A core module that imported an agent would break the order.
    expect(layerOf('src/core/loop/loop.ts')).toBeLessThan(layerOf('agents/registry.ts'));
  });

  it(`has no file over ${MAX_FILE_LINES} lines and no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.filter((f) => fileLines(f) > MAX_FILE_LINES);
    expect(long).toEqual([]);
    const longFunctions = files.flatMap((f) => functionSizes(f)).filter((fn) => fn.lines > MAX_FUNCTION_LINES);
    expect(longFunctions.map((fn) => `${fn.file}:${fn.line} ${fn.name} (${fn.lines})`)).toEqual([]);
  });
});
