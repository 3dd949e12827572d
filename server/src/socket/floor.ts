import type { RequestName } from '@summit-bridge/protocol';
import type { SessionCommand } from '../domain/sessionMachine.js';
import type { SessionService } from '../sessions/SessionService.js';
import type { Connection, Handlers } from './context.js';

type FloorRequest = Extract<RequestName, `floor:${string}`>;

/** Each floor request is the domain command of the same name, carrying the same payload. */
const commandOf: { [N in FloorRequest]: (payload: never) => SessionCommand } = {
  'floor:request': (p: { kind: 'speak' | 'point_of_order' | 'right_of_reply' }) => ({
    type: 'request',
    kind: p.kind,
  }),
  'floor:withdraw': () => ({ type: 'withdraw' }),
  'floor:pass': () => ({ type: 'pass' }),
  'floor:give': (p: { delegation?: string }) =>
    p.delegation === undefined ? { type: 'give' } : { type: 'give', delegation: p.delegation },
  'floor:takeBack': () => ({ type: 'takeBack' }),
  'floor:move': (p: { delegation: string; position: number }) => ({ type: 'move', ...p }),
  'floor:remove': (p: { delegation: string }) => ({ type: 'remove', ...p }),
  'floor:setLimit': (p: { limitSec: number | null; scope: 'current' | 'default' }) => ({
    type: 'setLimit',
    ...p,
  }),
  'floor:pauseTimer': () => ({ type: 'pauseTimer' }),
  'floor:resumeTimer': () => ({ type: 'resumeTimer' }),
  'floor:startTour': () => ({ type: 'startTour' }),
  'floor:nextInTour': () => ({ type: 'nextInTour' }),
  'floor:endTour': () => ({ type: 'endTour' }),
  'floor:setMicPolicy': (p: { policy: 'floor' | 'open' }) => ({ type: 'setMicPolicy', ...p }),
  'floor:mute': (p: { delegation: string; muted: boolean }) => ({ type: 'mute', ...p }),
};

export function floorHandlers(sessions: SessionService): Handlers<FloorRequest> {
  const handlers = {} as Record<
    FloorRequest,
    (conn: Connection, payload: never) => Promise<{ version: number }>
  >;
  for (const name of Object.keys(commandOf) as FloorRequest[]) {
    handlers[name] = async (conn, payload) => {
      const state = await sessions.execute(conn.key, commandOf[name](payload), conn.actor);
      return { version: state.version };
    };
  }
  return handlers as unknown as Handlers<FloorRequest>;
}
