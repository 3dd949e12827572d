// The proceedings requests (documents on screen, adoption, votes) and their pushes. Documents
// themselves go up and down over HTTP (routes/documents.ts).
import type { RequestName } from '@summit-bridge/protocol';
import type { SessionKey } from '../domain/sessionKey.js';
import type { ProceedingsService } from '../proceedings/ProceedingsService.js';
import { type Handlers, type SignalingServer, sessionRoom } from './context.js';

type ProceedingsRequest = Extract<RequestName, `proceedings:${string}`>;

export function proceedingsHandlers(proceedings: ProceedingsService): Handlers<ProceedingsRequest> {
  const run = async (
    conn: Parameters<Handlers<ProceedingsRequest>['proceedings:hide']>[0],
    command: Parameters<ProceedingsService['execute']>[1],
  ) => ({ version: (await proceedings.execute(conn.key, command, conn.actor)).version });
  return {
    'proceedings:snapshot': (conn) => proceedings.state(conn.key),
    'proceedings:show': (conn, p) => run(conn, { type: 'show', ...p }),
    'proceedings:scroll': (conn, p) => run(conn, { type: 'scroll', ...p }),
    'proceedings:hide': (conn) => run(conn, { type: 'hide' }),
    'proceedings:openAdoption': (conn, { durationSec, ...p }) =>
      run(conn, { type: 'openAdoption', ...p, durationMs: durationSec * 1000 }),
    'proceedings:object': (conn, { reason, ...p }) =>
      run(conn, { type: 'object', ...p, reason: reason || null }),
    'proceedings:withdrawAdoption': (conn, p) => run(conn, { type: 'withdrawAdoption', ...p }),
    'proceedings:callVote': (conn, p) =>
      run(conn, {
        type: 'callVote',
        question: p.question,
        documentId: p.documentId ?? null,
        version: p.version ?? null,
        majority: p.majority,
        durationMs: p.durationSec === undefined ? null : p.durationSec * 1000,
      }),
    'proceedings:castBallot': (conn, p) => run(conn, { type: 'castBallot', ...p }),
    'proceedings:closeVote': async (conn, p) =>
      run(conn, { type: 'closeVote', ...p, present: await proceedings.presentDelegations(conn.key) }),
  };
}

/** Every change reaches every console of the session (on every instance, through the adapter). */
export function pushProceedings(io: SignalingServer, proceedings: ProceedingsService): void {
  proceedings.on('changed', ({ key, state }) => io.to(sessionRoom(key)).emit('proceedings:updated', state));
  // Who is present, for a vote's quorum: the sockets in the session, across instances.
  proceedings.presentDelegations = async (key: SessionKey) => {
    const sockets = await io.in(sessionRoom(key)).fetchSockets();
    return [...new Set(sockets.map((s) => s.data.grants.delegation).filter((d): d is string => d !== null))];
  };
}
