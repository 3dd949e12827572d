import { mayPresent, SessionState, timerPhase } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { audibleDelegations, presentingDelegations } from '../../src/domain/micPolicy.js';
import {
  type Actor,
  auditEntry,
  DEFAULT_WARNING_MS,
  initialSessionState,
  nextTimerDeadline,
} from '../../src/domain/sessionMachine.js';
import { after, chair, hod, list, ok, openState, refused, sessionOf, som, T0 } from './meeting.js';

const speak = { type: 'request', kind: 'speak' } as const;
const pointOfOrder = { type: 'request', kind: 'point_of_order' } as const;
const rightOfReply = { type: 'request', kind: 'right_of_reply' } as const;

describe('a new session state', () => {
  it('starts at version 0 in floor mode with the session status and default limit', () => {
    const state = initialSessionState('som', som.session);
    expect(state).toEqual({
      sessionId: 'som',
      version: 0,
      status: 'scheduled',
      floor: {
        micPolicy: 'floor',
        speakersList: [],
        current: null,
        defaultLimitMs: 300_000,
        warningMs: DEFAULT_WARNING_MS,
        speakingTimeMs: {},
        tour: null,
        muted: [],
        presenters: [],
      },
      // The SOM offers Vietnamese and Lao interpretation: both booths silent, from the floor.
      booths: {
        vi: {
          language: 'vi',
          input: 'floor',
          live: null,
          liveSince: null,
          coughing: false,
          handover: null,
          dropped: null,
        },
        lo: {
          language: 'lo',
          input: 'floor',
          live: null,
          liveSince: null,
          coughing: false,
          handover: null,
          dropped: null,
        },
      },
      recording: null,
    });
    expect(SessionState.parse(state)).toEqual(state);
    const { speakingLimitSec: _, ...unlimited } = som.session;
    expect(initialSessionState('som', unlimited).floor.defaultLimitMs).toBeNull();
  });
});

describe('requesting the floor', () => {
  it('lists delegations in the order they asked, each version one higher', () => {
    const first = ok(openState(), speak, hod('THA'));
    expect(first.state.version).toBe(1);
    expect(first.events).toEqual([
      { type: 'floorRequested', at: T0, by: hod('THA'), delegation: 'THA', kind: 'speak', position: 0 },
    ]);
    const state = after(first.state, [
      [speak, hod('BRN')],
      [speak, hod('SGP')],
    ]);
    expect(list(state)).toEqual(['THA:speak', 'BRN:speak', 'SGP:speak']);
    expect(state.version).toBe(3);
    expect(state.floor.speakersList[1]?.requestedAt).toBe(T0);
  });

  it('changes nothing when the delegation asks again the same way', () => {
    const state = after(openState(), [[speak, hod('THA')]]);
    const again = ok(state, speak, hod('THA'));
    expect(again.state).toBe(state);
    expect(again.events).toEqual([]);
  });

  it('puts a point of order first, after earlier points of order', () => {
    const state = after(openState(), [
      [speak, hod('THA')],
      [speak, hod('BRN')],
      [pointOfOrder, hod('SGP')],
      [pointOfOrder, hod('LAO')],
    ]);
    expect(list(state)).toEqual(['SGP:point_of_order', 'LAO:point_of_order', 'THA:speak', 'BRN:speak']);
  });

  it('puts a right of reply straight after the points of order and earlier replies, before other requests', () => {
    const state = after(openState(), [
      [speak, hod('THA')],
      [rightOfReply, hod('PHL')],
      [pointOfOrder, hod('SGP')],
      [rightOfReply, hod('IDN')],
    ]);
    expect(list(state)).toEqual([
      'SGP:point_of_order',
      'PHL:right_of_reply',
      'IDN:right_of_reply',
      'THA:speak',
    ]);
  });

  it('replaces a request when the delegation asks in another way, never listing it twice', () => {
    const state = after(openState(), [
      [speak, hod('THA')],
      [speak, hod('BRN')],
      [pointOfOrder, hod('BRN')],
    ]);
    expect(list(state)).toEqual(['BRN:point_of_order', 'THA:speak']);
  });

  it('refuses delegations outside the session, actors without a delegation, and chairs', () => {
    const state = openState();
    expect(refused(state, speak, hod('CHN'))).toBe('forbidden');
    expect(refused(state, speak, null)).toBe('forbidden');
    expect(refused(state, speak, { participantId: 'tech', delegation: null, role: 'technician' })).toBe(
      'forbidden',
    );
    expect(refused(state, speak, { participantId: 'obs', delegation: 'THA', role: 'observer' })).toBe(
      'forbidden',
    );
    expect(refused(state, speak, chair)).toBe('forbidden');
  });

  it('is open before the session starts and while it is suspended, not once it is closed', () => {
    const scheduled = initialSessionState('som', som.session);
    expect(list(ok(scheduled, speak, hod('THA')).state)).toEqual(['THA:speak']);
    const suspended = after(openState(), [[{ type: 'setStatus', status: 'suspended' }, chair]]);
    expect(list(ok(suspended, speak, hod('THA')).state)).toEqual(['THA:speak']);
    const closed = after(openState(), [[{ type: 'setStatus', status: 'closed' }, chair]]);
    expect(refused(closed, speak, hod('THA'))).toBe('conflict');
  });

  it('can be withdrawn; withdrawing without a request changes nothing', () => {
    const state = after(openState(), [
      [speak, hod('THA')],
      [speak, hod('BRN')],
    ]);
    const withdrawn = ok(state, { type: 'withdraw' }, hod('THA'));
    expect(list(withdrawn.state)).toEqual(['BRN:speak']);
    expect(withdrawn.events.map((e) => e.type)).toEqual(['requestWithdrawn']);
    expect(ok(withdrawn.state, { type: 'withdraw' }, hod('THA')).state).toBe(withdrawn.state);
  });
});

