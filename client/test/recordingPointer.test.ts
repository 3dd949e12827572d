import type { RecordItem, RecordingSummary } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { composedFileOf, recordingPointerOf } from '../src/features/recording/recordingPointer.js';
import { formatElapsed } from '../src/features/recording/recordingView.js';
import { recordingSummary } from './fixtures.js';

const intervention = (detail: Record<string, unknown>): Pick<RecordItem, 'kind' | 'detail'> => ({
  kind: 'intervention',
  detail,
});

describe('the recording an intervention points into', () => {
  it('is read from the detail of an intervention made while recorded', () => {
    expect(
      recordingPointerOf(
        intervention({ kind: 'speak', recording: { recordingId: 'r1a2b3c4d', offsetMs: 754_000 } }),
      ),
    ).toEqual({ recordingId: 'r1a2b3c4d', offsetMs: 754_000 });
    expect(
      recordingPointerOf(intervention({ recording: { recordingId: 'r1a2b3c4d', offsetMs: 0 } })),
    ).toEqual({
      recordingId: 'r1a2b3c4d',
      offsetMs: 0,
    });
  });

  it('keeps only the pointer’s two facts', () => {
    const pointer = recordingPointerOf(
      intervention({ recording: { recordingId: 'r1a2b3c4d', offsetMs: 5, extra: 'x' } }),
    );
    expect(pointer).toEqual({ recordingId: 'r1a2b3c4d', offsetMs: 5 });
  });

  it('is none for an intervention made while nothing was recorded', () => {
    expect(recordingPointerOf(intervention({ kind: 'speak', end: null }))).toBeNull();
  });

  it('is none for an item that is not an intervention', () => {
    const item = {
      kind: 'recording' as const,
      detail: { recording: { recordingId: 'r1a2b3c4d', offsetMs: 0 } },
    };
    expect(recordingPointerOf(item)).toBeNull();
  });

  it.each([
    ['null', null],
    ['a string', 'r1a2b3c4d'],
    ['an array', ['r1a2b3c4d', 0]],
    ['no offset', { recordingId: 'r1a2b3c4d' }],
    ['no id', { offsetMs: 0 }],
    ['an id of another shape', { recordingId: '../etc', offsetMs: 0 }],
    ['an offset as a string', { recordingId: 'r1a2b3c4d', offsetMs: '754000' }],
    ['a negative offset', { recordingId: 'r1a2b3c4d', offsetMs: -1 }],
    ['an offset that is not a number', { recordingId: 'r1a2b3c4d', offsetMs: Number.NaN }],
    ['an infinite offset', { recordingId: 'r1a2b3c4d', offsetMs: Number.POSITIVE_INFINITY }],
  ])('is none for a pointer that is %s', (_, recording) => {
    expect(recordingPointerOf(intervention({ recording }))).toBeNull();
  });
});

describe('the offset as shown', () => {
  it('reads as the player’s clock, in whole seconds', () => {
    expect(formatElapsed(0)).toBe('00:00');
    expect(formatElapsed(754_000)).toBe('12:34');
    expect(formatElapsed(754_999)).toBe('12:34');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
  });
});

describe('the composed file of the recording pointed into', () => {
  const recording = (overrides: Partial<RecordingSummary> = {}) =>
    recordingSummary({ composed: 'session.webm', ...overrides });

  it('is not known before the list comes', () => {
    expect(composedFileOf(null, 'r1a2b3c4d')).toEqual({ state: 'loading' });
  });

  it('is playable once composed', () => {
    expect(composedFileOf([recording({ id: 'r9z9z9z9z' }), recording()], 'r1a2b3c4d')).toEqual({
      state: 'ready',
      file: 'session.webm',
      startedAt: 1_000_000,
    });
  });

  it('is being prepared while recorded, and after the stop until composed', () => {
    expect(composedFileOf([recording({ composed: null, stoppedAt: null })], 'r1a2b3c4d')).toEqual({
      state: 'preparing',
    });
    expect(composedFileOf([recording({ composed: null })], 'r1a2b3c4d')).toEqual({ state: 'preparing' });
  });

  it('says why composing failed', () => {
    expect(
      composedFileOf([recording({ composed: null, composeError: 'no stage video' })], 'r1a2b3c4d'),
    ).toEqual({
      state: 'failed',
      reason: 'no stage video',
    });
  });

  it('is missing when the list does not have the recording', () => {
    expect(composedFileOf([], 'r1a2b3c4d')).toEqual({ state: 'missing' });
  });
});
