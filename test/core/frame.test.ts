import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAction } from '../../src/core/actions.ts';
import { actingPoint, assertInFrame, EDGE_TOLERANCE_PX, frameToUnits, OutOfFrameError, unitsToFrame } from '../../src/core/frame.ts';

describe('frameToUnits / unitsToFrame', () => {
  it('maps by unit = origin + px / scale', () => {
    expect(frameToUnits({ scale: 2, origin: { x: 0, y: 0 } }, [300, 100])).toEqual([150, 50]);
    expect(frameToUnits({ scale: 1.5, origin: { x: 0, y: 0 } }, [585, 1266])).toEqual([390, 844]);
    expect(frameToUnits({ scale: 1, origin: { x: 1920, y: -200 } }, [10, 20])).toEqual([1930, -180]);
    expect(frameToUnits({ scale: 3, origin: { x: 100, y: 50 } }, [30, 60])).toEqual([110, 70]);
    expect(unitsToFrame({ scale: 2, origin: { x: 100, y: 0 } }, [150, 50])).toEqual([100, 100]);
  });

  it('round-trips for any scale and origin', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.25, max: 4, noNaN: true }),
        fc.double({ min: -5000, max: 5000, noNaN: true }),
        fc.double({ min: -5000, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 20000, noNaN: true }),
        fc.double({ min: 0, max: 20000, noNaN: true }),
        (scale, ox, oy, x, y) => {
          const frame = { scale, origin: { x: ox, y: oy } };
          const [bx, by] = unitsToFrame(frame, frameToUnits(frame, [x, y]));
          expect(bx).toBeCloseTo(x, 6);
          expect(by).toBeCloseTo(y, 6);
        },
      ),
    );
  });
});

describe('assertInFrame', () => {
  const frame = { width: 1170, height: 2532 };

  it('accepts targets inside the frame and on its edges within the sub-pixel tolerance', () => {
    expect(() => assertInFrame(frame, parseAction({ action: 'click', target: { point: [0, 0] } }))).not.toThrow();
    expect(() => assertInFrame(frame, parseAction({ action: 'click', target: { point: [1170 + EDGE_TOLERANCE_PX, 2532] } }))).not.toThrow();
    expect(() => assertInFrame(frame, parseAction({ action: 'hover', target: { box: [10, 10, 1170, 2532] } }))).not.toThrow();
    expect(() => assertInFrame(frame, parseAction({ action: 'scroll', direction: 'down' }))).not.toThrow();
    expect(() => assertInFrame(frame, parseAction({ action: 'key', keys: ['Enter'] }))).not.toThrow();
  });

  it('rejects a point, a box corner or a drag end outside, naming the coordinates and the frame size', () => {
    const cases = [
      { action: 'click', target: { point: [1171, 10] } },
      { action: 'click', target: { point: [10, -1] } },
      { action: 'type', text: 'x', target: { box: [1100, 10, 1200, 40] } },
      { action: 'drag', from: { point: [5, 5] }, to: { point: [5, 2600] } },
      { action: 'scroll', direction: 'up', target: { point: [-3, 4] } },
    ];
    for (const c of cases) {
      expect(() => assertInFrame(frame, parseAction(c))).toThrow(OutOfFrameError);
    }
    expect(() => assertInFrame(frame, parseAction(cases[0]))).toThrow('click point (1171.0, 10.0) lies outside the 1170x2532 frame');
    expect(() => assertInFrame(frame, parseAction(cases[3]))).toThrow(/drag point \(5\.0, 2600\.0\)/);
  });

  it('rejects a point inside a box that pokes out of the frame', () => {
    const a = parseAction({ action: 'click', target: { point: [100, 100], box: [50, 50, 1300, 150] } });
    expect(() => assertInFrame(frame, a)).toThrow(/box corner/);
  });
});

describe('actingPoint', () => {
  it('uses the point, else the box centre, and only clamps sub-pixel overshoot', () => {
    const frame = { width: 100, height: 50 };
    expect(actingPoint(frame, { point: [10, 20] })).toEqual([10, 20]);
    expect(actingPoint(frame, { box: [10, 10, 30, 20] })).toEqual([20, 15]);
    const [x, y] = actingPoint(frame, { point: [100.4, -0.3] });
    expect(x).toBeLessThan(100);
    expect(x).toBeGreaterThan(99.99);
    expect(y).toBe(0);
  });
});