describe('giving the floor', () => {
  const queued = () =>
    after(openState(), [
      [speak, hod('THA')],
      [rightOfReply, hod('BRN')],
      [speak, hod('SGP')],
    ]);

  it('gives it to the next in the list, who leaves the list', () => {
    const given = ok(queued(), { type: 'give' }, chair, T0 + 10_000);
    expect(given.state.floor.current).toEqual({
      delegation: 'BRN',
      kind: 'right_of_reply',
      startedAt: T0 + 10_000,
      limitMs: 300_000,
      pausedAt: null,
      pausedMs: 0,
      warned: false,
      overran: false,
    });
    expect(list(given.state)).toEqual(['THA:speak', 'SGP:speak']);
    expect(given.events.map((e) => e.type)).toEqual(['floorGiven']);
  });

  it('gives it to a named delegation, taking it off the list if it was waiting', () => {
    const named = ok(queued(), { type: 'give', delegation: 'SGP' });
    expect(named.state.floor.current?.delegation).toBe('SGP');
    expect(named.state.floor.current?.kind).toBe('speak');
    expect(list(named.state)).toEqual(['BRN:right_of_reply', 'THA:speak']);
    const called = ok(queued(), { type: 'give', delegation: 'MMR' });
    expect(called.state.floor.current).toMatchObject({ delegation: 'MMR', kind: 'chair' });
    expect(list(called.state)).toHaveLength(3);
  });

  it('ends the intervention in progress and books its time', () => {
    const first = ok(queued(), { type: 'give' }, chair, T0).state;
    const second = ok(first, { type: 'give' }, chair, T0 + 42_000);
    expect(second.state.floor.current?.delegation).toBe('THA');
    expect(second.state.floor.speakingTimeMs).toEqual({ BRN: 42_000 });
    expect(second.events.map((e) => e.type)).toEqual(['interventionEnded', 'floorGiven']);
    expect(second.events[0]).toMatchObject({ delegation: 'BRN', elapsedMs: 42_000, overran: false });
    const third = ok(
      ok(second.state, { type: 'give', delegation: 'BRN' }, chair, T0 + 50_000).state,
      {
        type: 'takeBack',
      },
      chair,
      T0 + 53_000,
    );
    expect(third.state.floor.speakingTimeMs).toEqual({ BRN: 45_000, THA: 8_000 });
  });

  it('changes nothing when given again to the holder who is not waiting', () => {
    const state = ok(openState(), { type: 'give', delegation: 'MMR' }).state;
    expect(ok(state, { type: 'give', delegation: 'MMR' }, chair, T0 + 5000).state).toBe(state);
  });

  it('refuses an empty list, a delegation outside the session, and a session that is not open', () => {
    expect(refused(openState(), { type: 'give' })).toBe('conflict');
    expect(refused(openState(), { type: 'give', delegation: 'CHN' })).toBe('not_found');
    expect(refused(initialSessionState('som', som.session), { type: 'give', delegation: 'THA' })).toBe(
      'conflict',
    );
    const suspended = after(openState(), [[{ type: 'setStatus', status: 'suspended' }, chair]]);
    expect(refused(suspended, { type: 'give', delegation: 'THA' })).toBe('conflict');
  });

  it('is the chair’s: a delegate, or a chair role of a delegation that does not chair, is refused', () => {
    const state = queued();
    expect(refused(state, { type: 'give' }, hod('THA'))).toBe('forbidden');
    expect(
      refused(state, { type: 'give' }, { participantId: 'd', delegation: 'VNM', role: 'delegate' }),
    ).toBe('forbidden');
    expect(refused(state, { type: 'give' }, { participantId: 'c', delegation: 'MYS', role: 'chair' })).toBe(
      'forbidden',
    );
    expect(ok(state, { type: 'give' }, null).state.floor.current?.delegation).toBe('BRN');
  });

  it('belongs to both co-chairs of a co-chaired session', () => {
    const dialogue = sessionOf('asean-australia');
    const state = openState(dialogue.ctx);
    for (const delegation of ['MYS', 'AUS']) {
      const coChair: Actor = { participantId: `co-${delegation}`, delegation, role: 'co_chair' };
      const given = ok(state, { type: 'give', delegation: 'AUS' }, coChair, T0, dialogue.ctx);
      expect(given.state.floor.current?.delegation).toBe('AUS');
    }
    const vietNam: Actor = { participantId: 'c', delegation: 'VNM', role: 'chair' };
    expect(refused(state, { type: 'give', delegation: 'AUS' }, vietNam, T0, dialogue.ctx)).toBe('forbidden');
  });

  it('is taken back: the intervention ends; taking back an empty floor changes nothing', () => {
    const holding = ok(openState(), { type: 'give', delegation: 'IDN' }, chair, T0).state;
    const back = ok(holding, { type: 'takeBack' }, chair, T0 + 61_000);
    expect(back.state.floor.current).toBeNull();
    expect(back.state.floor.speakingTimeMs).toEqual({ IDN: 61_000 });
    expect(ok(back.state, { type: 'takeBack' }).state).toBe(back.state);
  });
});

