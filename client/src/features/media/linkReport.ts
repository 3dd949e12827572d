import type { CameraSend, ClientReport } from '@summit-bridge/protocol';

// What this browser tells the server of its own link every 2 s, from RTCPeerConnection.getStats():
// the selected candidate pair of each transport, the camera encoder, and what it receives.

/** One entry of an RTCStatsReport, as the browser gives it (fields vary by type and browser). */
export type StatsEntry = { id: string; type: string } & Record<string, unknown>;

export interface TransportStatsInput {
  direction: 'send' | 'recv';
  /** mediasoup-client's connection state of the transport. */
  state: ClientReport['transports'][number]['state'];
  stats: ReadonlyMap<string, StatsEntry>;
}

/** Inbound counters at the previous report: loss and freezes are counted per interval. */
export interface InboundTotals {
  lost: number;
  received: number;
  freezes: number;
}

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
const round = (value: number) => Math.round(value * 10) / 10;

function entries(stats: ReadonlyMap<string, StatsEntry>, type: string): StatsEntry[] {
  return [...stats.values()].filter((s) => s.type === type);
}

function selectedPair(stats: ReadonlyMap<string, StatsEntry>): StatsEntry | undefined {
  for (const transport of entries(stats, 'transport')) {
    const pair = stats.get(String(transport.selectedCandidatePairId));
    if (pair) return pair;
  }
  // Browsers without a transport entry mark the pair in use as nominated.
  return entries(stats, 'candidate-pair').find((p) => p.nominated === true && p.state === 'succeeded');
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}

function transportReport({
  direction,
  state,
  stats,
}: TransportStatsInput): ClientReport['transports'][number] {
  const pair = selectedPair(stats);
  const local = pair ? stats.get(String(pair.localCandidateId)) : undefined;
  const rtt = num(pair?.currentRoundTripTime);
  return {
    direction,
    state,
    rttMs: rtt === null ? null : round(clamp(rtt * 1000, 60_000)),
    localCandidate: oneOf(local?.candidateType, ['host', 'srflx', 'prflx', 'relay'] as const),
    protocol: oneOf(local?.protocol, ['udp', 'tcp'] as const),
    relayProtocol: oneOf(local?.relayProtocol, ['udp', 'tcp', 'tls'] as const),
  };
}

/**
 * The camera as it leaves: of the simulcast layers, the largest one being sent. A shared screen
 * (the browser marks its stream `screenshare`) is not the camera.
 */
function camera(stats: ReadonlyMap<string, StatsEntry>): CameraSend | null {
  const layers = entries(stats, 'outbound-rtp').filter(
    (s) => (s.kind ?? s.mediaType) === 'video' && s.contentType !== 'screenshare',
  );
  if (layers.length === 0) return null;
  const largest = layers.sort((a, b) => (num(b.frameWidth) ?? 0) - (num(a.frameWidth) ?? 0))[0] as StatsEntry;
  const limitation = oneOf(largest.qualityLimitationReason, ['none', 'cpu', 'bandwidth', 'other'] as const);
  return {
    width: clamp(Math.round(num(largest.frameWidth) ?? 0), 8192),
    height: clamp(Math.round(num(largest.frameHeight) ?? 0), 8192),
    fps: round(clamp(num(largest.framesPerSecond) ?? 0, 240)),
    qualityLimitation: limitation ?? 'other',
  };
}

/** The report from this moment's stats, and the totals the next report counts from. */
export function linkReport(
  transports: readonly TransportStatsInput[],
  previous: InboundTotals | null,
): { report: ClientReport; totals: InboundTotals | null } {
  const send = transports.find((t) => t.direction === 'send');
  const inbound = transports.flatMap((t) => (t.direction === 'recv' ? entries(t.stats, 'inbound-rtp') : []));
  const totals =
    inbound.length === 0
      ? null
      : {
          lost: inbound.reduce((n, s) => n + Math.max(0, num(s.packetsLost) ?? 0), 0),
          received: inbound.reduce((n, s) => n + (num(s.packetsReceived) ?? 0), 0),
          freezes: inbound.reduce((n, s) => n + (num(s.freezeCount) ?? 0), 0),
        };
  // Consumers come and go: a total that went down starts a new count.
  const since = previous && totals && totals.received >= previous.received ? previous : null;
  const lost = totals ? totals.lost - (since?.lost ?? 0) : 0;
  const received = totals ? totals.received - (since?.received ?? 0) : 0;
  const freezes = totals ? totals.freezes - (since?.freezes ?? 0) : 0;
  const jitter = Math.max(0, ...inbound.map((s) => num(s.jitter) ?? 0));
  return {
    report: {
      transports: transports.slice(0, 4).map(transportReport),
      camera: send ? camera(send.stats) : null,
      inbound: totals
        ? {
            lossPct: lost > 0 ? round(clamp((lost * 100) / (lost + received), 100)) : 0,
            jitterMs: round(clamp(jitter * 1000, 60_000)),
            freezes: clamp(Math.round(freezes), 1000),
          }
        : null,
    },
    totals,
  };
}

/**
 * Reads this browser's transports every interval and sends what it measured. A round that is
 * still reading when the next is due is not doubled; a report that cannot be sent is dropped.
 */
export class LinkReporter {
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;
  private totals: InboundTotals | null = null;

  constructor(
    private readonly read: () => Promise<TransportStatsInput[]>,
    private readonly send: (report: ClientReport) => Promise<unknown>,
    private readonly intervalMs = 2_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.round(), this.intervalMs);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async round(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const transports = await this.read();
      if (transports.length === 0 || this.timer === null) return;
      const { report, totals } = linkReport(transports, this.totals);
      this.totals = totals;
      await this.send(report);
    } catch {
      // offline or a transport closed meanwhile: the next round reports again
    } finally {
      this.busy = false;
    }
  }
}
