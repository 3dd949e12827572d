// Documents, adoption by consensus and roll-call votes, command by command.
import { describe, expect, it } from 'vitest';
import { nextProceedingsDeadline, requiredYes, tally } from '../../src/domain/proceedings.js';
import { chair, hod, som, T0 } from './meeting.js';
import { file, refusedWith, run, secretariat, tabled } from './proceedingsMeeting.js';

const MIN = 60_000;
const open = (mode: 'in_session' | 'silence' = 'in_session', durationMs = MIN) =>
  run(tabled(), { type: 'openAdoption', documentId: 'd1', version: 1, mode, durationMs }).state;

describe('documents', () => {
  it('tables a document, adds versions and language versions, keeping the earlier ones', () => {
    let state = tabled();
    state = run(
      state,
      { type: 'addVersion', documentId: 'd1', file: file('en', 'b') },
      secretariat,
      T0 + 1,
    ).state;
    state = run(
      state,
      { type: 'addLanguage', documentId: 'd1', version: 2, file: file('vi', 'c') },
      chair,
    ).state;
    const [doc] = state.documents;
    expect(doc?.versions.map((v) => [v.version, v.files.map((f) => f.language)])).toEqual([
      [1, ['en']],
      [2, ['en', 'vi']],
    ]);
    expect(state.version).toBe(3);
  });

  it('refuses a symbol tabled twice, and delegations tabling', () => {
    const state = tabled();
    expect(
      refusedWith(
        state,
        { type: 'tableDocument', title: 'Again', symbol: 'ACC/2020/REC.1', file: file() },
        secretariat,
      ),
    ).toBe('conflict');
    expect(
      refusedWith(state, { type: 'tableDocument', title: 'Mine', symbol: 'X/1', file: file() }, hod('IDN')),
    ).toBe('forbidden');
  });

  it('puts a document on screen and follows the chair scrolling; delegates may not', () => {
    let state = run(tabled(), { type: 'show', documentId: 'd1', version: 1, language: 'en', page: 1 }).state;
    state = run(state, { type: 'scroll', page: 3, scroll: 0.5 }).state;
    expect(state.onScreen).toEqual({ documentId: 'd1', version: 1, language: 'en', page: 3, scroll: 0.5 });
    expect(refusedWith(state, { type: 'scroll', page: 1, scroll: 0 }, hod('IDN'))).toBe('forbidden');
    expect(refusedWith(state, { type: 'show', documentId: 'd1', version: 1, language: 'fr', page: 1 })).toBe(
      'not_found',
    );
    expect(run(state, { type: 'hide' }).state.onScreen).toBeNull();
  });
});