describe('reordering the speakers list', () => {
  const queued = () =>
    after(openState(), [
      [speak, hod('THA')],
      [speak, hod('BRN')],
      [speak, hod('SGP')],
      [speak, hod('LAO')],
    ]);

  it('moves a delegation to a position, clamped to the end of the list', () => {
    const moved = ok(queued(), { type: 'move', delegation: 'LAO', position: 1 });
    expect(list(moved.state).map((e) => e.slice(0, 3))).toEqual(['THA', 'LAO', 'BRN', 'SGP']);
    expect(moved.events).toMatchObject([{ type: 'requestMoved', delegation: 'LAO', position: 1 }]);
    const last = ok(moved.state, { type: 'move', delegation: 'THA', position: 99 });
    expect(list(last.state).map((e) => e.slice(0, 3))).toEqual(['LAO', 'BRN', 'SGP', 'THA']);
    expect(last.events).toMatchObject([{ position: 3 }]);
  });

  it('changes nothing when moved to where it is; refuses one that is not waiting', () => {
    const state = queued();
    expect(ok(state, { type: 'move', delegation: 'BRN', position: 1 }).state).toBe(state);
    expect(refused(state, { type: 'move', delegation: 'MMR', position: 0 })).toBe('not_found');
    expect(refused(state, { type: 'move', delegation: 'BRN', position: 1 }, hod('BRN'))).toBe('forbidden');
  });

  it('removes a request; removing one that is not there changes nothing', () => {
    const removed = ok(queued(), { type: 'remove', delegation: 'BRN' });
    expect(list(removed.state).map((e) => e.slice(0, 3))).toEqual(['THA', 'SGP', 'LAO']);
    expect(removed.events.map((e) => e.type)).toEqual(['requestRemoved']);
    expect(ok(removed.state, { type: 'remove', delegation: 'BRN' }).state).toBe(removed.state);
  });
});

