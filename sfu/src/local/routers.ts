// A session's routers over the node's workers: the origin, routers added to spread consumers,
// where each new transport goes (placement), and what a router's or transport's end leaves to do.
import type { CloseReason, TransportDirection } from '@summit-bridge/protocol';
import type { Transport } from 'mediasoup/types';
import { sessionMediaCodecs } from '../codecs.js';
import { MediaNodeError } from '../MediaNode.js';
import { hostForTransport } from '../placement.js';
import { mediasoupCall, notFound, translate } from './errors.js';
import type { Peer, Recovery, Session, SessionRouter, TransportEntry } from './model.js';
import { createSpeakers, watchSpeakers } from './speakers.js';
import type { NodeState } from './state.js';
import type { WorkerSlot } from './WorkerPool.js';

export function newSession(id: string): Session {
  return {
    id,
    origin: undefined,
    routers: [],
    peers: new Map(),
    ready: Promise.resolve(),
    spreading: undefined,
    links: new Map(),
    remoteEnds: new Map(),
    recovery: undefined,
    closed: false,
  };
}

export async function addOrigin(state: NodeState, session: Session): Promise<void> {
  await state.pool().settled();
  const slot = state.pool().leastLoaded();
  if (!slot) throw new MediaNodeError('unavailable', 'no media worker is running');
  session.origin = await addRouter(state, session, slot, true);
}

async function addRouter(
  state: NodeState,
  session: Session,
  slot: WorkerSlot,
  origin: boolean,
): Promise<SessionRouter> {
  const worker = slot.worker;
  const router = await mediasoupCall(() => worker.createRouter({ mediaCodecs: sessionMediaCodecs }));
  let home: SessionRouter | undefined;
  try {
    const speakers = origin ? await createSpeakers(router, state.options) : undefined;
    if (session.closed) throw notFound('session', session.id);
    home = {
      session,
      router,
      worker,
      slot,
      speakers,
      consumers: 0,
      transports: new Set(),
      arriving: 0,
      copies: new Map(),
    };
  } catch (err) {
    router.close();
    throw translate(err);
  }
  const added = home;
  slot.routers++;
  session.routers.push(added);
  router.observer.once('close', () => routerClosed(session, added));
  if (added.speakers) watchSpeakers(state, added);
  return added;
}

/**
 * The router a new transport goes to, by the one placement rule (`hostForTransport`) with the
 * node's workers as hosts: sends at the origin, receives on a router with room, else on a router
 * added on another worker.
 */
export async function routerFor(
  state: NodeState,
  session: Session,
  direction: TransportDirection,
): Promise<SessionRouter> {
  const origin = originOf(session);
  if (direction === 'send') return origin;
  const byWorker = new Map(session.routers.map((r) => [String(r.slot.index), r]));
  const used = new Map([...byWorker].map(([id, r]) => [id, r.consumers]));
  const candidates = state
    .pool()
    .slots.filter((s) => s.alive)
    .map((s) => ({ id: String(s.index), load: s.consumers + s.routers / 1000 }));
  const chosen = hostForTransport(
    direction,
    { home: String(origin.slot.index), used, threshold: state.threshold },
    candidates,
  );
  const existing = byWorker.get(chosen);
  if (existing) return existing;
  // Concurrent callers share one new router rather than each adding their own.
  session.spreading ??= (async () => {
    const slot = state.pool().slots.find((s) => String(s.index) === chosen);
    if (!slot) throw new MediaNodeError('unavailable', 'no media worker is running');
    return addRouter(state, session, slot, false);
  })().finally(() => {
    session.spreading = undefined;
  });
  return session.spreading;
}

export function originOf(session: Session): SessionRouter {
  if (!session.origin) throw new MediaNodeError('unavailable', `session ${session.id} has no media router`);
  return session.origin;
}

/** Creates a transport on a router; the router counts it as arriving until adopt() takes it. */
export async function arrive<T>(home: SessionRouter, create: () => Promise<T>): Promise<T> {
  home.arriving++;
  try {
    return await mediasoupCall(create);
  } catch (err) {
    home.arriving--;
    closeIfEmpty(home);
    throw err;
  }
}

export function adopt(
  state: NodeState,
  peer: Peer,
  home: SessionRouter,
  direction: TransportDirection,
  created: Pick<TransportEntry, 'type' | 'transport'>,
): TransportEntry {
  home.arriving--;
  const entry = { ...created, peer, home, direction, closeReason: undefined } as TransportEntry;
  if (peer.closed || home.router.closed) {
    created.transport.close();
    closeIfEmpty(home);
    throw notFound('peer', peer.ref.peerId);
  }
  state.transports.set(entry.transport.id, entry);
  peer.transports.add(entry);
  home.transports.add(entry);
  const transport: Transport = entry.transport;
  transport.observer.once('close', () => transportClosed(state, entry));
  return entry;
}

/** An empty spread router goes, and its pipes with it. */
function closeIfEmpty(home: SessionRouter): void {
  const session = home.session;
  if (home === session.origin || home.transports.size || home.arriving || session.closed) return;
  home.router.close();
}

function transportClosed(state: NodeState, entry: TransportEntry): void {
  const { peer, home } = entry;
  state.transports.delete(entry.transport.id);
  peer.transports.delete(entry);
  home.transports.delete(entry);
  if (home.worker.died) recoveryOf(peer.session).lostPeers.add(peer.ref.peerId);
  else closeIfEmpty(home);
}

function routerClosed(session: Session, home: SessionRouter): void {
  home.slot.routers--;
  session.routers = session.routers.filter((r) => r !== home);
  // The in-node pipes touching this router go with it.
  for (const [key, link] of session.links) {
    if (key.startsWith(`${home.router.id}>`) || key.endsWith(`>${home.router.id}`)) {
      session.links.delete(key);
      void link.close();
    }
  }
  if (!home.worker.died || session.closed) return;
  const recovery = recoveryOf(session);
  recovery.deadWorkers.add(home.worker);
  if (session.origin === home) {
    session.origin = undefined;
    recovery.lostOrigin = true;
  }
}

/** What a session must redo after a worker died under it; session.ready waits for it. */
export function recoveryOf(session: Session): Recovery {
  if (!session.recovery) {
    let done = () => {};
    const ready = new Promise<void>((resolve) => {
      done = resolve;
    });
    session.recovery = { deadWorkers: new Set(), lostOrigin: false, lostPeers: new Set(), done };
    session.ready = ready;
  }
  return session.recovery;
}

export function closePeerNow(peer: Peer, reason: CloseReason): void {
  peer.closed = true;
  if (peer.session.peers.get(peer.ref.peerId) === peer) peer.session.peers.delete(peer.ref.peerId);
  for (const entry of [...peer.transports]) {
    entry.closeReason = reason;
    entry.transport.close();
  }
}

export function closeSessionNow(state: NodeState, session: Session, reason: CloseReason): void {
  session.closed = true;
  state.sessions.delete(session.id);
  for (const peer of [...session.peers.values()]) closePeerNow(peer, reason);
  for (const end of session.remoteEnds.values()) void end.close();
  session.remoteEnds.clear();
  for (const home of [...session.routers]) home.router.close();
  session.recovery?.done();
}
