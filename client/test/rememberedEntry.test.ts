import { describe, expect, it } from 'vitest';
import {
  devicesKeptMs,
  type EntryStorage,
  readRemembered,
  remember,
} from '../src/features/join/rememberedEntry.js';

function memoryStorage(): EntryStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

const devices = (at: number) => ({
  micId: 'mic-1',
  cameraId: null,
  micOff: true,
  cameraOff: false,
  forceTcp: true,
  at,
});

describe('what a tab remembers of its way into a session', () => {
  it('gives back the session and the devices, per participant', () => {
    const storage = memoryStorage();
    remember(storage, 'p1', { sessionId: 'som', devices: devices(1_000) });
    expect(readRemembered(storage, 'p1', 2_000)).toEqual({ sessionId: 'som', devices: devices(1_000) });
    expect(readRemembered(storage, 'p2', 2_000)).toBeNull();
  });

  it('keeps the session but forgets the devices and the path a while after the page left', () => {
    const storage = memoryStorage();
    remember(storage, 'p1', { sessionId: 'som', devices: devices(1_000) });
    expect(readRemembered(storage, 'p1', 1_000 + devicesKeptMs)?.devices).not.toBeNull();
    expect(readRemembered(storage, 'p1', 1_001 + devicesKeptMs)).toEqual({ sessionId: 'som', devices: null });
    // A clock set back: nothing proves the devices recent.
    expect(readRemembered(storage, 'p1', 500)?.devices).toBeNull();
  });

  it('ignores what it cannot read, and works without storage', () => {
    const storage = memoryStorage();
    storage.items.set('summit-bridge.entry.p1', '{not json');
    expect(readRemembered(storage, 'p1')).toBeNull();
    storage.items.set('summit-bridge.entry.p1', JSON.stringify({ sessionId: 7 }));
    expect(readRemembered(storage, 'p1')).toBeNull();
    expect(readRemembered(null, 'p1')).toBeNull();
    expect(() => remember(null, 'p1', { sessionId: 'som', devices: null })).not.toThrow();
  });
});