describe('the intervention timer', () => {
  const speaking = (limitSec = 300) =>
    after(openState(), [
      [{ type: 'setLimit', limitSec, scope: 'default' }, chair],
      [{ type: 'give', delegation: 'KHM' }, chair],
    ]);
  const startedAt = T0 + 1000;

  it('warns 30 s before a long limit and marks the overrun just past it, once each', () => {
    const state = speaking();
    expect(nextTimerDeadline(state)).toBe(startedAt + 270_000);
    expect(ok(state, { type: 'tick' }, null, startedAt + 269_999).state).toBe(state);
    const warned = ok(state, { type: 'tick' }, null, startedAt + 270_000);
    expect(warned.events).toMatchObject([{ type: 'timerWarning', delegation: 'KHM', by: null }]);
    expect(warned.state.floor.current).toMatchObject({ warned: true, overran: false });
    expect(ok(warned.state, { type: 'tick' }, null, startedAt + 280_000).state).toBe(warned.state);
    expect(nextTimerDeadline(warned.state)).toBe(startedAt + 300_001);
    const over = ok(warned.state, { type: 'tick' }, null, startedAt + 300_001);
    expect(over.events.map((e) => e.type)).toEqual(['timerOverrun']);
    expect(nextTimerDeadline(over.state)).toBeNull();
    expect(
      timerPhase(over.state.floor.current ?? fail(), over.state.floor.warningMs, startedAt + 300_001),
    ).toBe('overrun');
  });

  it('warns a fifth of the limit early for short limits', () => {
    const state = speaking(60);
    expect(nextTimerDeadline(state)).toBe(startedAt + 48_000);
    const current = state.floor.current ?? fail();
    expect(timerPhase(current, state.floor.warningMs, startedAt + 47_999)).toBe('running');
    expect(timerPhase(current, state.floor.warningMs, startedAt + 48_000)).toBe('warning');
  });

  it('marks a warning and an overrun that are both due in one tick', () => {
    const late = ok(speaking(60), { type: 'tick' }, null, startedAt + 90_000);
    expect(late.events.map((e) => e.type)).toEqual(['timerWarning', 'timerOverrun']);
  });

  it('does not count paused time', () => {
    const paused = ok(speaking(), { type: 'pauseTimer' }, chair, startedAt + 100_000).state;
    expect(nextTimerDeadline(paused)).toBeNull();
    expect(ok(paused, { type: 'pauseTimer' }, chair, startedAt + 110_000).state).toBe(paused);
    expect(ok(paused, { type: 'tick' }, null, startedAt + 900_000).state).toBe(paused);
    const resumed = ok(paused, { type: 'resumeTimer' }, chair, startedAt + 160_000);
    expect(resumed.state.floor.current).toMatchObject({ pausedAt: null, pausedMs: 60_000 });
    expect(nextTimerDeadline(resumed.state)).toBe(startedAt + 330_000);
    expect(ok(resumed.state, { type: 'resumeTimer' }).state).toBe(resumed.state);
    const ended = ok(resumed.state, { type: 'takeBack' }, chair, startedAt + 200_000);
    expect(ended.state.floor.speakingTimeMs).toEqual({ KHM: 140_000 });
  });

  it('never counts negative time when clocks disagree', () => {
    const paused = ok(speaking(), { type: 'pauseTimer' }, chair, startedAt + 100_000).state;
    const resumed = ok(paused, { type: 'resumeTimer' }, chair, startedAt + 90_000).state;
    expect(resumed.floor.current?.pausedMs).toBe(0);
    const ended = ok(resumed, { type: 'takeBack' }, chair, startedAt - 5000);
    expect(ended.state.floor.speakingTimeMs).toEqual({ KHM: 0 });
  });

  it('changes the limit of the intervention in progress, lifting or adding the marks', () => {
    const warned = ok(speaking(), { type: 'tick' }, null, startedAt + 280_000).state;
    const longer = ok(
      warned,
      { type: 'setLimit', limitSec: 600, scope: 'current' },
      chair,
      startedAt + 281_000,
    );
    expect(longer.state.floor.current).toMatchObject({ limitMs: 600_000, warned: false, overran: false });
    expect(longer.events.map((e) => e.type)).toEqual(['limitChanged']);
    const shorter = ok(
      longer.state,
      { type: 'setLimit', limitSec: 120, scope: 'current' },
      chair,
      startedAt + 282_000,
    );
    expect(shorter.events.map((e) => e.type)).toEqual(['limitChanged', 'timerWarning', 'timerOverrun']);
    const unlimited = ok(shorter.state, { type: 'setLimit', limitSec: null, scope: 'current' });
    expect(unlimited.state.floor.current).toMatchObject({ limitMs: null, warned: false, overran: false });
    expect(nextTimerDeadline(unlimited.state)).toBeNull();
    expect(ok(unlimited.state, { type: 'setLimit', limitSec: null, scope: 'current' }).state).toBe(
      unlimited.state,
    );
  });

  it('applies a new default limit to the next intervention only', () => {
    const state = speaking();
    const changed = ok(state, { type: 'setLimit', limitSec: 120, scope: 'default' }).state;
    expect(changed.floor.current?.limitMs).toBe(300_000);
    expect(ok(changed, { type: 'give', delegation: 'IDN' }).state.floor.current?.limitMs).toBe(120_000);
    expect(ok(changed, { type: 'setLimit', limitSec: 120, scope: 'default' }).state).toBe(changed);
  });

  it('refuses timer commands without an intervention, and bad limits', () => {
    const state = openState();
    expect(refused(state, { type: 'pauseTimer' })).toBe('conflict');
    expect(refused(state, { type: 'resumeTimer' })).toBe('conflict');
    expect(refused(state, { type: 'setLimit', limitSec: 60, scope: 'current' })).toBe('conflict');
    expect(refused(state, { type: 'setLimit', limitSec: -5, scope: 'default' })).toBe('invalid_payload');
    expect(refused(speaking(), { type: 'pauseTimer' }, hod('KHM'))).toBe('forbidden');
  });
});