describe('adoption by consensus', () => {
  it('adopts at the deadline without objection, once', () => {
    const state = open();
    expect(nextProceedingsDeadline(state)).toBe(T0 + MIN);
    expect(run(state, { type: 'tick', present: [] }, null, T0 + MIN - 1).events).toEqual([]);
    const closed = run(state, { type: 'tick', present: [] }, null, T0 + MIN);
    expect(closed.events.map((e) => e.type)).toEqual(['adoptionClosed']);
    expect(closed.state.adoptions[0]?.status).toBe('adopted');
    expect(nextProceedingsDeadline(closed.state)).toBeNull();
    expect(run(closed.state, { type: 'tick', present: [] }, null, T0 + 2 * MIN).events).toEqual([]);
  });

  it('records objections, one per delegation; an objection stands at the deadline', () => {
    let state = open();
    state = run(
      state,
      { type: 'object', adoptionId: 'a1', delegation: 'IDN', reason: 'para 3' },
      hod('IDN'),
    ).state;
    expect(
      refusedWith(state, { type: 'object', adoptionId: 'a1', delegation: 'IDN', reason: null }, hod('IDN')),
    ).toBe('conflict');
    const closed = run(state, { type: 'tick', present: [] }, null, T0 + MIN);
    expect(closed.state.adoptions[0]).toMatchObject({
      status: 'not_adopted',
      objections: [{ delegation: 'IDN' }],
    });
  });

  it('forbids objecting for another delegation, or without the grant', () => {
    const state = open();
    expect(
      refusedWith(state, { type: 'object', adoptionId: 'a1', delegation: 'MMR', reason: null }, hod('IDN')),
    ).toBe('forbidden');
    const adviser = { participantId: 'adviser-idn', delegation: 'IDN', role: 'delegate' as const };
    expect(
      refusedWith(state, { type: 'object', adoptionId: 'a1', delegation: 'IDN', reason: null }, adviser),
    ).toBe('forbidden');
    expect(
      refusedWith(state, { type: 'object', adoptionId: 'a1', delegation: 'CHN', reason: null }, hod('CHN')),
    ).toBe('forbidden');
  });

  it('refuses objections after the deadline', () => {
    const state = open();
    expect(
      refusedWith(
        state,
        { type: 'object', adoptionId: 'a1', delegation: 'IDN', reason: null },
        hod('IDN'),
        T0 + MIN,
      ),
    ).toBe('conflict');
  });

  it('lets the chair withdraw, after which nothing is adopted and a new version may go', () => {
    let state = open();
    state = run(
      state,
      { type: 'object', adoptionId: 'a1', delegation: 'IDN', reason: null },
      hod('IDN'),
    ).state;
    state = run(state, { type: 'withdrawAdoption', adoptionId: 'a1' }).state;
    expect(state.adoptions[0]?.status).toBe('withdrawn');
    expect(run(state, { type: 'tick', present: [] }, null, T0 + MIN).events).toEqual([]);
    expect(refusedWith(state, { type: 'withdrawAdoption', adoptionId: 'a1' })).toBe('conflict');
    state = run(state, { type: 'addVersion', documentId: 'd1', file: file('en', 'b') }, secretariat).state;
    state = run(state, {
      type: 'openAdoption',
      documentId: 'd1',
      version: 2,
      mode: 'in_session',
      durationMs: MIN,
    }).state;
    expect(state.adoptions.map((a) => [a.id, a.version, a.status])).toEqual([
      ['a1', 1, 'withdrawn'],
      ['a2', 2, 'open'],
    ]);
  });

  it('bounds deadlines by mode: in session up to an hour, silence from the minimum to 14 days', () => {
    const state = tabled();
    const opening = (mode: 'in_session' | 'silence', durationMs: number) =>
      refusedWith(state, { type: 'openAdoption', documentId: 'd1', version: 1, mode, durationMs });
    expect(opening('in_session', 5_000)).toBe('invalid_payload');
    expect(opening('in_session', 2 * 3_600_000)).toBe('invalid_payload');
    expect(opening('silence', MIN)).toBe('invalid_payload');
    expect(opening('silence', 15 * 24 * 3_600_000)).toBe('invalid_payload');
    const silence = open('silence', 72 * 3_600_000);
    expect(nextProceedingsDeadline(silence)).toBe(T0 + 72 * 3_600_000);
  });

  it('keeps one procedure open at a time, and delegates away from chairing', () => {
    const state = open();
    expect(
      refusedWith(state, {
        type: 'callVote',
        question: 'Q',
        documentId: null,
        version: null,
        majority: 'simple',
        durationMs: null,
      }),
    ).toBe('conflict');
    expect(
      refusedWith(
        tabled(),
        { type: 'openAdoption', documentId: 'd1', version: 1, mode: 'in_session', durationMs: MIN },
        hod('IDN'),
      ),
    ).toBe('forbidden');
    expect(refusedWith(state, { type: 'tick', present: [] }, chair)).toBe('forbidden');
  });
});

