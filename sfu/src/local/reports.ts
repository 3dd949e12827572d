// What the node reports of itself: a session's peers with their stats, each worker's load, and
// the mediasoup objects its workers hold (read from their own dumps, so that a leak shows).
import type { PeerStats, WorkerUsage } from '@summit-bridge/protocol';
import type { PlainTransportStat, Router, Transport, WebRtcTransportStat } from 'mediasoup/types';
import { mediasoupCall } from './errors.js';
import type { Peer, TransportEntry } from './model.js';
import type { NodeState } from './state.js';
import { consumerState, producerStats, transportStats } from './stats.js';

/** mediasoup object counts, read from the workers' own dumps (not from the node's bookkeeping). */
export interface ObjectCounts {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
  rtpObservers: number;
  webRtcServerTransports: number;
}

export async function sessionStats(state: NodeState, sessionId: string): Promise<PeerStats[]> {
  const session = state.sessions.get(sessionId);
  if (!session || session.closed) return [];
  const peers = new Map<Peer, PeerStats>();
  for (const peer of session.peers.values())
    peers.set(peer, { peerId: peer.ref.peerId, transports: [], producers: [], consumers: [] });
  const statsOf = (entry: TransportEntry) => peers.get(entry.peer);
  // The reads run together; one whose object closed meanwhile is dropped, the others stand.
  const reads: Promise<void>[] = [];
  const read = <T>(get: () => Promise<T>, keep: (stat: T) => void) =>
    reads.push(get().then(keep, () => undefined));
  for (const entry of state.transports.values()) {
    const into = statsOf(entry);
    if (!into) continue;
    const transport: Transport = entry.transport;
    read(
      () => transport.getStats() as Promise<(WebRtcTransportStat | PlainTransportStat)[]>,
      ([stat]) => {
        if (stat) into.transports.push({ ...transportStats(stat), direction: entry.direction });
      },
    );
  }
  for (const { producer, transport } of state.producers.values()) {
    const into = transport && statsOf(transport);
    if (into)
      read(
        () => producerStats(producer),
        (stat) => into.producers.push({ ...stat, kind: producer.kind }),
      );
  }
  for (const { consumer, transport } of state.consumers.values()) {
    statsOf(transport)?.consumers.push(consumerState(consumer));
  }
  await Promise.all(reads);
  return [...peers.values()];
}

export async function workerUsage(state: NodeState): Promise<WorkerUsage[]> {
  const slots = state.pool().slots.filter((s) => s.alive);
  return Promise.all(
    slots.map(async (slot) => {
      const usage = await mediasoupCall(() => slot.worker.getResourceUsage());
      const here = [...state.transports.values()].filter((t) => t.home.slot === slot);
      return {
        index: slot.index,
        pid: slot.worker.pid,
        cpuMs: usage.ru_utime + usage.ru_stime,
        maxRssKb: usage.ru_maxrss,
        routers: slot.routers,
        transports: here.length,
        producers: [...state.producers.values()].filter((p) => p.home.slot === slot).length,
        consumers: slot.consumers,
      };
    }),
  );
}

export async function objectCounts(state: NodeState): Promise<ObjectCounts> {
  const counts: ObjectCounts = {
    routers: 0,
    transports: 0,
    producers: 0,
    consumers: 0,
    rtpObservers: 0,
    webRtcServerTransports: 0,
  };
  const routers = new Map<string, Router>(
    [...state.sessions.values()].flatMap((s) => s.routers.map((r) => [r.router.id, r.router] as const)),
  );
  for (const slot of state.pool().slots.filter((s) => s.alive)) {
    const dump = await slot.worker.dump();
    counts.routers += dump.routerIds.length;
    counts.webRtcServerTransports += (await slot.webRtcServer.dump()).webRtcTransportIds.length;
    for (const routerId of dump.routerIds) {
      const router = routers.get(routerId);
      if (!router) continue;
      const routerDump = await router.dump();
      counts.transports += routerDump.transportIds.length;
      counts.producers += routerDump.mapProducerIdConsumerIds.length;
      counts.consumers += routerDump.mapConsumerIdProducerId.length;
      counts.rtpObservers += routerDump.rtpObserverIds.length;
    }
  }
  return counts;
}
