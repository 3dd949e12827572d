// Interpretation booths: handover between boothmates, the cough button, relay without circles,
// and a live interpreter who drops. Pure; examples here, invariants in booths.property.test.ts.
import { describe, expect, it } from 'vitest';
import {
  applyBoothCommand,
  type BoothCommand,
  type Booths,
  type Interpreter,
  initialBooths,
  onAir,
  relayChain,
} from '../../src/domain/booths.js';
import { type Actor, applyCommand, initialSessionState } from '../../src/domain/sessionMachine.js';
import { chair, hod, T0 as MEETING_T0, som } from './meeting.js';

const T0 = 1_700_000_000_000;
const vi1: Interpreter = { participantId: 'interp-vi-1', booth: 'vi' };
const vi2: Interpreter = { participantId: 'interp-vi-2', booth: 'vi' };
const en1: Interpreter = { participantId: 'interp-en-1', booth: 'en' };
const zh1: Interpreter = { participantId: 'interp-zh-1', booth: 'zh' };

function run(booths: Booths, ...steps: [BoothCommand, Interpreter | null][]): Booths {
  let now = T0;
  let at = booths;
  for (const [command, by] of steps) {
    now += 1000;
    const result = applyBoothCommand(at, command, by, now);
    if (!result.ok) throw new Error(`${command.type} refused: ${result.error.message}`);
    at = result.booths;
  }
  return at;
}

const fresh = () => initialBooths({ floor: 'fil', booths: ['en', 'vi', 'zh'] });

