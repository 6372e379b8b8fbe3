import { expect } from 'vitest';

/**
 * Deep comparison of a parsed reply with its expectation: objects by the expected keys only,
 * arrays whole, numbers through `near` (the official formulas and ours round differently).
 */
export function expectLike(actual: unknown, expected: unknown, where: string, near: (actual: number, expected: number) => boolean): void {
  if (typeof expected === 'number') {
    expect(typeof actual, where).toBe('number');
    expect(near(actual as number, expected), `${where}: ${actual} vs ${expected}`).toBe(true);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), where).toBe(true);
    expect((actual as unknown[]).length, where).toBe(expected.length);
    expected.forEach((e, i) => expectLike((actual as unknown[])[i], e, `${where}[${i}]`, near));
  } else if (expected && typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected)) expectLike((actual as Record<string, unknown>)?.[k], v, `${where}.${k}`, near);
  } else {
    expect(actual, where).toEqual(expected);
  }
}
