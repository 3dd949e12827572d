import { expect, it } from 'vitest';
import { PointRing } from '../../src/store/PointRing.js';

it('keeps the newest rows in time order once full, with nulls intact', () => {
  const ring = new PointRing(3, 2);
  expect(ring.newestAt).toBeNull();
  expect(ring.read(0)).toEqual([]);
  for (let at = 1; at <= 5; at++) ring.push(at, [at * 10, at % 2 === 0 ? null : at]);
  expect(ring.newestAt).toBe(5);
  expect(ring.read(0)).toEqual([
    { at: 3, columns: [30, 3] },
    { at: 4, columns: [40, null] },
    { at: 5, columns: [50, 5] },
  ]);
  expect(ring.read(4).map((r) => r.at)).toEqual([4, 5]);
  expect(ring.read(6)).toEqual([]);
  expect(ring.bytes).toBe(3 * 3 * 8);
});
