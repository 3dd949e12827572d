// The proceedings' invariants, over random sequences of commands from random actors at random times.
import { type BallotChoice, ProceedingsState as ProceedingsSchema } from '@summit-bridge/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyProceedings,
  nextProceedingsDeadline,
  type ProceedingsCommand,
  tally,
} from '../../src/domain/proceedings.js';
import type { Actor } from '../../src/domain/sessionMachine.js';
import { chair, hod, T0 } from './meeting.js';
import { file, pctx, secretariat, tabled } from './proceedingsMeeting.js';

const delegations = pctx.delegations;
const anyDelegation = fc.constantFrom(...delegations, 'CHN');
const anyActor: fc.Arbitrary<Actor | null> = fc.oneof(
  { weight: 5, arbitrary: anyDelegation.map(hod) },
  { weight: 3, arbitrary: fc.constant(chair) },
  { weight: 1, arbitrary: fc.constant(secretariat) },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: anyDelegation.map(
      (d): Actor => ({ participantId: `adviser-${d.toLowerCase()}`, delegation: d, role: 'delegate' }),
    ),
  },
);
const anyChoice = fc.constantFrom<BallotChoice>('yes', 'no', 'abstain', 'not_participating');
const anyId = (prefix: string) => fc.integer({ min: 1, max: 3 }).map((n) => `${prefix}${n}`);

const anyCommand: fc.Arbitrary<ProceedingsCommand> = fc.oneof(
  fc
    .record({ documentId: fc.constant('d1'), sha: fc.constantFrom('b', 'c') })
    .map(({ documentId, sha }) => ({ type: 'addVersion', documentId, file: file('en', sha) }) as const),
  fc
    .record({
      version: fc.integer({ min: 1, max: 3 }),
      mode: fc.constantFrom('in_session' as const, 'silence' as const),
      durationMs: fc.constantFrom(10_000, 60_000, 3_600_000, 72 * 3_600_000),
    })
    .map((c) => ({ type: 'openAdoption', documentId: 'd1', ...c }) as const),
  fc
    .record({ adoptionId: anyId('a'), delegation: anyDelegation, reason: fc.constantFrom(null, 'no') })
    .map((c) => ({ type: 'object', ...c }) as const),
  anyId('a').map((adoptionId) => ({ type: 'withdrawAdoption', adoptionId }) as const),
  fc
    .record({
      majority: fc.constantFrom('simple' as const, 'two_thirds' as const, 'unanimity' as const),
      durationMs: fc.constantFrom(null, 30_000),
    })
    .map((c) => ({ type: 'callVote', question: 'Q?', documentId: null, version: null, ...c }) as const),
  fc
    .record({ voteId: anyId('v'), delegation: anyDelegation, choice: anyChoice })
    .map((c) => ({ type: 'castBallot', ...c }) as const),
  fc
    .record({ voteId: anyId('v'), present: fc.subarray(delegations) })
    .map((c) => ({ type: 'closeVote', ...c }) as const),
  fc.subarray(delegations).map((present) => ({ type: 'tick', present }) as const),
);

const steps = fc.array(fc.tuple(anyCommand, anyActor, fc.integer({ min: 0, max: 40_000 })), {
  maxLength: 60,
});

describe('proceedings properties', () => {
  it('one voice per delegation, one open procedure, objections only from their own delegation', () => {
    fc.assert(
      fc.property(steps, (script) => {
        let state = tabled();
        let now = T0;
        for (const [command, actor, dt] of script) {
          now += dt;
          const result = applyProceedings(state, command, actor, pctx, now);
          if (!result.ok) continue;
          if (result.events.length > 0) expect(result.state.version).toBe(state.version + 1);
          else expect(result.state.version).toBe(state.version);
          for (const event of result.events)
            if (event.type === 'objectionRaised' || event.type === 'ballotCast')
              expect(event.by?.delegation).toBe(event.delegation);
          state = result.state;
          ProceedingsSchema.parse(state);
          const open = [...state.adoptions, ...state.votes].filter((p) => p.status === 'open');
          expect(open.length).toBeLessThanOrEqual(1);
          for (const vote of state.votes) {
            const voters = vote.ballots.map((b) => b.delegation);
            expect(new Set(voters).size).toBe(voters.length);
            expect(voters.every((d) => delegations.includes(d))).toBe(true);
            expect(voters).toEqual(
              [...voters].sort((a, b) => delegations.indexOf(a) - delegations.indexOf(b)),
            );
          }
          for (const adoption of state.adoptions) {
            const objectors = adoption.objections.map((o) => o.delegation);
            expect(new Set(objectors).size).toBe(objectors.length);
            if (adoption.status === 'adopted') expect(objectors).toEqual([]);
            if (adoption.status === 'not_adopted') expect(objectors.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a tick at or after the next deadline closes what is due; a second tick changes nothing', () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 0, max: 100 * 3_600_000 }), (script, later) => {
        let state = tabled();
        let now = T0;
        for (const [command, actor, dt] of script) {
          now += dt;
          const result = applyProceedings(state, command, actor, pctx, now);
          if (result.ok) state = result.state;
        }
        const deadline = nextProceedingsDeadline(state);
        if (deadline === null) return;
        const at = Math.max(now, deadline) + later;
        const ticked = applyProceedings(state, { type: 'tick', present: delegations }, null, pctx, at);
        if (!ticked.ok) throw new Error(ticked.error.message);
        expect(ticked.events.length).toBeGreaterThan(0);
        const again = nextProceedingsDeadline(ticked.state);
        expect(again === null || again > at).toBe(true);
        const twice = applyProceedings(ticked.state, { type: 'tick', present: delegations }, null, pctx, at);
        expect(twice.ok && twice.events).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('tallies: every delegation counted once; unanimity implies two thirds implies simple', () => {
    const ballots = fc.array(fc.record({ delegation: anyDelegation, choice: anyChoice }), { maxLength: 30 });
    fc.assert(
      fc.property(ballots, fc.subarray(delegations), (cast, present) => {
        const t = (rule: 'simple' | 'two_thirds' | 'unanimity') => tally(cast, rule, delegations, present);
        const simple = t('simple');
        expect(simple.yes + simple.no + simple.abstain + simple.notParticipating + simple.noBallot).toBe(
          delegations.length,
        );
        expect(simple.present).toBeGreaterThanOrEqual(present.length);
        if (t('unanimity').carried) expect(t('two_thirds').carried).toBe(true);
        if (t('two_thirds').carried) expect(simple.carried).toBe(true);
        if (simple.carried) expect(simple.yes).toBeGreaterThan(simple.no);
      }),
      { numRuns: 500 },
    );
  });

  it('a yes in place of a no never turns a carried motion into a failed one', () => {
    const ballots = fc.array(fc.record({ delegation: anyDelegation, choice: anyChoice }), { maxLength: 30 });
    fc.assert(
      fc.property(
        ballots,
        fc.constantFrom('simple' as const, 'two_thirds' as const, 'unanimity' as const),
        (cast, rule) => {
          const before = tally(cast, rule, delegations, delegations);
          const flipped = cast.map((b) => (b.choice === 'no' ? { ...b, choice: 'yes' as const } : b));
          const after = tally(flipped, rule, delegations, delegations);
          if (before.carried) expect(after.carried).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
