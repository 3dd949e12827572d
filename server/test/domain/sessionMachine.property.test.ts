// The floor's invariants, over random sequences of commands from random actors at random times.
import { elapsedMs, type SessionState, SessionState as SessionStateSchema } from '@summit-bridge/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audibleDelegations } from '../../src/domain/micPolicy.js';
import {
  type Actor,
  applyCommand,
  type DomainEvent,
  nextTimerDeadline,
  type SessionCommand,
} from '../../src/domain/sessionMachine.js';
import { chair, hod, openState, som, T0 } from './meeting.js';

const ctx = som.ctx;
// Some delegations of the summit that are not in the SOM, and one of no summit at all.
const outsiders = ['CHN', 'AUS', 'ZZZ'];
const anyDelegation = fc.constantFrom(...ctx.delegations, ...outsiders);

const anyActor: fc.Arbitrary<Actor | null> = fc.oneof(
  { weight: 4, arbitrary: anyDelegation.map(hod) },
  { weight: 4, arbitrary: fc.constant(chair) },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Actor>(
      { participantId: 'chair-mys', delegation: 'MYS', role: 'chair' },
      { participantId: 'tech', delegation: null, role: 'technician' },
      { participantId: 'obs', delegation: 'THA', role: 'observer' },
    ),
  },
);

const anyCommand: fc.Arbitrary<SessionCommand> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom('speak', 'speak', 'point_of_order', 'right_of_reply')
      .map((kind) => ({ type: 'request', kind }) as const),
  },
  { weight: 2, arbitrary: fc.constant({ type: 'withdraw' } as const) },
  { weight: 2, arbitrary: fc.constant({ type: 'pass' } as const) },
  {
    weight: 4,
    arbitrary: fc
      .option(anyDelegation, { nil: undefined })
      .map((delegation) => ({ type: 'give', delegation }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'takeBack' } as const) },
  {
    weight: 2,
    arbitrary: fc
      .record({ delegation: anyDelegation, position: fc.nat(15) })
      .map((m) => ({ type: 'move', ...m }) as const),
  },
  { weight: 1, arbitrary: anyDelegation.map((delegation) => ({ type: 'remove', delegation }) as const) },
  {
    weight: 2,
    arbitrary: fc
      .record({ limitSec: fc.constantFrom(null, 10, 60, 300), scope: fc.constantFrom('current', 'default') })
      .map((l) => ({ type: 'setLimit', ...l }) as const),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom({ type: 'pauseTimer' } as const, { type: 'resumeTimer' } as const),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      { type: 'startTour' } as const,
      { type: 'nextInTour' } as const,
      { type: 'endTour' } as const,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('floor', 'open').map((policy) => ({ type: 'setMicPolicy', policy }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ delegation: anyDelegation, muted: fc.boolean() })
      .map((m) => ({ type: 'mute', ...m }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ delegation: anyDelegation, allowed: fc.boolean() })
      .map((m) => ({ type: 'allowPresenter', ...m }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('open', 'open', 'open', 'suspended', 'suspended', 'closed')
      .map((status) => ({ type: 'setStatus', status }) as const),
  },
  { weight: 3, arbitrary: fc.constant({ type: 'tick' } as const) },
);

const delegationCommands: SessionCommand['type'][] = ['request', 'withdraw', 'pass'];
/** Mostly the actor a command is meant for (a delegation of the session, or the chair), sometimes anyone. */
const actorFor = (command: SessionCommand): fc.Arbitrary<Actor | null> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: delegationCommands.includes(command.type)
        ? fc.constantFrom(...ctx.delegations).map(hod)
        : fc.constant(chair),
    },
    { weight: 1, arbitrary: anyActor },
  );

/** Seconds or minutes after the previous command — or a little before (another server's clock). */
const anyDelay = fc.oneof(
  fc.integer({ min: 0, max: 20_000 }),
  fc.integer({ min: 0, max: 400_000 }),
  fc.integer({ min: -3000, max: -1 }),
);

const anyStep = anyCommand.chain((command) =>
  fc.record({ command: fc.constant(command), actor: actorFor(command), dt: anyDelay }),
);
const anySteps = fc.array(anyStep, { maxLength: 80, size: 'max' });

interface Step {
  command: SessionCommand;
  actor: Actor | null;
  dt: number;
}

interface Applied {
  state: SessionState;
  now: number;
  changed: boolean;
  events: DomainEvent[];
}

/** Runs the steps from an open SOM, calling `read` on every state in between. */
function play(steps: Step[], read = (s: SessionState) => s): Applied[] {
  const applied: Applied[] = [];
  let state = read(openState());
  let now = T0;
  for (const { command, actor, dt } of steps) {
    now += dt;
    const result = applyCommand(state, command, actor, ctx, now);
    const next = result.ok ? result.state : state;
    applied.push({ state: next, now, changed: next !== state, events: result.ok ? result.events : [] });
    state = read(next);
  }
  return applied;
}

