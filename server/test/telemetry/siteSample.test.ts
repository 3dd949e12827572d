// A site's sample from the media node's stats and the browser's report: which number wins,
// how several connections combine, and what the sampler remembers between rounds.
import type { ClientReport, PeerStats } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { newSite, type SiteLink, sampleSite } from '../../src/telemetry/siteSample.js';

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
        stream: stream({ roundTripTime: 80, fractionLost: 13, nackCount: 10, pliCount: 1, score: 9 }),
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
        stream: stream({ roundTripTime: 120, nackCount: 20, pliCount: 3, score: 8 }),
      },
    ],
    ...over,
  };
}

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
    const { sample } = sampleSite('VNM', [{ stats: seat(), report: null }], newSite, null, 10_000);
    expect(sample).toMatchObject({ delegation: 'VNM', connection: 'connected', path: 'udp', camera: null });
    expect(sample.values).toEqual({
      rttMs: 120,
      lossInPct: 5.1, // 13/256
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

  it('prefers what the browser measured for round trip, inbound loss and jitter', () => {
    const { sample } = sampleSite('VNM', [{ stats: seat(), report }], newSite, 1, 10_000);
    expect(sample.values).toMatchObject({ rttMs: 35, lossInPct: 0.4, jitterMs: 6, sendFps: 29, freezes: 1 });
    expect(sample.camera).toEqual(report.camera);
    expect(sample.layerLimit).toBe(1);
  });

  it('computes NACK and PLI rates from one round to the next', () => {
    const first = sampleSite('VNM', [{ stats: seat(), report: null }], newSite, null, 10_000);
    const more = seat();
    for (const c of more.consumers)
      if (c.stream) c.stream = { ...c.stream, nackCount: c.stream.nackCount + 20 };
    const second = sampleSite('VNM', [{ stats: more, report: null }], first.memory, null, 12_000);
    expect(second.sample.values.nackPerSec).toBe(20);
    expect(second.sample.values.pliPerSec).toBe(0);
  });

  it('shows TCP from the selected tuple and a relay from the browser', () => {
    const tcp = seat();
    for (const t of tcp.transports) t.tuple = { protocol: 'tcp', localAddress: '10.0.0.1', localPort: 40000 };
    expect(sampleSite('VNM', [{ stats: tcp, report: null }], newSite, null, 0).sample.path).toBe('tcp');
    const relayed = {
      ...report,
      transports: [
        { ...(report.transports[0] as ClientReport['transports'][0]), localCandidate: 'relay' as const },
      ],
    };
    expect(sampleSite('VNM', [{ stats: seat(), report: relayed }], newSite, null, 0).sample.path).toBe(
      'relay',
    );
  });

  it('follows the seat (the connections that send media), not an adviser who only watches', () => {
    const watcher: SiteLink = {
      stats: seat({ peerId: 'socket-b', producers: [], transports: [] }),
      report: {
        ...report,
        transports: [{ ...(report.transports[0] as ClientReport['transports'][0]), rttMs: 900 }],
      },
    };
    const { sample } = sampleSite('VNM', [{ stats: seat(), report: null }, watcher], newSite, null, 0);
    expect(sample.values.rttMs).toBe(120);
  });

  it('goes from absent to connecting to connected, then disconnected, and marks the reconnect', () => {
    let memory = newSite;
    const at = (now: number, links: SiteLink[]) => {
      const result = sampleSite('VNM', links, memory, null, now);
      memory = result.memory;
      return [result.sample.connection, result.sample.lastReconnectAt];
    };
    expect(at(0, [])).toEqual(['absent', null]);
    expect(at(2_000, [{ stats: null, report: null }])).toEqual(['connecting', null]);
    expect(at(4_000, [{ stats: seat(), report: null }])).toEqual(['connected', null]);
    const broken = seat();
    for (const t of broken.transports) t.iceState = 'disconnected';
    expect(at(6_000, [{ stats: broken, report: null }])).toEqual(['disconnected', null]);
    expect(at(8_000, [])).toEqual(['disconnected', null]);
    expect(at(10_000, [{ stats: null, report: null }])).toEqual(['connecting', null]);
    expect(at(12_000, [{ stats: seat(), report: null }])).toEqual(['connected', 12_000]);
    expect(at(14_000, [{ stats: seat(), report: null }])).toEqual(['connected', 12_000]);
  });

  it('believes a browser whose transport failed even while the node still says connected', () => {
    const failed = {
      ...report,
      transports: [{ ...(report.transports[0] as ClientReport['transports'][0]), state: 'failed' as const }],
    };
    expect(sampleSite('VNM', [{ stats: seat(), report: failed }], newSite, null, 0).sample.connection).toBe(
      'disconnected',
    );
  });
});