describe('roll-call votes', () => {
  const call = (majority: 'simple' | 'two_thirds' | 'unanimity', durationMs: number | null = null) =>
    run(tabled(), {
      type: 'callVote',
      question: 'Adopt REC.1?',
      documentId: 'd1',
      version: 1,
      majority,
      durationMs,
    }).state;

  it('keeps one ballot per delegation, in precedence order, the latest counting', () => {
    let state = call('simple');
    for (const [d, choice] of [
      ['VNM', 'yes'],
      ['BRN', 'no'],
      ['BRN', 'yes'],
      ['IDN', 'abstain'],
    ] as const)
      state = run(
        state,
        { type: 'castBallot', voteId: 'v1', delegation: d, choice },
        d === 'VNM' ? chair : hod(d),
      ).state;
    expect(state.votes[0]?.ballots.map((b) => `${b.delegation}:${b.choice}`)).toEqual([
      'BRN:yes',
      'IDN:abstain',
      'VNM:yes',
    ]);
  });

  it('forbids voting for another delegation and closing the vote as a delegate', () => {
    const state = call('simple');
    expect(
      refusedWith(state, { type: 'castBallot', voteId: 'v1', delegation: 'MMR', choice: 'no' }, hod('IDN')),
    ).toBe('forbidden');
    expect(refusedWith(state, { type: 'closeVote', voteId: 'v1', present: [] }, hod('IDN'))).toBe(
      'forbidden',
    );
    expect(
      refusedWith(
        state,
        { type: 'castBallot', voteId: 'v1', delegation: null as never, choice: 'no' },
        secretariat,
      ),
    ).toBe('forbidden');
  });

  it('is closed by the chair, or at its deadline, with the tally', () => {
    let state = call('two_thirds', MIN);
    for (const d of ['BRN', 'KHM', 'IDN'])
      state = run(state, { type: 'castBallot', voteId: 'v1', delegation: d, choice: 'yes' }, hod(d)).state;
    state = run(
      state,
      { type: 'castBallot', voteId: 'v1', delegation: 'LAO', choice: 'no' },
      hod('LAO'),
    ).state;
    const present = som.ctx.delegations.slice(0, 7);
    const closed = run(state, { type: 'tick', present }, null, T0 + MIN);
    expect(closed.state.votes[0]?.tally).toMatchObject({
      yes: 3,
      no: 1,
      required: 3,
      present: 7,
      quorate: true,
      carried: true,
    });
    expect(
      refusedWith(
        closed.state,
        { type: 'castBallot', voteId: 'v1', delegation: 'MYS', choice: 'no' },
        hod('MYS'),
      ),
    ).toBe('conflict');
    expect(refusedWith(closed.state, { type: 'closeVote', voteId: 'v1', present })).toBe('conflict');
  });

  it('counts under each majority rule', () => {
    const all = som.ctx.delegations; // 11 delegations: quorum 6
    const ballots = (yes: number, no: number, abstain: number) =>
      all.slice(0, yes + no + abstain).map((delegation, i) => ({
        delegation,
        choice: i < yes ? ('yes' as const) : i < yes + no ? ('no' as const) : ('abstain' as const),
      }));
    const carried = (rule: 'simple' | 'two_thirds' | 'unanimity', y: number, n: number, a: number) =>
      tally(ballots(y, n, a), rule, all, all).carried;
    expect(carried('simple', 4, 3, 4)).toBe(true);
    expect(carried('simple', 3, 3, 5)).toBe(false);
    expect(carried('two_thirds', 6, 3, 2)).toBe(true);
    expect(carried('two_thirds', 5, 3, 3)).toBe(false);
    expect(carried('unanimity', 6, 0, 5)).toBe(true);
    expect(carried('unanimity', 10, 1, 0)).toBe(false);
    expect(carried('simple', 0, 0, 11)).toBe(false);
    // Without a quorum nothing carries: 3 present of 11.
    expect(tally(ballots(3, 0, 0), 'simple', all, []).quorate).toBe(false);
    expect(tally(ballots(3, 0, 0), 'simple', all, []).carried).toBe(false);
    expect([requiredYes('simple', 7), requiredYes('two_thirds', 9), requiredYes('unanimity', 5)]).toEqual([
      4, 6, 5,
    ]);
  });
});