describe('floor invariants', () => {
  it('never lists a delegation twice, and only delegations of the session are listed or hold the floor', () => {
    fc.assert(
      fc.property(anySteps, (steps) => {
        for (const { state } of play(steps)) {
          const listed = state.floor.speakersList.map((r) => r.delegation);
          expect(new Set(listed).size).toBe(listed.length);
          for (const d of listed) expect(ctx.delegations).toContain(d);
          if (state.floor.current) expect(ctx.delegations).toContain(state.floor.current.delegation);
          for (const d of Object.keys(state.floor.speakingTimeMs)) expect(ctx.delegations).toContain(d);
          const presenters = state.floor.presenters;
          expect(new Set(presenters).size).toBe(presenters.length);
          for (const d of presenters) expect(ctx.delegations).toContain(d);
        }
      }),
    );
  });

  it('always produces a state the protocol schema accepts', () => {
    fc.assert(
      fc.property(anySteps, (steps) => {
        for (const { state } of play(steps)) expect(SessionStateSchema.parse(state)).toEqual(state);
      }),
    );
  });

  it('raises the version by exactly one per change, with events exactly when something changed', () => {
    fc.assert(
      fc.property(anySteps, (steps) => {
        let version = 0;
        for (const { state, changed, events } of play(steps)) {
          expect(state.version).toBe(changed ? version + 1 : version);
          expect(events.length > 0).toBe(changed);
          version = state.version;
        }
      }),
    );
  });

  it('gives the same list, floor and events whatever is read in between', () => {
    fc.assert(
      fc.property(anySteps, (steps) => {
        const plain = play(steps);
        // Reads a client or server may make between commands, including a trip through a store.
        const reread = play(steps, (s) => {
          audibleDelegations(s, ctx);
          nextTimerDeadline(s);
          return SessionStateSchema.parse(JSON.parse(JSON.stringify(s)));
        });
        expect(reread.map((a) => a.state)).toEqual(plain.map((a) => a.state));
        expect(reread.map((a) => a.events)).toEqual(plain.map((a) => a.events));
      }),
    );
  });

  it('never lets a timer go negative', () => {
    fc.assert(
      fc.property(anySteps, fc.integer({ min: -10_000, max: 1_000_000 }), (steps, probe) => {
        for (const { state, now, events } of play(steps)) {
          const current = state.floor.current;
          if (current) {
            expect(current.pausedMs).toBeGreaterThanOrEqual(0);
            expect(elapsedMs(current, now + probe)).toBeGreaterThanOrEqual(0);
          }
          for (const ms of Object.values(state.floor.speakingTimeMs)) expect(ms).toBeGreaterThanOrEqual(0);
          for (const e of events)
            if (e.type === 'interventionEnded') expect(e.elapsedMs).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('visits each delegation at most once per tour, in precedence order', () => {
    fc.assert(
      fc.property(anySteps, (steps) => {
        let visited: number[] | null = null;
        for (const { events } of play(steps)) {
          for (const e of events) {
            if (e.type === 'tourStarted') {
              expect(e.order).toEqual(ctx.delegations);
              visited = [];
            } else if (e.type === 'tourEnded') visited = null;
            else if (e.type === 'floorGiven' && e.kind === 'tour') {
              expect(visited).not.toBeNull();
              const index = ctx.delegations.indexOf(e.delegation);
              if (visited && visited.length > 0) expect(index).toBeGreaterThan(visited.at(-1) ?? -1);
              visited?.push(index);
            }
          }
        }
      }),
    );
  });

  it('gives every delegation its turn exactly once when a tour runs to the end', () => {
    const turn = fc.constantFrom('pass-own', 'pass-other', 'next', 'takeBack', 'tick');
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 80 }), (moves) => {
        const state = applyCommand(openState(), { type: 'startTour' }, chair, ctx, T0);
        if (!state.ok) throw new Error('the tour did not start');
        const holders = [state.state.floor.current?.delegation];
        let s = state.state;
        for (const [i, move] of moves.entries()) {
          const tour = s.floor.tour;
          if (!tour) break;
          const own = tour.order[tour.position] ?? '';
          const other = ctx.delegations.find((d) => d !== own) ?? '';
          const [command, actor]: [SessionCommand, Actor | null] =
            move === 'pass-own'
              ? [{ type: 'pass' }, hod(own)]
              : move === 'pass-other'
                ? [{ type: 'pass' }, hod(other)]
                : move === 'next'
                  ? [{ type: 'nextInTour' }, chair]
                  : [{ type: move }, move === 'tick' ? null : chair];
          const result = applyCommand(s, command, actor, ctx, T0 + (i + 1) * 1000);
          if (!result.ok) continue;
          for (const e of result.events) if (e.type === 'floorGiven') holders.push(e.delegation);
          s = result.state;
        }
        expect(holders).toEqual(ctx.delegations.slice(0, holders.length));
        if (s.floor.tour === null) expect(holders).toEqual(ctx.delegations);
      }),
    );
  });

  it('names as the next timer deadline the first moment a tick changes the state', () => {
    fc.assert(
      fc.property(anySteps, (steps) => {
        for (const { state } of play(steps)) {
          const deadline = nextTimerDeadline(state);
          if (deadline === null) {
            const later = applyCommand(state, { type: 'tick' }, null, ctx, T0 + 10 ** 9);
            expect(later.ok && later.state).toBe(state);
            continue;
          }
          const before = applyCommand(state, { type: 'tick' }, null, ctx, deadline - 1);
          expect(before.ok && before.state).toBe(state);
          const at = applyCommand(state, { type: 'tick' }, null, ctx, deadline);
          expect(at.ok && at.state).not.toBe(state);
        }
      }),
    );
  });
});