describe('the tour de table', () => {
  const order = som.ctx.delegations;

  it('gives the floor to every delegation in precedence order, then ends', () => {
    const started = ok(openState(), { type: 'startTour' });
    expect(order).toEqual(['BRN', 'KHM', 'IDN', 'LAO', 'MYS', 'MMR', 'PHL', 'SGP', 'THA', 'VNM', 'ASEC']);
    expect(started.events.map((e) => e.type)).toEqual(['tourStarted', 'floorGiven']);
    expect(started.state.floor.tour).toEqual({ order, position: 0, passed: [] });
    let state = started.state;
    const holders = [state.floor.current?.delegation];
    for (let i = 1; i < order.length; i++) {
      state = ok(state, { type: 'nextInTour' }, chair, T0 + i * 1000).state;
      holders.push(state.floor.current?.delegation);
      expect(state.floor.current?.kind).toBe('tour');
    }
    expect(holders).toEqual(order);
    const done = ok(state, { type: 'nextInTour' }, chair, T0 + 20_000);
    expect(done.events.map((e) => e.type)).toEqual(['interventionEnded', 'tourEnded']);
    expect(done.events[1]).toMatchObject({ completed: true });
    expect(done.state.floor.tour).toBeNull();
    expect(done.state.floor.current).toBeNull();
    expect(Object.keys(done.state.floor.speakingTimeMs).sort()).toEqual([...order].sort());
  });

  it('lets the delegation whose turn it is pass, and only that one', () => {
    const state = ok(openState(), { type: 'startTour' }).state;
    expect(refused(state, { type: 'pass' }, hod('KHM'))).toBe('conflict');
    const passed = ok(state, { type: 'pass' }, hod('BRN'), T0 + 2000);
    expect(passed.events.map((e) => e.type)).toEqual(['tourPassed', 'interventionEnded', 'floorGiven']);
    expect(passed.state.floor.tour).toMatchObject({ position: 1, passed: ['BRN'] });
    expect(passed.state.floor.current?.delegation).toBe('KHM');
    expect(refused(openState(), { type: 'pass' }, hod('BRN'))).toBe('conflict');
  });

  it('keeps the speakers list for after the tour and refuses to give the floor meanwhile', () => {
    const state = after(openState(), [
      [speak, hod('THA')],
      [{ type: 'startTour' }, chair],
      [pointOfOrder, hod('SGP')],
    ]);
    expect(list(state)).toEqual(['SGP:point_of_order', 'THA:speak']);
    expect(refused(state, { type: 'give' })).toBe('conflict');
    expect(refused(state, { type: 'startTour' })).toBe('conflict');
    const ended = ok(state, { type: 'endTour' }, chair, T0 + 9000);
    expect(ended.events.map((e) => e.type)).toEqual(['interventionEnded', 'tourEnded']);
    expect(ended.events[1]).toMatchObject({ completed: false });
    expect(ok(ended.state, { type: 'give' }).state.floor.current?.delegation).toBe('SGP');
    expect(ok(ended.state, { type: 'endTour' }).state).toBe(ended.state);
  });

  it('continues after the chair took the floor back from a speaker', () => {
    const state = after(openState(), [
      [{ type: 'startTour' }, chair],
      [{ type: 'takeBack' }, chair],
    ]);
    expect(state.floor.current).toBeNull();
    expect(ok(state, { type: 'nextInTour' }).state.floor.current?.delegation).toBe('KHM');
    expect(refused(openState(), { type: 'nextInTour' })).toBe('conflict');
  });
});

