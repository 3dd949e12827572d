// One site's sample from both ends of its link: the media node's stats of the site's
// connections and what their browsers reported. Pure: the sampler gathers, this decides.
import type {
  CameraSend,
  ClientReport,
  ConsumerState,
  ConsumerStats,
  IcePath,
  MetricValues,
  PeerStats,
  SiteConnection,
  SiteSample,
} from '@summit-bridge/protocol';
import { round } from './series.js';

/**
 * One connection of a site: its media at the node (null before it has any), the full stats of
 * the video its stage receives (the one consumer read in full), and its browser's latest report.
 */
export interface SiteLink {
  stats: PeerStats | null;
  stage: ConsumerStats | null;
  report: ClientReport | null;
  /**
   * The session's shared screens (producer ids): not cameras. A static slide sends next to
   * nothing, which must not read as a frozen camera, nor a presentation hide one.
   */
  screens?: ReadonlySet<string>;
}

/** What the sampler remembers of a site between rounds. */
export interface SiteMemory {
  connection: SiteConnection;
  /** Lost since it was last connected: the next `connected` is a reconnect. */
  lost: boolean;
  lastReconnectAt: number | null;
  /** NACK and PLI totals of the site's stage videos at the previous round, for per-second rates. */
  counters: { at: number; consumers: string; nacks: number; plis: number } | null;
}

export const newSite: SiteMemory = {
  connection: 'absent',
  lost: false,
  lastReconnectAt: null,
  counters: null,
};

// mediasoup's RTCP fraction lost is out of 256; its jitter is in RTP clock units.
const lossPct = (fractionLost: number) => round((fractionLost / 256) * 100);
/** mediasoup's transport-wide loss is a fraction. */
const pct = (fraction: number | undefined) => (fraction === undefined ? null : round(fraction * 100));
const clockRate = { audio: 48_000, video: 90_000 } as const;

const pathRank: Record<IcePath, number> = { udp: 0, tcp: 1, relay: 2 };
const connectionRank: Record<SiteConnection, number> = {
  connected: 3,
  connecting: 2,
  disconnected: 1,
  absent: 0,
};

function maxOf(values: Iterable<number | null | undefined>): number | null {
  let result: number | null = null;
  for (const v of values) if (v !== null && v !== undefined && (result === null || v > result)) result = v;
  return result;
}

function minOf(values: Iterable<number | null | undefined>): number | null {
  const negated = maxOf([...values].map((v) => (v === null || v === undefined ? null : -v)));
  return negated === null ? null : -negated;
}

function sumOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
}

const kbps = (bps: number | null) => (bps === null ? null : round(bps / 1000));

function linkConnection({ stats, report }: SiteLink): SiteConnection {
  const transports = stats?.transports ?? [];
  const clientDown = report?.transports.some((t) => t.state === 'disconnected' || t.state === 'failed');
  const serverDown = transports.some((t) => t.iceState === 'disconnected' || t.dtlsState === 'failed');
  if (clientDown || serverDown) return 'disconnected';
  const up = transports.filter(
    (t) => (t.iceState === 'connected' || t.iceState === 'completed') && t.dtlsState === 'connected',
  );
  return up.length > 0 ? 'connected' : 'connecting';
}

function linkPath({ stats, report }: SiteLink): IcePath | null {
  const client = report?.transports ?? [];
  if (client.some((t) => t.localCandidate === 'relay')) return 'relay';
  const protocols = [
    ...(stats?.transports ?? []).flatMap((t) => (t.tuple ? [t.tuple.protocol] : [])),
    ...client.flatMap((t) => (t.protocol ? [t.protocol] : [])),
  ];
  if (protocols.includes('tcp')) return 'tcp';
  return protocols.includes('udp') ? 'udp' : null;
}

/**
 * The camera the stage receives: of the cameras flowing to the peer, the one asking for the
 * highest layer (a shared screen, one stream, has no layers to tell of the link).
 */
export function stageConsumer(
  stats: PeerStats,
  screens: ReadonlySet<string> = new Set(),
): ConsumerState | null {
  const watched = stats.consumers.filter(
    (c) => c.kind === 'video' && !c.paused && !c.producerPaused && !screens.has(c.producerId),
  );
  const byLayer = (c: ConsumerState) => c.preferredLayers?.spatialLayer ?? Number.POSITIVE_INFINITY;
  return watched.sort((a, b) => byLayer(b) - byLayer(a))[0] ?? null;
}

