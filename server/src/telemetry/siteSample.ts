// One site's sample from both ends of its link: the media node's stats of the site's
// connections and what their browsers reported. Pure: the sampler gathers, this decides.
import type {
  CameraSend,
  ClientReport,
  IcePath,
  MetricValues,
  PeerStats,
  SiteConnection,
  SiteSample,
} from '@summit-bridge/protocol';
import { round } from './series.js';

/** One connection of a site: its media at the node (null before it has any) and its latest report. */
export interface SiteLink {
  stats: PeerStats | null;
  report: ClientReport | null;
}

/** What the sampler remembers of a site between rounds. */
export interface SiteMemory {
  connection: SiteConnection;
  /** Lost since it was last connected: the next `connected` is a reconnect. */
  lost: boolean;
  lastReconnectAt: number | null;
  /** NACK and PLI totals of the site's consumers at the previous round, for per-second rates. */
  counters: { at: number; nacks: number; plis: number } | null;
}

export const newSite: SiteMemory = {
  connection: 'absent',
  lost: false,
  lastReconnectAt: null,
  counters: null,
};

// mediasoup's RTCP fraction lost is out of 256; its jitter is in RTP clock units.
const lossPct = (fractionLost: number) => round((fractionLost / 256) * 100);
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

/** The video the stage receives: the unpaused video consumer asking for the highest layer. */
function stageLayer(stats: PeerStats): number | null {
  const watched = stats.consumers.filter((c) => c.kind === 'video' && !c.paused && !c.producerPaused);
  const stage = watched.sort(
    (a, b) => (b.preferredLayers?.spatialLayer ?? 0) - (a.preferredLayers?.spatialLayer ?? 0),
  )[0];
  return stage?.currentLayers?.spatialLayer ?? null;
}

function linkValues(links: readonly SiteLink[]): Omit<MetricValues, 'nackPerSec' | 'pliPerSec'> {
  const stats = links.flatMap((l) => (l.stats ? [l.stats] : []));
  const reports = links.flatMap((l) => (l.report ? [l.report] : []));
  const transports = stats.flatMap((s) => s.transports);
  const producers = stats.flatMap((s) => s.producers).filter((p) => !p.paused);
  const consumers = stats.flatMap((s) => s.consumers).filter((c) => !c.paused && !c.producerPaused);
  const producerStreams = producers.flatMap((p) => p.streams);
  const consumerStreams = consumers.flatMap((c) => (c.stream ? [c.stream] : []));
  const inbound = reports.flatMap((r) => (r.inbound ? [r.inbound] : []));
  const cameras = producers.filter((p) => p.kind === 'video');
  const clientRtt = maxOf(reports.flatMap((r) => r.transports.map((t) => t.rttMs)));
  const sent = transports.filter((t) => t.direction === 'send');
  const received = transports.filter((t) => t.direction === 'recv');
  const available = received.flatMap((t) =>
    t.availableOutgoingBitrate === undefined ? [] : [t.availableOutgoingBitrate],
  );
  return {
    rttMs: clientRtt ?? maxOf(consumerStreams.map((s) => s.roundTripTime)),
    lossInPct:
      maxOf(inbound.map((i) => i.lossPct)) ?? maxOf(consumerStreams.map((s) => lossPct(s.fractionLost))),
    lossOutPct: maxOf(producerStreams.map((s) => lossPct(s.fractionLost))),
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
    consumerScore: minOf(consumerStreams.map((s) => s.score)),
    sendFps: maxOf(reports.map((r) => r.camera?.fps)),
    freezes: sumOf(inbound.map((i) => i.freezes)),
    stageLayer: maxOf(stats.map(stageLayer)),
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

  const consumerStreams = seat
    .flatMap((l) => l.stats?.consumers ?? [])
    .flatMap((c) => (c.stream ? [c.stream] : []));
  const nacks = consumerStreams.reduce((n, s) => n + s.nackCount, 0);
  const plis = consumerStreams.reduce((n, s) => n + s.pliCount, 0);
  const counters = consumerStreams.length > 0 ? { at: now, nacks, plis } : null;

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
        nackPerSec: counters && perSecond(now, memory.counters, nacks, 'nacks'),
        pliPerSec: counters && perSecond(now, memory.counters, plis, 'plis'),
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