describe('microphones', () => {
  it('in floor mode lets the chairs and the floor holder be heard; in open mode everyone', () => {
    const state = ok(openState(), { type: 'give', delegation: 'IDN' }).state;
    expect(audibleDelegations(state, som.ctx)).toEqual(new Set(['VNM', 'IDN']));
    const open = ok(state, { type: 'setMicPolicy', policy: 'open' });
    expect(open.events).toMatchObject([{ type: 'micPolicyChanged', policy: 'open' }]);
    expect(audibleDelegations(open.state, som.ctx)).toEqual(new Set(som.ctx.delegations));
    expect(ok(open.state, { type: 'setMicPolicy', policy: 'open' }).state).toBe(open.state);
  });

  it('never lets a muted delegation be heard, whatever the policy', () => {
    const state = after(openState(), [
      [{ type: 'give', delegation: 'IDN' }, chair],
      [{ type: 'mute', delegation: 'IDN', muted: true }, chair],
      [{ type: 'mute', delegation: 'THA', muted: true }, chair],
    ]);
    expect(state.floor.muted).toEqual(['IDN', 'THA']);
    expect(audibleDelegations(state, som.ctx)).toEqual(new Set(['VNM']));
    const open = ok(state, { type: 'setMicPolicy', policy: 'open' }).state;
    expect(audibleDelegations(open, som.ctx).has('THA')).toBe(false);
    const unmuted = ok(open, { type: 'mute', delegation: 'THA', muted: false });
    expect(unmuted.events).toMatchObject([{ type: 'muteChanged', delegation: 'THA', muted: false }]);
    expect(audibleDelegations(unmuted.state, som.ctx).has('THA')).toBe(true);
    expect(ok(unmuted.state, { type: 'mute', delegation: 'THA', muted: false }).state).toBe(unmuted.state);
    expect(refused(state, { type: 'mute', delegation: 'JPN', muted: true })).toBe('not_found');
  });

  it('lets nobody be heard once the session is closed', () => {
    const closed = after(openState(), [[{ type: 'setStatus', status: 'closed' }, chair]]);
    expect(audibleDelegations(closed, som.ctx)).toEqual(new Set());
  });
});

