import { describe, expect, it } from 'vitest';
import {
  countdownOf,
  formatClock,
  ownMicStatus,
  positionOf,
  tourTurn,
} from '../src/features/floor/floorView.js';
import { floor, intervention, producer } from './fixtures.js';

const requests = (...codes: string[]) =>
  codes.map((delegation, i) => ({ delegation, kind: 'speak' as const, requestedAt: i }));

describe('speakers list position', () => {
  it('counts from one in the server order, null when not asked or not a delegation', () => {
    const list = requests('IDN', 'KHM', 'LAO');
    expect(positionOf(list, 'IDN')).toBe(1);
    expect(positionOf(list, 'LAO')).toBe(3);
    expect(positionOf(list, 'VNM')).toBeNull();
    expect(positionOf(list, null)).toBeNull();
  });
});

describe('countdown', () => {
  const start = 1_000_000;

  it('counts down from the limit, paused time excluded', () => {
    const current = intervention({ startedAt: start, limitMs: 120_000, pausedMs: 10_000 });
    expect(countdownOf(current, 30_000, start + 40_000)).toEqual({ phase: 'running', shownMs: 90_000 });
  });

  it('warns inside the warning window and shows the overrun past the limit', () => {
    const current = intervention({ startedAt: start, limitMs: 180_000 });
    expect(countdownOf(current, 30_000, start + 149_000)).toEqual({ phase: 'running', shownMs: 31_000 });
    expect(countdownOf(current, 30_000, start + 155_000)).toEqual({ phase: 'warning', shownMs: 25_000 });
    expect(countdownOf(current, 30_000, start + 190_000)).toEqual({ phase: 'overrun', shownMs: -10_000 });
  });

  it('keeps the warning to the last fifth of a short limit', () => {
    const current = intervention({ startedAt: start, limitMs: 60_000 });
    expect(countdownOf(current, 30_000, start + 45_000).phase).toBe('running');
    expect(countdownOf(current, 30_000, start + 49_000).phase).toBe('warning');
  });

  it('believes the server when it has marked the warning or the overrun', () => {
    const current = intervention({ startedAt: start, limitMs: 120_000, overran: true });
    // This client's clock is a little behind the server's: the server's mark still shows.
    expect(countdownOf(current, 30_000, start + 119_500).phase).toBe('overrun');
    expect(countdownOf({ ...current, overran: false, warned: true }, 30_000, start + 80_000).phase).toBe(
      'warning',
    );
  });

  it('freezes while paused', () => {
    const current = intervention({ startedAt: start, limitMs: 120_000, pausedAt: start + 50_000 });
    expect(countdownOf(current, 30_000, start + 500_000)).toEqual({ phase: 'paused', shownMs: 70_000 });
  });

  it('shows the time spoken when there is no limit', () => {
    const current = intervention({ startedAt: start, limitMs: null });
    expect(countdownOf(current, 30_000, start + 65_000)).toEqual({ phase: 'untimed', shownMs: 65_000 });
  });

  it('formats as m:ss, rounding up what is left, with + past the limit', () => {
    expect(formatClock(90_000)).toBe('1:30');
    expect(formatClock(89_001)).toBe('1:30');
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(-12_000)).toBe('+0:12');
    expect(formatClock(-61_500)).toBe('+1:02');
  });
});

describe('tour de table', () => {
  it('names the delegation whose turn it is', () => {
    expect(tourTurn(floor())).toBeNull();
    expect(tourTurn(floor({ tour: { order: ['BRN', 'KHM', 'IDN'], position: 1, passed: [] } }))).toBe('KHM');
  });
});

describe('own microphone', () => {
  const base = {
    publishing: true,
    pausedByYou: false,
    producer: producer('mic', 'hod-khm', 'KHM', 'mic', true),
    delegation: 'KHM',
    role: 'head_of_delegation' as const,
  };

  it('says closed by floor policy when the server pauses it outside the floor', () => {
    expect(ownMicStatus({ ...base, floor: floor() })).toBe('closedByFloor');
  });

  it('says live when the server forwards it, whatever the policy predicts', () => {
    const open = { ...base, producer: { ...base.producer, paused: false } };
    expect(ownMicStatus({ ...open, floor: floor({ current: intervention({ delegation: 'KHM' }) }) })).toBe(
      'live',
    );
    expect(ownMicStatus({ ...open, floor: floor() })).toBe('live');
  });

  it('tells the participant’s own mute from the chair’s', () => {
    expect(ownMicStatus({ ...base, pausedByYou: true, floor: floor({ muted: ['KHM'] }) })).toBe('off');
    expect(ownMicStatus({ ...base, floor: floor({ muted: ['KHM'], micPolicy: 'open' }) })).toBe(
      'mutedByChair',
    );
  });

  it('names an unexplained server pause as such', () => {
    expect(ownMicStatus({ ...base, floor: floor({ micPolicy: 'open' }) })).toBe('closedByServer');
  });

  it('predicts from the floor until the server announces the producer', () => {
    const unknown = { ...base, producer: undefined };
    expect(ownMicStatus({ ...unknown, floor: floor() })).toBe('closedByFloor');
    expect(ownMicStatus({ ...unknown, floor: floor({ micPolicy: 'open' }) })).toBe('live');
    expect(ownMicStatus({ ...unknown, role: 'chair', delegation: 'VNM', floor: floor() })).toBe('live');
  });

  it('says nothing is sent without a microphone', () => {
    expect(ownMicStatus({ ...base, publishing: false, floor: floor() })).toBe('none');
  });
});
