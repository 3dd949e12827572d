// A session of the demo summit to drive the floor engine in tests, with its actors.
import type { SessionState } from '@summit-bridge/protocol';
import { demoSummit } from '../../src/demo/index.js';
import {
  type Actor,
  applyCommand,
  type DomainEvent,
  initialSessionState,
  type SessionCommand,
  type SessionContext,
} from '../../src/domain/sessionMachine.js';
import { findSession, sessionContext } from '../../src/domain/summit.js';

export const doc = demoSummit();

export function sessionOf(sessionId: string) {
  const session = findSession(doc, sessionId);
  const ctx = sessionContext(doc, sessionId);
  if (!session || !ctx) throw new Error(`no session ${sessionId} in the demo summit`);
  return { session, ctx };
}

/** The SOM: the ten members and the Secretariat, chaired by Viet Nam, 300 s per intervention. */
export const som = sessionOf('som');

/** 14 April 2020, 14:00 in Ha Noi. */
export const T0 = Date.parse('2020-04-14T07:00:00Z');

export const chair: Actor = { participantId: 'chair-vnm', delegation: 'VNM', role: 'chair' };
export const hod = (delegation: string): Actor => ({
  participantId: `hod-${delegation.toLowerCase()}`,
  delegation,
  role: 'head_of_delegation',
});

export function openState(ctx: SessionContext = som.ctx): SessionState {
  const { session } = sessionOf(ctx.sessionId);
  return { ...initialSessionState(ctx.sessionId, session), status: 'open' };
}

/** Applies a command that must succeed. */
export function ok(
  state: SessionState,
  command: SessionCommand,
  actor: Actor | null = chair,
  now = T0,
  ctx: SessionContext = som.ctx,
): { state: SessionState; events: DomainEvent[] } {
  const result = applyCommand(state, command, actor, ctx, now);
  if (!result.ok) throw new Error(`${command.type} refused: ${result.error.code}: ${result.error.message}`);
  return result;
}

/** Applies a command that must be refused; returns the error code. */
export function refused(
  state: SessionState,
  command: SessionCommand,
  actor: Actor | null = chair,
  now = T0,
  ctx: SessionContext = som.ctx,
): string {
  const result = applyCommand(state, command, actor, ctx, now);
  if (result.ok) throw new Error(`${command.type} was accepted`);
  return result.error.code;
}

/** Applies commands in turn, each one second after the previous; all must succeed. */
export function after(
  state: SessionState,
  steps: [SessionCommand, Actor | null][],
  start = T0,
): SessionState {
  return steps.reduce((s, [command, actor], i) => ok(s, command, actor, start + i * 1000).state, state);
}

export const list = (state: SessionState) => state.floor.speakersList.map((r) => `${r.delegation}:${r.kind}`);
