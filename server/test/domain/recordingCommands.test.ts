// Recording as session commands, pure: who may start and stop it, when, and what the state and
// the audit trail say.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/sessionMachine.js';
import { chair, hod, ok, openState, refused, T0 } from './meeting.js';

const secretariat: Actor = { participantId: 'sec', delegation: null, role: 'secretariat' };
const start = { type: 'startRecording', recordingId: 'r0000abc1' } as const;
const stop = { type: 'stopRecording', reason: 'requested' } as const;

describe('recording a session', () => {
  it('is started by the chair or the secretariat while the session runs, once at a time', () => {
    const started = ok(openState(), start, chair, T0);
    expect(started.state.recording).toEqual({ id: 'r0000abc1', startedAt: T0, by: 'VNM' });
    expect(started.events).toEqual([
      { type: 'recordingStarted', at: T0, by: chair, recordingId: 'r0000abc1' },
    ]);
    expect(ok(openState(), start, secretariat).state.recording?.by).toBeNull();
    expect(refused(started.state, { ...start, recordingId: 'r0000abc2' })).toBe('conflict');
    expect(refused(openState(), start, hod('IDN'))).toBe('forbidden');
    // A chair's token chairs only the sessions its delegation chairs.
    expect(refused(openState(), start, { ...chair, delegation: 'IDN' })).toBe('forbidden');
    expect(refused({ ...openState(), status: 'scheduled' }, start)).toBe('conflict');
    expect(ok({ ...openState(), status: 'suspended' }, start).state.recording).not.toBeNull();
  });

  it('stops with its reason and length, and stopping nothing changes nothing', () => {
    const started = ok(openState(), start, chair, T0).state;
    const stopped = ok(started, stop, secretariat, T0 + 90_000);
    expect(stopped.state.recording).toBeNull();
    expect(stopped.events).toEqual([
      {
        type: 'recordingStopped',
        at: T0 + 90_000,
        by: secretariat,
        recordingId: 'r0000abc1',
        reason: 'requested',
        durationMs: 90_000,
      },
    ]);
    expect(ok(openState(), stop).events).toEqual([]);
    // The server itself stops it when the disk fills.
    expect(ok(started, { type: 'stopRecording', reason: 'diskFull' }, null).events[0]).toMatchObject({
      reason: 'diskFull',
      by: null,
    });
    expect(refused(started, stop, hod('IDN'))).toBe('forbidden');
  });

  it('stops when the session closes', () => {
    const started = ok(openState(), start, chair, T0).state;
    const closed = ok(started, { type: 'setStatus', status: 'closed' }, chair, T0 + 5_000);
    expect(closed.state.recording).toBeNull();
    expect(closed.events.map((e) => e.type)).toContain('recordingStopped');
    expect(closed.events.find((e) => e.type === 'recordingStopped')).toMatchObject({
      reason: 'sessionClosed',
    });
  });
});
