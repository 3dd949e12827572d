// A worker died under some sessions: once its slot holds a replacement, each such session gets a
// new origin if it lost it, and the peers whose media the dead worker carried must reconnect.
import type { Worker } from 'mediasoup/types';
import type { Recovery, Session } from './model.js';
import { addOrigin, closePeerNow } from './routers.js';
import type { NodeState } from './state.js';

export function workerReplaced(state: NodeState, dead: Worker): void {
  for (const session of state.sessions.values()) {
    if (session.recovery?.deadWorkers.has(dead)) void recover(state, session, session.recovery);
  }
}

async function recover(state: NodeState, session: Session, recovery: Recovery): Promise<void> {
  session.recovery = undefined;
  try {
    if (recovery.lostOrigin && !session.closed) {
      // The pipes to other nodes ended at the lost origin: the cluster sets them up again.
      for (const end of session.remoteEnds.values()) void end.close();
      session.remoteEnds.clear();
      await addOrigin(state, session);
    }
  } catch (err) {
    state.log.error({ err, session: session.id }, 'a session could not get a new router');
  }
  const peerIds = [...recovery.lostPeers];
  for (const peerId of peerIds) {
    const peer = session.peers.get(peerId);
    if (peer) closePeerNow(peer, 'workerDied');
  }
  recovery.done();
  if (peerIds.length && !session.closed)
    state.events.emit({ type: 'peersMustReconnect', sessionId: session.id, peerIds, reason: 'workerDied' });
}