describe('presentations', () => {
  it('may be given by the floor, and move on with it', () => {
    const given = ok(openState(), { type: 'give', delegation: 'IDN' }).state;
    expect(mayPresent(given, 'IDN')).toBe(true);
    expect(mayPresent(given, 'THA')).toBe(false);
    expect(mayPresent(given, null)).toBe(false);
    const moved = ok(given, { type: 'give', delegation: 'THA' }).state;
    expect([mayPresent(moved, 'IDN'), mayPresent(moved, 'THA')]).toEqual([false, true]);
    // A suspension keeps the floor, and the presentation with it; a closed session has none.
    const suspended = ok(moved, { type: 'setStatus', status: 'suspended' }).state;
    expect(mayPresent(suspended, 'THA')).toBe(true);
    expect(mayPresent(ok(suspended, { type: 'setStatus', status: 'closed' }).state, 'THA')).toBe(false);
  });

  it('are allowed by the chair to a delegation without the floor, audited, until withdrawn', () => {
    const allowed = ok(openState(), { type: 'allowPresenter', delegation: 'THA', allowed: true });
    expect(allowed.events).toMatchObject([{ type: 'presenterAllowed', delegation: 'THA', allowed: true }]);
    expect(allowed.events.map((e) => auditEntry('som', e))).toMatchObject([
      {
        type: 'presenterAllowed',
        delegation: 'THA',
        actor: chair,
        detail: { allowed: true },
      },
    ]);
    expect(mayPresent(allowed.state, 'THA')).toBe(true);
    // The floor moving does not end an allowance.
    const moved = after(allowed.state, [
      [{ type: 'give', delegation: 'IDN' }, chair],
      [{ type: 'give', delegation: 'PHL' }, chair],
    ]);
    expect(mayPresent(moved, 'THA')).toBe(true);
    expect(ok(moved, { type: 'allowPresenter', delegation: 'THA', allowed: true }).state).toBe(moved);
    const withdrawn = ok(moved, { type: 'allowPresenter', delegation: 'THA', allowed: false }).state;
    expect(mayPresent(withdrawn, 'THA')).toBe(false);
    expect(refused(moved, { type: 'allowPresenter', delegation: 'JPN', allowed: true })).toBe('not_found');
    expect(refused(moved, { type: 'allowPresenter', delegation: 'THA', allowed: true }, hod('THA'))).toBe(
      'forbidden',
    );
    expect(after(moved, [[{ type: 'setStatus', status: 'closed' }, chair]]).floor.presenters).toEqual([]);
  });

  it('are heard, sound and all, while they may present, unless muted', () => {
    const state = after(openState(), [
      [{ type: 'give', delegation: 'IDN' }, chair],
      [{ type: 'allowPresenter', delegation: 'THA', allowed: true }, chair],
      [{ type: 'mute', delegation: 'IDN', muted: true }, chair],
    ]);
    expect(presentingDelegations(state, som.ctx)).toEqual(new Set(['THA']));
  });

  it('read as none from a state kept before presentations existed', () => {
    const { presenters: _, ...older } = openState().floor;
    expect(SessionState.parse({ ...openState(), floor: older }).floor.presenters).toEqual([]);
  });
});

