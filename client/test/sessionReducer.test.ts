import { describe, expect, it } from 'vitest';
import { seatsOf } from '../src/features/gallery/seats.js';
import {
  initialView,
  type SessionEvent,
  type SessionView,
  sessionReducer,
  type ViewPush,
} from '../src/features/session/sessionReducer.js';
import { producer, snapshot, state } from './fixtures.js';

const run = (events: SessionEvent[], from: SessionView = initialView) => events.reduce(sessionReducer, from);
const push = (p: ViewPush): SessionEvent => ({ type: 'push', push: p });
const updated = (version: number, speakers: string[] = []): SessionEvent =>
  push({
    name: 'session:updated',
    payload: state(version, {
      speakersList: speakers.map((delegation, i) => ({ delegation, kind: 'speak' as const, requestedAt: i })),
    }),
  });

/** Connected and holding a first snapshot at version 1. */
const live = () =>
  run([{ type: 'connected' }, { type: 'snapshotRequested' }, { type: 'snapshot', snapshot: snapshot() }]);

describe('session reducer', () => {
  it('asks for a snapshot on every connect, the first one included', () => {
    expect(run([{ type: 'connected' }]).needsResync).toBe(true);
    const reconnected = run([{ type: 'disconnected' }, { type: 'connected' }], live());
    expect(reconnected.needsResync).toBe(true);
    expect(reconnected.live?.state.version).toBe(1); // the old view stays on screen meanwhile
  });

  it('applies the next version and ignores old or repeated ones', () => {
    const view = run([updated(2, ['IDN']), updated(2, ['LAO']), updated(1, ['MYS'])], live());
    expect(view.live?.state.version).toBe(2);
    expect(view.live?.state.floor.speakersList.map((r) => r.delegation)).toEqual(['IDN']);
    expect(view.needsResync).toBe(false);
  });

  it('applies a newer version after a gap and asks for a snapshot', () => {
    const view = run([updated(4, ['IDN'])], live());
    expect(view.live?.state.version).toBe(4);
    expect(view.needsResync).toBe(true);
  });

  it('resyncs on a push out of contract or for another session', () => {
    expect(run([{ type: 'invalidPush', name: 'session:updated' }], live()).needsResync).toBe(true);
    const other = push({ name: 'session:updated', payload: { ...state(2), sessionId: 'ams' } });
    const view = run([other], live());
    expect(view.needsResync).toBe(true);
    expect(view.live?.state.version).toBe(1);
  });

  it('replays pushes that arrive while the snapshot is on its way', () => {
    const view = run(
      [
        { type: 'snapshotRequested' },
        updated(3, ['IDN']),
        push({ name: 'media:producerAdded', payload: producer('p-idn', 'hod-idn', 'IDN') }),
        { type: 'snapshot', snapshot: snapshot({ state: state(2, { speakersList: [] }) }) },
      ],
      live(),
    );
    expect(view.live?.state.version).toBe(3);
    expect(view.live?.state.floor.speakersList.map((r) => r.delegation)).toEqual(['IDN']);
    expect(view.live?.producers.map((p) => p.producerId)).toEqual(['p-idn']);
    expect(view.awaitingSnapshot).toBe(false);
    expect(view.needsResync).toBe(false);
  });

  it('lets the snapshot win over pushes it already contains', () => {
    const view = run(
      [
        { type: 'snapshotRequested' },
        updated(2, ['IDN']),
        { type: 'snapshot', snapshot: snapshot({ state: state(5) }) },
      ],
      live(),
    );
    expect(view.live?.state.version).toBe(5);
    expect(view.live?.state.floor.speakersList).toEqual([]);
  });

  it('forgets what was queued when the link drops', () => {
    const view = run([{ type: 'snapshotRequested' }, updated(2), { type: 'disconnected' }], live());
    expect(view.queued).toEqual([]);
    expect(view.awaitingSnapshot).toBe(false);
    expect(view.link).toBe('reconnecting');
  });

  it('keeps one entry per producer, however often it is announced', () => {
    const p = producer('p-khm', 'hod-khm', 'KHM');
    const view = run(
      [
        push({ name: 'media:producerAdded', payload: p }),
        push({ name: 'media:producerAdded', payload: p }),
        push({ name: 'media:producerUpdated', payload: { ...p, paused: true } }),
      ],
      live(),
    );
    expect(view.live?.producers).toEqual([{ ...p, paused: true }]);
    const closed = run([push({ name: 'media:producerClosed', payload: { producerId: 'p-khm' } })], view);
    expect(closed.live?.producers).toEqual([]);
  });

  it('draws one seat per delegation after a reconnect, with the new producer', () => {
    const before = run(
      [push({ name: 'media:producerAdded', payload: producer('old', 'hod-khm', 'KHM') })],
      live(),
    );
    // The server closed the old producer with the old socket; the rebuilt media announces a new one
    // before the snapshot (still listing the old one) arrives.
    const after = run(
      [
        { type: 'disconnected' },
        { type: 'connected' },
        { type: 'snapshotRequested' },
        push({ name: 'media:producerAdded', payload: producer('new', 'hod-khm', 'KHM') }),
        { type: 'snapshot', snapshot: snapshot({ producers: [producer('old', 'hod-khm', 'KHM')] }) },
        push({ name: 'media:producerClosed', payload: { producerId: 'old' } }),
      ],
      before,
    );
    if (!after.live) throw new Error('no live session');
    const seats = seatsOf(after.live);
    expect(seats.filter((s) => s.delegation.code === 'KHM')).toHaveLength(1);
    expect(seats.find((s) => s.delegation.code === 'KHM')?.camera?.producerId).toBe('new');
    expect(seats).toHaveLength(11);
  });

  it('records a refusal and the active speaker', () => {
    const refused = run(
      [{ type: 'refused', refusal: { code: 'unauthenticated', message: 'token revoked' } }],
      live(),
    );
    expect(refused.refusal).toEqual({ code: 'unauthenticated', message: 'token revoked' });
    const speaking = run([push({ name: 'media:activeSpeaker', payload: { delegation: 'IDN' } })], live());
    expect(speaking.live?.activeSpeaker).toBe('IDN');
  });

  it('waits in the lobby without resyncing, and resyncs once admitted', () => {
    const waiting = run([{ type: 'connected' }, { type: 'lobby', state: 'waiting' }]);
    expect(waiting.lobby).toBe('waiting');
    expect(waiting.needsResync).toBe(false);
    // The snapshot asked for on connect failed: still nothing to ask while waiting.
    expect(run([{ type: 'snapshotRequested' }, { type: 'lobby', state: 'waiting' }]).needsResync).toBe(false);
    const admitted = run([{ type: 'lobby', state: 'admitted' }], waiting);
    expect(admitted.lobby).toBeNull();
    expect(admitted.needsResync).toBe(true);
    // A new socket is asked again where it stands.
    expect(run([{ type: 'disconnected' }, { type: 'connected' }], waiting).lobby).toBeNull();
  });

  it('ignores pushes before any snapshot unless one is on its way', () => {
    const view = run([{ type: 'connected' }, updated(7)]);
    expect(view.live).toBeNull();
    expect(view.queued).toEqual([]);
  });
});
