// The listener's and the interpreter's mix: which voice plays at what volume.
import type { ProducerInfo } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { volumeOf } from '../src/features/interpretation/mix.js';

const floorMic: ProducerInfo = {
  producerId: 'mic-lao',
  participantId: 'hod-lao',
  delegation: 'LAO',
  kind: 'audio',
  source: 'mic',
  paused: false,
};
const booth = (channel: string): ProducerInfo => ({
  producerId: `interp-${channel}`,
  participantId: `interp-${channel}`,
  delegation: null,
  kind: 'audio',
  source: 'interpretation',
  channel,
  paused: false,
});

describe('the audio mix', () => {
  it('gives a floor listener the floor alone', () => {
    const hearing = { kind: 'listener', channel: 'floor', floorLevel: 0.2 } as const;
    expect(volumeOf(floorMic, hearing, 'lo')).toBe(1);
    expect(volumeOf(booth('vi'), hearing, 'lo')).toBe(0);
  });

  it('gives a vi listener the vi booth with the floor underneath at its level', () => {
    const hearing = { kind: 'listener', channel: 'vi', floorLevel: 0.2 } as const;
    expect(volumeOf(booth('vi'), hearing, 'lo')).toBe(1);
    expect(volumeOf(floorMic, hearing, 'lo')).toBe(0.2);
    expect(volumeOf(booth('zh'), hearing, 'lo')).toBe(0);
    expect(volumeOf(floorMic, { ...hearing, floorLevel: 0 }, 'lo')).toBe(0);
  });

  it('gives a vi listener the floor directly while the speaker speaks Vietnamese', () => {
    const hearing = { kind: 'listener', channel: 'vi', floorLevel: 0.2 } as const;
    expect(volumeOf(floorMic, hearing, 'vi')).toBe(1);
    expect(volumeOf(booth('vi'), hearing, 'vi')).toBe(0);
  });

  it('gives an interpreter its input alone: the floor, or the pivot booth in a relay', () => {
    expect(volumeOf(floorMic, { kind: 'interpreter', input: 'floor' }, 'lo')).toBe(1);
    expect(volumeOf(booth('en'), { kind: 'interpreter', input: 'floor' }, 'lo')).toBe(0);
    expect(volumeOf(booth('en'), { kind: 'interpreter', input: 'en' }, 'lo')).toBe(1);
    expect(volumeOf(floorMic, { kind: 'interpreter', input: 'en' }, 'lo')).toBe(0);
    expect(volumeOf(booth('zh'), { kind: 'interpreter', input: 'en' }, 'lo')).toBe(0);
  });
});