describe('the session status', () => {
  it('goes scheduled → open ↔ suspended → closed and no other way', () => {
    const scheduled = initialSessionState('som', som.session);
    expect(refused(scheduled, { type: 'setStatus', status: 'suspended' })).toBe('conflict');
    expect(refused(scheduled, { type: 'setStatus', status: 'closed' })).toBe('conflict');
    const open = ok(scheduled, { type: 'setStatus', status: 'open' });
    expect(open.events).toMatchObject([{ type: 'statusChanged', from: 'scheduled', to: 'open' }]);
    expect(ok(open.state, { type: 'setStatus', status: 'open' }).state).toBe(open.state);
    const suspended = ok(open.state, { type: 'setStatus', status: 'suspended' }).state;
    const reopened = ok(suspended, { type: 'setStatus', status: 'open' }).state;
    const closed = ok(reopened, { type: 'setStatus', status: 'closed' }).state;
    expect(refused(closed, { type: 'setStatus', status: 'open' })).toBe('conflict');
    expect(ok(closed, { type: 'setStatus', status: 'closed' }).state).toBe(closed);
    expect(refused(closed, { type: 'setMicPolicy', policy: 'open' })).toBe('conflict');
    expect(refused(open.state, { type: 'setStatus', status: 'closed' }, hod('VNM'))).toBe('forbidden');
  });

  it('pauses the speaker’s timer on suspension; the chair resumes it after reopening', () => {
    const speaking = ok(openState(), { type: 'give', delegation: 'PHL' }, chair, T0).state;
    const suspended = ok(speaking, { type: 'setStatus', status: 'suspended' }, chair, T0 + 30_000);
    expect(suspended.events.map((e) => e.type)).toEqual(['statusChanged', 'timerPaused']);
    expect(suspended.state.floor.current).toMatchObject({ delegation: 'PHL', pausedAt: T0 + 30_000 });
    expect(refused(suspended.state, { type: 'resumeTimer' })).toBe('conflict');
    const reopened = ok(suspended.state, { type: 'setStatus', status: 'open' }, chair, T0 + 90_000).state;
    expect(reopened.floor.current?.pausedAt).toBe(T0 + 30_000);
    const resumed = ok(reopened, { type: 'resumeTimer' }, chair, T0 + 95_000).state;
    expect(resumed.floor.current?.pausedMs).toBe(65_000);
  });

  it('ends the intervention, the tour and the speakers list on closing', () => {
    const state = after(openState(), [
      [speak, hod('THA')],
      [{ type: 'startTour' }, chair],
    ]);
    const closed = ok(state, { type: 'setStatus', status: 'closed' }, chair, T0 + 11_000);
    expect(closed.events.map((e) => e.type)).toEqual(['statusChanged', 'interventionEnded', 'tourEnded']);
    expect(closed.state.floor).toMatchObject({ current: null, tour: null, speakersList: [] });
    expect(closed.state.floor.speakingTimeMs).toEqual({ BRN: 10_000 });
  });
});

describe('the audit trail', () => {
  it('records who did what to which delegation, when', () => {
    const given = ok(openState(), { type: 'give', delegation: 'MMR' }, chair, T0);
    expect(given.events[0] && auditEntry('som', given.events[0])).toEqual({
      at: T0,
      sessionId: 'som',
      type: 'floorGiven',
      actor: chair,
      delegation: 'MMR',
      detail: { kind: 'chair', limitMs: 300_000 },
    });
    const policy = ok(openState(), { type: 'setMicPolicy', policy: 'open' }, null, T0);
    expect(policy.events[0] && auditEntry('som', policy.events[0])).toMatchObject({
      actor: null,
      delegation: null,
      detail: { policy: 'open' },
    });
  });
});

function fail(): never {
  throw new Error('expected an intervention');
}
