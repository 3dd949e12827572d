// A site's sample from the media node's stats and the browser's report: which number wins,
// how several connections combine, and what the sampler remembers between rounds.
import type { ClientReport, ConsumerStats, PeerStats } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import {
  newSite,
  type SiteLink,
  sampleSite,
  stageConsumer,
} from '../../../src/domain/telemetry/siteSample.js';

const stream = (over: Record<string, unknown> = {}) => ({
  ssrc: 1,
  kind: 'video' as const,
  mimeType: 'video/VP8',
  packetCount: 1000,
  byteCount: 1_000_000,
  bitrate: 500_000,
  packetsLost: 0,
  fractionLost: 0,
  jitter: 900,
  nackCount: 0,
  pliCount: 0,
  firCount: 0,
  score: 10,
  ...over,
});

function seat(over: Partial<PeerStats> = {}): PeerStats {
  return {
    peerId: 'socket-a',
    transports: [
      {
        transportId: 't-send',
        direction: 'send',
        iceState: 'completed',
        dtlsState: 'connected',
        tuple: { protocol: 'udp', localAddress: '10.0.0.1', localPort: 40000 },
        bytesReceived: 0,
        bytesSent: 0,
        recvBitrate: 1_200_000,
        sendBitrate: 10_000,
      },
      {
        transportId: 't-recv',
        direction: 'recv',
        iceState: 'completed',
        dtlsState: 'connected',
        tuple: { protocol: 'udp', localAddress: '10.0.0.1', localPort: 40000 },
        bytesReceived: 0,
        bytesSent: 0,
        recvBitrate: 20_000,
        sendBitrate: 800_000,
        availableOutgoingBitrate: 2_500_000,
      },
    ],
    producers: [
      {
        producerId: 'cam',
        kind: 'video',
        paused: false,
        streams: [
          stream({ rid: 'r0', bitrate: 150_000, fractionLost: 0 }),
          stream({ rid: 'r1', bitrate: 450_000, fractionLost: 32, score: 6 }),
        ],
      },
      {
        producerId: 'mic',
        kind: 'audio',
        paused: true,
        streams: [stream({ kind: 'audio', mimeType: 'audio/opus', score: 0 })],
      },
    ],
    consumers: [
      {
        consumerId: 'c-stage',
        producerId: 'other-cam',
        kind: 'video',
        paused: false,
        producerPaused: false,
        priority: 1,
        preferredLayers: { spatialLayer: 2, temporalLayer: 2 },
        currentLayers: { spatialLayer: 1, temporalLayer: 2 },
        score: 9,
      },
      {
        consumerId: 'c-tile',
        producerId: 'third-cam',
        kind: 'video',
        paused: false,
        producerPaused: false,
        priority: 1,
        preferredLayers: { spatialLayer: 0, temporalLayer: 2 },
        currentLayers: { spatialLayer: 0, temporalLayer: 2 },
        score: 8,
      },
    ],
    ...over,
  };
}

/** The stage video's full stats, as the sampler reads them for the consumer stageConsumer picks. */
const stage = (over: Record<string, unknown> = {}): ConsumerStats => ({
  consumerId: 'c-stage',
  producerId: 'other-cam',
  paused: false,
  producerPaused: false,
  priority: 1,
  preferredLayers: { spatialLayer: 2, temporalLayer: 2 },
  currentLayers: { spatialLayer: 1, temporalLayer: 2 },
  stream: stream({ roundTripTime: 80, fractionLost: 13, nackCount: 10, pliCount: 1, score: 9, ...over }),
});

const link = (over: Partial<SiteLink> = {}): SiteLink => ({
  stats: seat(),
  stage: stage(),
  report: null,
  ...over,
});

const report: ClientReport = {
  transports: [
    {
      direction: 'send',
      state: 'connected',
      rttMs: 35,
      localCandidate: 'host',
      protocol: 'udp',
      relayProtocol: null,
    },
  ],
  camera: { width: 1280, height: 720, fps: 29, qualityLimitation: 'none' },
  inbound: { lossPct: 0.4, jitterMs: 6, freezes: 1 },
};

