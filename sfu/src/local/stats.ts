// mediasoup's stats reduced to the protocol's shapes: what a technician's console shows.
import type {
  ConsumerState,
  ConsumerStats,
  ProducerStats,
  RtpStreamStats,
  TransportStats,
  TransportTuple as Tuple,
} from '@summit-bridge/protocol';
import type {
  Consumer,
  ConsumerStat,
  PlainTransportStat,
  Producer,
  ProducerStat,
  TransportTuple,
  WebRtcTransportStat,
} from 'mediasoup/types';

export function tupleOf(tuple: TransportTuple): Tuple {
  return {
    protocol: tuple.protocol,
    localAddress: tuple.localAddress,
    localPort: tuple.localPort,
    ...(tuple.remoteIp === undefined ? {} : { remoteAddress: tuple.remoteIp }),
    ...(tuple.remotePort === undefined ? {} : { remotePort: tuple.remotePort }),
  };
}

export function transportStats(stat: WebRtcTransportStat | PlainTransportStat): TransportStats {
  const webRtc = 'iceState' in stat ? stat : undefined;
  const tuple = webRtc ? webRtc.iceSelectedTuple : (stat as PlainTransportStat).tuple;
  return {
    transportId: stat.transportId,
    ...(webRtc ? { iceState: webRtc.iceState, dtlsState: webRtc.dtlsState } : {}),
    ...(tuple ? { tuple: tupleOf(tuple) } : {}),
    bytesReceived: stat.bytesReceived,
    bytesSent: stat.bytesSent,
    recvBitrate: stat.recvBitrate,
    sendBitrate: stat.sendBitrate,
    ...optional('availableOutgoingBitrate', stat.availableOutgoingBitrate),
    ...optional('packetLossReceived', stat.rtpPacketLossReceived),
    ...optional('packetLossSent', stat.rtpPacketLossSent),
  };
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

function streamStats(stat: ProducerStat | ConsumerStat): RtpStreamStats {
  return {
    ssrc: stat.ssrc,
    ...(stat.rid === undefined ? {} : { rid: stat.rid }),
    kind: stat.kind === 'video' ? 'video' : 'audio',
    mimeType: stat.mimeType,
    packetCount: stat.packetCount,
    byteCount: stat.byteCount,
    bitrate: stat.bitrate,
    packetsLost: stat.packetsLost,
    fractionLost: stat.fractionLost,
    jitter: stat.jitter,
    ...optional('roundTripTime', stat.roundTripTime),
    nackCount: stat.nackCount,
    pliCount: stat.pliCount,
    firCount: stat.firCount,
    score: stat.score,
  };
}

export async function producerStats(producer: Producer): Promise<ProducerStats> {
  const stats = await producer.getStats();
  return { producerId: producer.id, paused: producer.paused, streams: stats.map(streamStats) };
}

export async function consumerStats(consumer: Consumer): Promise<ConsumerStats> {
  // A consumer's stats hold its own outbound stream, then the producer's inbound ones.
  const own = (await consumer.getStats()).find((s) => s.type === 'outbound-rtp');
  return {
    consumerId: consumer.id,
    producerId: consumer.producerId,
    paused: consumer.paused,
    producerPaused: consumer.producerPaused,
    priority: consumer.priority,
    preferredLayers: consumer.preferredLayers ?? null,
    currentLayers: consumer.currentLayers ?? null,
    stream: own ? streamStats(own) : null,
  };
}

/** What the node knows of a consumer without asking the worker. */
export function consumerState(consumer: Consumer): ConsumerState {
  return {
    consumerId: consumer.id,
    producerId: consumer.producerId,
    kind: consumer.kind,
    paused: consumer.paused,
    producerPaused: consumer.producerPaused,
    priority: consumer.priority,
    preferredLayers: consumer.preferredLayers ?? null,
    currentLayers: consumer.currentLayers ?? null,
    score: consumer.score.score,
  };
}
