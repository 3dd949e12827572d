import type {
  Presence,
  ProducerInfo,
  PushName,
  PushPayload,
  SessionState,
  Snapshot,
} from '@summit-bridge/protocol';

/** The pushes that change what the consoles draw. */
export type ViewPushName =
  | 'session:updated'
  | 'presence:updated'
  | 'media:producerAdded'
  | 'media:producerUpdated'
  | 'media:producerClosed'
  | 'media:activeSpeaker';

export type ViewPush = { [N in ViewPushName]: { name: N; payload: PushPayload<N> } }[ViewPushName];

/** A session as this client draws it: the snapshot, kept current by pushes. */
export interface LiveSession {
  summit: Snapshot['summit'];
  session: Snapshot['session'];
  /** Precedence order, as the server sent it: never re-sorted here. */
  delegations: Snapshot['delegations'];
  you: Snapshot['you'];
  state: SessionState;
  presence: Presence;
  /** One entry per producer id, in the order they appeared. */
  producers: ProducerInfo[];
  activeSpeaker: string | null;
}

/** Why the server refused this client: its token, or its admission to the session. */
export interface Refusal {
  code: string;
  message: string;
}

export type Link = 'connecting' | 'connected' | 'reconnecting';

/** Where this connection stands with the session's lobby: waiting, refused, or neither (in). */
export type LobbyState = 'waiting' | 'refused' | null;

export interface SessionView {
  link: Link;
  live: LiveSession | null;
  /** A snapshot request is in flight; pushes meanwhile are kept to replay on top of it. */
  awaitingSnapshot: boolean;
  /** Something looked off (a version gap, a push out of contract, a reconnect): fetch a snapshot. */
  needsResync: boolean;
  queued: ViewPush[];
  refusal: Refusal | null;
  lobby: LobbyState;
}

export type SessionEvent =
  | { type: 'connected' }
  | { type: 'disconnected' }
  /** Heartbeats missed or the browser offline: the socket may not know yet that it is dead. */
  | { type: 'stalled' }
  /** A heartbeat came on a connected socket. */
  | { type: 'alive' }
  | { type: 'refused'; refusal: Refusal }
  | { type: 'snapshotRequested' }
  | { type: 'snapshotFailed' }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'push'; push: ViewPush }
  | { type: 'invalidPush'; name: PushName }
  | { type: 'lobby'; state: 'waiting' | 'admitted' | 'refused' };

export const initialView: SessionView = {
  link: 'connecting',
  live: null,
  awaitingSnapshot: false,
  needsResync: false,
  queued: [],
  refusal: null,
  lobby: null,
};

export function sessionReducer(view: SessionView, event: SessionEvent): SessionView {
  switch (event.type) {
    case 'connected':
      // After every (re)connect the server may have moved on without us: always start from a snapshot.
      // A new socket: whether it waits in the lobby, the server says again (lobby:status).
      return { ...view, link: 'connected', needsResync: true, refusal: null, lobby: null };
    case 'disconnected':
      return {
        ...view,
        link: view.live ? 'reconnecting' : 'connecting',
        awaitingSnapshot: false,
        queued: [],
      };
    case 'stalled':
      return view.link === 'connected' && view.live ? { ...view, link: 'reconnecting' } : view;
    case 'alive':
      // Nothing was lost meanwhile: the socket is still the same, and it delivers in order.
      return view.link === 'reconnecting' && view.live ? { ...view, link: 'connected' } : view;
    case 'refused':
      return { ...view, refusal: event.refusal, awaitingSnapshot: false, queued: [] };
    case 'snapshotRequested':
      return { ...view, awaitingSnapshot: true, needsResync: false, queued: [] };
    case 'snapshotFailed':
      return { ...view, awaitingSnapshot: false, needsResync: true, queued: [] };
    case 'snapshot':
      return replay(
        {
          ...view,
          live: fromSnapshot(event.snapshot),
          awaitingSnapshot: false,
          needsResync: false,
          queued: [],
        },
        view.queued,
      );
    case 'push': {
      const queued = view.awaitingSnapshot ? [...view.queued, event.push] : view.queued;
      return applyPush({ ...view, queued }, event.push);
    }
    case 'invalidPush':
      return { ...view, needsResync: true };
    case 'lobby':
      // Admitted: the session is this connection's to see now, from a snapshot like any arrival.
      if (event.state === 'admitted') return { ...view, lobby: null, needsResync: true };
      return { ...view, lobby: event.state, needsResync: false };
  }
}

export function fromSnapshot(snapshot: Snapshot): LiveSession {
  return {
    summit: snapshot.summit,
    session: snapshot.session,
    delegations: snapshot.delegations,
    you: snapshot.you,
    state: snapshot.state,
    presence: snapshot.presence,
    producers: upsertAll([], snapshot.producers),
    activeSpeaker: null,
  };
}

// Pushes sent before the snapshot was taken only repeat what it already holds, and pushes sent
// after it bring it forward: in order, replaying all of them is right either way.
function replay(view: SessionView, pushes: readonly ViewPush[]): SessionView {
  return pushes.reduce(applyPush, view);
}

function applyPush(view: SessionView, push: ViewPush): SessionView {
  const live = view.live;
  if (!live) return view;
  switch (push.name) {
    case 'session:updated': {
      const next = push.payload;
      if (next.sessionId !== live.state.sessionId) return { ...view, needsResync: true };
      if (next.version <= live.state.version) return view;
      const gap = next.version > live.state.version + 1;
      return { ...view, live: { ...live, state: next }, needsResync: view.needsResync || gap };
    }
    case 'presence:updated':
      return { ...view, live: { ...live, presence: push.payload } };
    case 'media:producerAdded':
    case 'media:producerUpdated':
      return { ...view, live: { ...live, producers: upsertAll(live.producers, [push.payload]) } };
    case 'media:producerClosed': {
      const producers = live.producers.filter((p) => p.producerId !== push.payload.producerId);
      return producers.length === live.producers.length ? view : { ...view, live: { ...live, producers } };
    }
    case 'media:activeSpeaker':
      return { ...view, live: { ...live, activeSpeaker: push.payload.delegation } };
  }
}

/** Adds or replaces producers by id: the same producer announced twice is one producer. */
function upsertAll(current: readonly ProducerInfo[], incoming: readonly ProducerInfo[]): ProducerInfo[] {
  const result = [...current];
  for (const producer of incoming) {
    const at = result.findIndex((p) => p.producerId === producer.producerId);
    if (at === -1) result.push(producer);
    else result[at] = producer;
  }
  return result;
}