function linkValues(links: readonly SiteLink[]): Omit<MetricValues, 'nackPerSec' | 'pliPerSec'> {
  const stats = links.flatMap((l) => (l.stats ? [l.stats] : []));
  const reports = links.flatMap((l) => (l.report ? [l.report] : []));
  const transports = stats.flatMap((s) => s.transports);
  const producers = stats.flatMap((s) => s.producers).filter((p) => !p.paused);
  const consumers = stats.flatMap((s) => s.consumers).filter((c) => !c.paused && !c.producerPaused);
  const stages = links.flatMap((l) => (l.stage?.stream ? [l.stage.stream] : []));
  const producerStreams = producers.flatMap((p) => p.streams);
  const inbound = reports.flatMap((r) => (r.inbound ? [r.inbound] : []));
  const screens = new Set(links.flatMap((l) => [...(l.screens ?? [])]));
  const cameras = producers.filter((p) => p.kind === 'video' && !screens.has(p.producerId));
  const clientRtt = maxOf(reports.flatMap((r) => r.transports.map((t) => t.rttMs)));
  const sent = transports.filter((t) => t.direction === 'send');
  const received = transports.filter((t) => t.direction === 'recv');
  const available = received.flatMap((t) =>
    t.availableOutgoingBitrate === undefined ? [] : [t.availableOutgoingBitrate],
  );
  // Raw loss from the transport-wide sequence numbers (before retransmissions repair it), and
  // what is still lost after repair, as RTCP reports it: the worse of the two counts.
  const rawIn = maxOf(received.map((t) => pct(t.packetLossSent)));
  const rawOut = maxOf(sent.map((t) => pct(t.packetLossReceived)));
  const repairedIn =
    maxOf(inbound.map((i) => i.lossPct)) ?? maxOf(stages.map((s) => lossPct(s.fractionLost)));
  return {
    rttMs: clientRtt ?? maxOf(stages.map((s) => s.roundTripTime)),
    lossInPct: maxOf([rawIn, repairedIn]),
    lossOutPct: maxOf([rawOut, maxOf(producerStreams.map((s) => lossPct(s.fractionLost)))]),
    jitterMs:
      maxOf(inbound.map((i) => i.jitterMs)) ??
      maxOf(
        producerStreams.map((s) =>
          s.jitter === undefined ? null : round((s.jitter / clockRate[s.kind]) * 1000),
        ),
      ),
    bitrateInKbps: kbps(sumOf(received.map((t) => t.sendBitrate))),
    bitrateOutKbps: kbps(sumOf(sent.map((t) => t.recvBitrate))),
    availableInKbps: kbps(sumOf(available)),
    cameraKbps:
      cameras.length === 0 ? null : kbps(sumOf(cameras.flatMap((p) => p.streams.map((s) => s.bitrate)))),
    producerScore: minOf(producerStreams.map((s) => s.score)),
    consumerScore: minOf(consumers.map((c) => c.score)),
    sendFps: maxOf(reports.map((r) => r.camera?.fps)),
    freezes: sumOf(inbound.map((i) => i.freezes)),
    stageLayer: maxOf(stats.map((s) => stageConsumer(s, screens)?.currentLayers?.spatialLayer)),
  };
}

function perSecond(now: number, previous: SiteMemory['counters'], total: number, which: 'nacks' | 'plis') {
  if (!previous || now <= previous.at || total < previous[which]) return null;
  return round(((total - previous[which]) * 1000) / (now - previous.at));
}

/**
 * A site's sample. Its row follows its seat: the connections that send media, or all of them
 * when none does. Several connections: the worst link counts, bitrates add up.
 */
export function sampleSite(
  delegation: string,
  links: readonly SiteLink[],
  memory: SiteMemory,
  layerLimit: number | null,
  now: number,
): { sample: SiteSample; memory: SiteMemory } {
  const sending = links.filter((l) => (l.stats?.producers.length ?? 0) > 0);
  const seat = sending.length > 0 ? sending : links;
  const connection: SiteConnection =
    seat.length === 0
      ? memory.connection === 'absent'
        ? 'absent'
        : 'disconnected'
      : (seat.map(linkConnection).sort((a, b) => connectionRank[b] - connectionRank[a])[0] ?? 'connecting');
  const paths = seat.flatMap((l) => linkPath(l) ?? []);
  const path = paths.sort((a, b) => pathRank[b] - pathRank[a])[0] ?? null;
  const camera: CameraSend | null =
    seat.flatMap((l) => (l.report?.camera ? [l.report.camera] : []))[0] ?? null;

  // Rates only between two rounds that read the same stage videos: their counters only grow.
  const stages = seat.flatMap((l) =>
    l.stage?.stream ? [{ id: l.stage.consumerId, ...l.stage.stream }] : [],
  );
  const consumers = stages
    .map((s) => s.id)
    .sort()
    .join(',');
  const nacks = stages.reduce((n, s) => n + s.nackCount, 0);
  const plis = stages.reduce((n, s) => n + s.pliCount, 0);
  const counters = stages.length > 0 ? { at: now, consumers, nacks, plis } : null;
  const previous = memory.counters?.consumers === consumers ? memory.counters : null;

  const reconnected = connection === 'connected' && memory.lost;
  return {
    sample: {
      delegation,
      connection,
      path,
      camera,
      lastReconnectAt: reconnected ? now : memory.lastReconnectAt,
      layerLimit,
      values: {
        ...linkValues(seat),
        nackPerSec: counters && perSecond(now, previous, nacks, 'nacks'),
        pliPerSec: counters && perSecond(now, previous, plis, 'plis'),
      },
    },
    memory: {
      connection,
      lost: connection === 'disconnected' || (memory.lost && connection !== 'connected'),
      lastReconnectAt: reconnected ? now : memory.lastReconnectAt,
      counters,
    },
  };
}
