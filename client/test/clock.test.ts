import { describe, expect, it } from 'vitest';
import { bestEstimate, Clock, estimateOf } from '../src/features/session/clock.js';

describe('clock offset', () => {
  it('takes the server time as read half-way through the round trip', () => {
    expect(estimateOf({ sentAt: 1000, receivedAt: 1100, serverTime: 6050 })).toEqual({
      offsetMs: 5000,
      rttMs: 100,
    });
  });

  it('keeps the sample with the shortest round trip', () => {
    const best = bestEstimate([
      { sentAt: 0, receivedAt: 400, serverTime: 5300 }, // slow: offset 5100 ± 200
      { sentAt: 1000, receivedAt: 1020, serverTime: 6010 }, // fast: offset 5000 ± 10
      { sentAt: 2000, receivedAt: 2200, serverTime: 6900 },
    ]);
    expect(best).toEqual({ offsetMs: 5000, rttMs: 20 });
    expect(bestEstimate([])).toBeNull();
  });

  it('measures against a server whose clock runs ahead, with uneven delays', async () => {
    let local = 10_000;
    const serverAhead = 3_000;
    const delays = [
      [80, 20],
      [5, 5],
      [50, 150],
      [30, 30],
    ] as const;
    let round = 0;
    const clock = new Clock(() => local);
    const estimate = await clock.measure(async (clientTime) => {
      const [out, back] = delays[round++ % delays.length] ?? [0, 0];
      expect(clientTime).toBe(local);
      local += out;
      const serverTime = local + serverAhead;
      local += back;
      return serverTime;
    }, 4);
    expect(estimate).toEqual({ offsetMs: serverAhead, rttMs: 10 });
    expect(clock.now()).toBe(local + serverAhead);
  });

  it('starts from the snapshot time until it has measured', () => {
    const clock = new Clock(() => 1_000);
    expect(clock.now()).toBe(1_000);
    clock.roughly(4_000);
    expect(clock.now()).toBe(4_000);
    clock.roughly(9_000); // only the first rough estimate counts
    expect(clock.now()).toBe(4_000);
  });
});