describe('booths', () => {
  it('start silent, interpreting from the floor', () => {
    const booths = fresh();
    expect(Object.keys(booths)).toEqual(['en', 'vi', 'zh']);
    expect(booths.vi).toMatchObject({ live: null, input: 'floor', coughing: false, handover: null });
    expect(initialBooths(undefined)).toEqual({});
  });

  it('put the first to take over on air at once', () => {
    const result = applyBoothCommand(fresh(), { type: 'takeOver' }, vi1, T0);
    expect(result).toMatchObject({
      ok: true,
      events: [{ type: 'interpreterLive', booth: 'vi', participantId: vi1.participantId, after: null }],
    });
    if (result.ok) expect(result.booths.vi).toMatchObject({ live: vi1.participantId, liveSince: T0 });
  });

  it('hand over in two steps: the partner asks, the live one hands over', () => {
    const asked = run(fresh(), [{ type: 'takeOver' }, vi1], [{ type: 'takeOver' }, vi2]);
    // Asking does not take the channel: the partner sees it coming.
    expect(asked.vi).toMatchObject({
      live: vi1.participantId,
      handover: { kind: 'request', by: vi2.participantId },
    });
    const done = applyBoothCommand(asked, { type: 'handOver' }, vi1, T0 + 10_000);
    expect(done).toMatchObject({
      ok: true,
      events: [{ type: 'interpreterLive', participantId: vi2.participantId, after: vi1.participantId }],
    });
    if (done.ok)
      expect(done.booths.vi).toMatchObject({
        live: vi2.participantId,
        handover: null,
        liveSince: T0 + 10_000,
      });
  });

  it('hand over in two steps the other way: the live one offers, the partner takes over', () => {
    const offered = run(fresh(), [{ type: 'takeOver' }, vi1], [{ type: 'handOver' }, vi1]);
    expect(offered.vi).toMatchObject({
      live: vi1.participantId,
      handover: { kind: 'offer', by: vi1.participantId },
    });
    const done = run(offered, [{ type: 'takeOver' }, vi2]);
    expect(done.vi).toMatchObject({ live: vi2.participantId, handover: null });
  });

  it('refuse to hand over or cough off air, and a second request to take over', () => {
    const live = run(fresh(), [{ type: 'takeOver' }, vi1], [{ type: 'takeOver' }, vi2]);
    expect(applyBoothCommand(fresh(), { type: 'handOver' }, vi1, T0)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(applyBoothCommand(live, { type: 'cough', on: true }, vi2, T0)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const third = { participantId: 'interp-vi-3', booth: 'vi' };
    expect(applyBoothCommand(live, { type: 'takeOver' }, third, T0)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('silence the live interpreter while the cough button is held, and no longer', () => {
    const coughing = run(fresh(), [{ type: 'takeOver' }, vi1], [{ type: 'cough', on: true }, vi1]);
    expect(onAir(coughing, 'vi', vi1.participantId)).toBe(false);
    const back = run(coughing, [{ type: 'cough', on: false }, vi1]);
    expect(onAir(back, 'vi', vi1.participantId)).toBe(true);
    // A handover ends a cough: the new voice is not silenced by the old one's button.
    const handed = run(coughing, [{ type: 'takeOver' }, vi2], [{ type: 'handOver' }, vi1]);
    expect(handed.vi).toMatchObject({ live: vi2.participantId, coughing: false });
  });

  it('fall silent when the live interpreter drops, and say who dropped', () => {
    const live = run(fresh(), [{ type: 'takeOver' }, vi1], [{ type: 'takeOver' }, vi2]);
    const result = applyBoothCommand(
      live,
      { type: 'interpreterLeft', participantId: vi1.participantId, booth: 'vi' },
      null,
      T0 + 5000,
    );
    expect(result).toMatchObject({ ok: true, events: [{ type: 'interpreterDropped', booth: 'vi' }] });
    if (!result.ok) return;
    // Silent: the partner's pending request does not put it on air unasked.
    expect(result.booths.vi).toMatchObject({
      live: null,
      handover: null,
      dropped: { participantId: vi1.participantId, at: T0 + 5000 },
    });
    const taken = run(result.booths, [{ type: 'takeOver' }, vi2]);
    expect(taken.vi).toMatchObject({ live: vi2.participantId, dropped: null });
  });

  it('forget a departed partner’s request, and ignore one who was never on air', () => {
    const live = run(fresh(), [{ type: 'takeOver' }, vi1], [{ type: 'takeOver' }, vi2]);
    const gone = run(live, [
      { type: 'interpreterLeft', participantId: vi2.participantId, booth: 'vi' },
      null,
    ]);
    expect(gone.vi).toMatchObject({ live: vi1.participantId, handover: null, dropped: null });
    const unchanged = applyBoothCommand(
      gone,
      { type: 'interpreterLeft', participantId: 'x', booth: 'vi' },
      null,
      T0,
    );
    expect(unchanged).toMatchObject({ ok: true, events: [] });
    if (unchanged.ok) expect(unchanged.booths).toBe(gone);
  });

  it('relay through another booth, never in a circle, never from itself', () => {
    // Lao into English, English into Vietnamese: vi listens to en, en to the floor.
    const relayed = run(fresh(), [{ type: 'setBoothInput', input: 'en' }, vi1]);
    expect(relayed.vi?.input).toBe('en');
    expect(relayChain(relayed, 'vi')).toEqual(['vi', 'en']);
    const chained = run(relayed, [{ type: 'setBoothInput', input: 'vi' }, zh1]);
    expect(relayChain(chained, 'zh')).toEqual(['zh', 'vi', 'en']);
    // en ← zh ← vi ← en would go round for ever.
    expect(applyBoothCommand(chained, { type: 'setBoothInput', input: 'zh' }, en1, T0)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('en ← zh ← vi ← en') },
    });
    expect(applyBoothCommand(chained, { type: 'setBoothInput', input: 'vi' }, vi1, T0)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(applyBoothCommand(chained, { type: 'setBoothInput', input: 'ja' }, vi1, T0)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(run(chained, [{ type: 'setBoothInput', input: 'floor' }, vi1]).vi?.input).toBe('floor');
  });

  it('refuse a booth the session does not have', () => {
    expect(
      applyBoothCommand(fresh(), { type: 'takeOver' }, { participantId: 'p', booth: 'ko' }, T0),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('booths in a session', () => {
  const interpreter: Actor = {
    participantId: 'interp-vi-1',
    delegation: null,
    role: 'interpreter',
    booth: 'vi',
  };
  const state = initialSessionState('som', som.session);

  it('are worked by the session’s interpreters, audited as events, and bump the version', () => {
    const result = applyCommand(state, { type: 'takeOver' }, interpreter, som.ctx, MEETING_T0);
    expect(result).toMatchObject({
      ok: true,
      events: [{ type: 'interpreterLive', booth: 'vi', by: interpreter }],
    });
    if (result.ok)
      expect(result.state).toMatchObject({ version: 1, booths: { vi: { live: 'interp-vi-1' } } });
  });

  it('refuse anyone without a booth, and a departure reported by anyone but the server', () => {
    for (const actor of [chair, hod('LAO'), { ...interpreter, booth: null }])
      expect(applyCommand(state, { type: 'takeOver' }, actor, som.ctx, MEETING_T0)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    const left = { type: 'interpreterLeft', participantId: 'interp-vi-1', booth: 'vi' } as const;
    expect(applyCommand(state, left, interpreter, som.ctx, MEETING_T0)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(applyCommand(state, left, null, som.ctx, MEETING_T0)).toMatchObject({ ok: true });
  });

  it('refuse an interpreter whose booth the session does not have', () => {
    expect(
      applyCommand(state, { type: 'takeOver' }, { ...interpreter, booth: 'zh' }, som.ctx, MEETING_T0),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
