import { ClientReport } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { linkReport, type StatsEntry, type TransportStatsInput } from '../src/features/media/linkReport.js';

const statsOf = (...entries: StatsEntry[]) => new Map(entries.map((e) => [e.id, e]));

function sendTransport(candidateType: string, protocol: string): TransportStatsInput {
  return {
    direction: 'send',
    state: 'connected',
    stats: statsOf(
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
      { id: 'P', type: 'candidate-pair', localCandidateId: 'L', currentRoundTripTime: 0.0831 },
      { id: 'L', type: 'local-candidate', candidateType, protocol },
      {
        id: 'low',
        type: 'outbound-rtp',
        kind: 'video',
        frameWidth: 320,
        frameHeight: 180,
        framesPerSecond: 30,
      },
      {
        id: 'high',
        type: 'outbound-rtp',
        kind: 'video',
        frameWidth: 1280,
        frameHeight: 720,
        framesPerSecond: 24.4,
        qualityLimitationReason: 'bandwidth',
      },
    ),
  };
}

function recvTransport(lost: number, received: number, freezeCount = 0): TransportStatsInput {
  return {
    direction: 'recv',
    state: 'connected',
    stats: statsOf(
      {
        id: 'a',
        type: 'inbound-rtp',
        kind: 'audio',
        packetsLost: lost,
        packetsReceived: received,
        jitter: 0.004,
      },
      {
        id: 'v',
        type: 'inbound-rtp',
        kind: 'video',
        packetsLost: 0,
        packetsReceived: received,
        jitter: 0.012,
        freezeCount,
      },
    ),
  };
}

describe('the link report a browser sends', () => {
  it('reads the selected pair, the largest camera layer and what it receives, as the schema wants', () => {
    const { report, totals } = linkReport([sendTransport('relay', 'tcp'), recvTransport(5, 95)], null);
    expect(ClientReport.parse(report)).toEqual(report);
    expect(report.transports[0]).toMatchObject({
      direction: 'send',
      rttMs: 83.1,
      localCandidate: 'relay',
      protocol: 'tcp',
    });
    expect(report.camera).toEqual({ width: 1280, height: 720, fps: 24.4, qualityLimitation: 'bandwidth' });
    expect(report.inbound).toEqual({ lossPct: 2.6, jitterMs: 12, freezes: 0 });
    expect(totals).toEqual({ lost: 5, received: 190, freezes: 0 });
  });

  it('does not report a shared screen as the camera', () => {
    const send = sendTransport('host', 'udp');
    const stats = new Map(send.stats);
    stats.set('screen', {
      id: 'screen',
      type: 'outbound-rtp',
      kind: 'video',
      contentType: 'screenshare',
      frameWidth: 1920,
      frameHeight: 1080,
      framesPerSecond: 5,
    });
    const { report } = linkReport([{ ...send, stats }], null);
    expect(report.camera).toMatchObject({ width: 1280, height: 720 });
    const onlyScreen = new Map([...stats].filter(([, s]) => s.type !== 'outbound-rtp' || s.id === 'screen'));
    expect(linkReport([{ ...send, stats: onlyScreen }], null).report.camera).toBeNull();
  });

  it('counts loss and freezes over the interval since the previous report', () => {
    const first = linkReport([recvTransport(10, 100, 1)], null);
    const second = linkReport([recvTransport(30, 180, 3)], first.totals);
    // 20 lost, 160 received (80 audio + 80 video) since the first report.
    expect(second.report.inbound).toMatchObject({ lossPct: 11.1, freezes: 2 });
    // A consumer gone (totals went down) starts a new count rather than a negative one.
    const third = linkReport([recvTransport(1, 10)], second.totals);
    // 1 lost, 20 received.
    expect(third.report.inbound).toMatchObject({ lossPct: 4.8, freezes: 0 });
  });

  it('leaves out what a browser did not measure, and clamps nonsense', () => {
    const odd: TransportStatsInput = {
      direction: 'send',
      state: 'connecting',
      stats: statsOf({
        id: 'P',
        type: 'candidate-pair',
        nominated: true,
        state: 'succeeded',
        currentRoundTripTime: 1e9,
      }),
    };
    const { report } = linkReport([odd], null);
    expect(ClientReport.parse(report)).toEqual(report);
    expect(report.transports[0]).toMatchObject({ rttMs: 60_000, localCandidate: null, protocol: null });
    expect(report.camera).toBeNull();
    expect(report.inbound).toBeNull();
  });
});
