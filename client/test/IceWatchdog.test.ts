import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IceWatchdog } from '../src/features/media/IceWatchdog.js';

describe('ICE watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('restarts after a transport stays disconnected for the grace period', async () => {
    const restart = vi.fn(async () => undefined);
    const watchdog = new IceWatchdog(restart, 3000);
    watchdog.onState('connected');
    watchdog.onState('disconnected');
    await vi.advanceTimersByTimeAsync(2999);
    expect(restart).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(restart).toHaveBeenCalledTimes(1);
    watchdog.close();
  });

  it('does nothing when the transport recovers by itself', async () => {
    const restart = vi.fn(async () => undefined);
    const watchdog = new IceWatchdog(restart, 3000);
    watchdog.onState('disconnected');
    await vi.advanceTimersByTimeAsync(1500);
    watchdog.onState('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(restart).not.toHaveBeenCalled();
  });

  it('restarts at once on failure and keeps trying until connected', async () => {
    let fail = true;
    const restart = vi.fn(async () => {
      if (fail) throw new Error('signaling down');
    });
    const watchdog = new IceWatchdog(restart, 3000);
    watchdog.onState('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(restart).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(restart).toHaveBeenCalledTimes(2);
    fail = false;
    await vi.advanceTimersByTimeAsync(3000);
    expect(restart).toHaveBeenCalledTimes(3);
    watchdog.onState('connected');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(restart).toHaveBeenCalledTimes(3);
  });

  it('runs one restart at a time and stops when closed', async () => {
    let finish: () => void = () => undefined;
    const restart = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const watchdog = new IceWatchdog(restart, 3000);
    watchdog.onState('failed');
    watchdog.onState('failed');
    expect(restart).toHaveBeenCalledTimes(1);
    watchdog.onState('closed');
    finish();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(restart).toHaveBeenCalledTimes(1);
  });
});