describe('a site sample', () => {
  it('reads the media node: bitrates both ways, loss, scores, the stage layer', () => {
    const { sample } = sampleSite('VNM', [link()], newSite, null, 10_000);
    expect(sample).toMatchObject({ delegation: 'VNM', connection: 'connected', path: 'udp', camera: null });
    expect(sample.values).toEqual({
      rttMs: 80, // the stage video's RTCP round trip
      lossInPct: 5.1, // 13/256, reported by the site for the stage video
      lossOutPct: 12.5, // 32/256
      jitterMs: 10, // 900 / 90 kHz
      bitrateInKbps: 800,
      bitrateOutKbps: 1200,
      availableInKbps: 2500,
      cameraKbps: 600,
      producerScore: 6, // the paused microphone does not count
      consumerScore: 8,
      sendFps: null,
      freezes: null,
      nackPerSec: null, // a rate needs a previous round
      pliPerSec: null,
      stageLayer: 1,
    });
  });

  it('takes the stage video to be the flowing video that asks for the highest layer', () => {
    expect(stageConsumer(seat())?.consumerId).toBe('c-stage');
    const paused = seat();
    for (const c of paused.consumers) c.paused = c.consumerId === 'c-stage';
    expect(stageConsumer(paused)?.consumerId).toBe('c-tile');
    expect(stageConsumer(seat({ consumers: [] }))).toBeNull();
  });

  it('does not take a shared screen for a camera: neither its bitrate nor its one layer on the stage', () => {
    const presenting = seat();
    presenting.producers.push({
      producerId: 'slides',
      kind: 'video',
      paused: false,
      // A still slide sends next to nothing: it must neither raise "frozen" nor hide a frozen camera.
      streams: [stream({ bitrate: 4_000 })],
    });
    presenting.consumers.push({
      consumerId: 'c-screen',
      producerId: 'their-slides',
      kind: 'video',
      paused: false,
      producerPaused: false,
      priority: 1,
      preferredLayers: { spatialLayer: 2, temporalLayer: 2 },
      currentLayers: { spatialLayer: 0, temporalLayer: 2 },
      score: 10,
    });
    const screens = new Set(['slides', 'their-slides']);
    expect(stageConsumer(presenting, screens)?.consumerId).toBe('c-stage');
    const { sample } = sampleSite('VNM', [link({ stats: presenting, screens })], newSite, null, 10_000);
    expect(sample.values).toMatchObject({ cameraKbps: 600, stageLayer: 1 });
    // Its bytes still count in what the site sends.
    expect(sample.values.bitrateOutKbps).toBe(1200);
    // Without a camera, a presenting site has no camera bitrate at all (not a frozen one).
    const onlySlides = seat({ producers: presenting.producers.filter((p) => p.producerId !== 'cam') });
    expect(
      sampleSite('VNM', [link({ stats: onlySlides, screens })], newSite, null, 0).sample.values.cameraKbps,
    ).toBeNull();
  });

  it('prefers what the browser measured for round trip, inbound loss and jitter', () => {
    const { sample } = sampleSite('VNM', [link({ report })], newSite, 1, 10_000);
    expect(sample.values).toMatchObject({ rttMs: 35, lossInPct: 0.4, jitterMs: 6, sendFps: 29, freezes: 1 });
    expect(sample.camera).toEqual(report.camera);
    expect(sample.layerLimit).toBe(1);
  });

  it('counts the transport-wide loss before retransmissions repair it, when it is the worse', () => {
    const lossy = seat();
    for (const t of lossy.transports) {
      if (t.direction === 'send') t.packetLossReceived = 0.2;
      else t.packetLossSent = 0.031;
    }
    const { sample } = sampleSite('VNM', [link({ stats: lossy, report })], newSite, null, 0);
    expect(sample.values.lossOutPct).toBe(20);
    expect(sample.values.lossInPct).toBe(3.1);
  });

  it('computes NACK and PLI rates from one round to the next', () => {
    const first = sampleSite('VNM', [link()], newSite, null, 10_000);
    const second = sampleSite('VNM', [link({ stage: stage({ nackCount: 50 }) })], first.memory, null, 12_000);
    expect(second.sample.values.nackPerSec).toBe(20);
    expect(second.sample.values.pliPerSec).toBe(0);
    // Another stage video has counters of its own: no rate across the change.
    const other = { ...stage({ nackCount: 900 }), consumerId: 'c-other' };
    const third = sampleSite('VNM', [link({ stage: other })], second.memory, null, 14_000);
    expect(third.sample.values.nackPerSec).toBeNull();
  });

  it('shows TCP from the selected tuple and a relay from the browser', () => {
    const tcp = seat();
    for (const t of tcp.transports) t.tuple = { protocol: 'tcp', localAddress: '10.0.0.1', localPort: 40000 };
    expect(sampleSite('VNM', [link({ stats: tcp })], newSite, null, 0).sample.path).toBe('tcp');
    const relayed = {
      ...report,
      transports: [
        { ...(report.transports[0] as ClientReport['transports'][0]), localCandidate: 'relay' as const },
      ],
    };
    expect(sampleSite('VNM', [link({ report: relayed })], newSite, null, 0).sample.path).toBe('relay');
  });

  it('follows the seat (the connections that send media), not an adviser who only watches', () => {
    const watcher: SiteLink = {
      stats: seat({ peerId: 'socket-b', producers: [], transports: [] }),
      stage: stage({ roundTripTime: 700 }),
      report: {
        ...report,
        transports: [{ ...(report.transports[0] as ClientReport['transports'][0]), rttMs: 900 }],
      },
    };
    const { sample } = sampleSite('VNM', [link(), watcher], newSite, null, 0);
    expect(sample.values.rttMs).toBe(80);
  });

  it('goes from absent to connecting to connected, then disconnected, and marks the reconnect', () => {
    let memory = newSite;
    const at = (now: number, links: SiteLink[]) => {
      const result = sampleSite('VNM', links, memory, null, now);
      memory = result.memory;
      return [result.sample.connection, result.sample.lastReconnectAt];
    };
    expect(at(0, [])).toEqual(['absent', null]);
    expect(at(2_000, [link({ stats: null, stage: null })])).toEqual(['connecting', null]);
    expect(at(4_000, [link()])).toEqual(['connected', null]);
    const broken = seat();
    for (const t of broken.transports) t.iceState = 'disconnected';
    expect(at(6_000, [link({ stats: broken })])).toEqual(['disconnected', null]);
    expect(at(8_000, [])).toEqual(['disconnected', null]);
    expect(at(10_000, [link({ stats: null, stage: null })])).toEqual(['connecting', null]);
    expect(at(12_000, [link()])).toEqual(['connected', 12_000]);
    expect(at(14_000, [link()])).toEqual(['connected', 12_000]);
  });

  it('believes a browser whose transport failed even while the node still says connected', () => {
    const failed = {
      ...report,
      transports: [{ ...(report.transports[0] as ClientReport['transports'][0]), state: 'failed' as const }],
    };
    expect(sampleSite('VNM', [link({ report: failed })], newSite, null, 0).sample.connection).toBe(
      'disconnected',
    );
  });
});
