import type { TransportOptions } from '@summit-bridge/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerSdp, type IcePath, testConnectivity } from '../src/features/join/connectivity.js';
import type { RelayChoice } from '../src/features/join/joinLink.js';
import { Signaling } from '../src/signaling/Signaling.js';
import { type SocketServer, startSocketServer } from './socketServer.js';

const transport = (id: string, forceTcp: boolean): TransportOptions => ({
  id,
  iceParameters: { usernameFragment: 'srvufrag', password: 'srvpassword', iceLite: true },
  iceCandidates: [
    ...(forceTcp
      ? []
      : [
          {
            foundation: 'udpcandidate',
            priority: 1076302079,
            address: '192.0.2.10',
            protocol: 'udp' as const,
            port: 40001,
            type: 'host',
          },
        ]),
    {
      foundation: 'tcpcandidate',
      priority: 1076276479,
      address: '192.0.2.10',
      protocol: 'tcp' as const,
      port: 40002,
      type: 'host',
      tcpType: 'passive',
    },
  ],
  dtlsParameters: {
    role: 'auto',
    fingerprints: [
      { algorithm: 'sha-1', value: 'AA:BB' },
      { algorithm: 'sha-256', value: 'de:ad:be:ef' },
    ],
  },
});

// What Chromium offers for one data channel (trimmed to the lines that matter here).
const offer = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:cli1',
  'a=ice-pwd:clientpasswordclientpass',
  'a=fingerprint:sha-256 11:22',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  '',
].join('\r\n');

describe('the connectivity answer', () => {
  it('carries the transport’s ICE-lite credentials, sha-256 fingerprint and one protocol’s candidates', () => {
    const sdp = answerSdp(offer, transport('t1', false), 'udp');
    const lines = sdp.split('\r\n');
    expect(lines).toContain('a=ice-lite');
    expect(lines).toContain('a=mid:0');
    expect(lines).toContain('a=ice-ufrag:srvufrag');
    expect(lines).toContain('a=ice-pwd:srvpassword');
    expect(lines).toContain('a=fingerprint:sha-256 DE:AD:BE:EF');
    expect(lines).toContain('a=setup:passive');
    expect(lines).toContain('a=candidate:udpcandidate 1 udp 1076302079 192.0.2.10 40001 typ host');
    expect(lines.filter((l) => l.startsWith('a=candidate'))).toHaveLength(1);
  });

  it('marks TCP candidates passive', () => {
    const sdp = answerSdp(offer, transport('t2', true), 'tcp');
    expect(sdp).toContain(
      'a=candidate:tcpcandidate 1 tcp 1076276479 192.0.2.10 40002 typ host tcptype passive\r\n',
    );
  });
});

describe('the connectivity test', () => {
  let server: SocketServer;
  const asked: unknown[] = [];
  const closed: string[] = [];

  beforeEach(async () => {
    asked.length = 0;
    closed.length = 0;
    server = await startSocketServer();
    server.io.on('connection', (socket) => {
      socket.on('media:createTransport', (payload: { forceTcp: boolean }, ack) => {
        asked.push(payload);
        ack({ ok: true, ...transport(`t${asked.length}`, payload.forceTcp) });
      });
      socket.on('media:closeTransport', ({ transportId }: { transportId: string }, ack) => {
        closed.push(transportId);
        ack({ ok: true });
      });
    });
  });
  afterEach(async () => {
    await server.close();
  });

  async function run(works: IcePath[], forcedRelay: RelayChoice | null = null) {
    const socket = server.client();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const probed: string[] = [];
    const verdict = await testConnectivity(
      new Signaling(socket),
      async (options, protocol, via) => {
        const path = via ? 'relay' : protocol;
        probed.push(`${options.id}:${protocol}${via ? `:relay-${via.relay}` : ''}`);
        return { ok: works.includes(path), rttMs: works.includes(path) ? 12 : null };
      },
      forcedRelay,
    );
    return { verdict, probed };
  }

  it('stops at UDP when it works', async () => {
    const { verdict, probed } = await run(['udp', 'tcp']);
    expect(verdict).toEqual({ reachable: true, protocol: 'udp', rttMs: 12 });
    expect(probed).toEqual(['t1:udp']);
    expect(asked).toEqual([{ direction: 'recv', forceTcp: false }]);
    await expect.poll(() => closed).toEqual(['t1']);
  });

  it('falls back to a TCP-only transport when UDP is blocked', async () => {
    const { verdict, probed } = await run(['tcp']);
    expect(verdict).toEqual({ reachable: true, protocol: 'tcp', rttMs: 12 });
    expect(probed).toEqual(['t1:udp', 't2:tcp']);
    expect(asked).toEqual([
      { direction: 'recv', forceTcp: false },
      { direction: 'recv', forceTcp: true },
    ]);
    await expect.poll(() => closed).toEqual(['t1', 't2']);
  });

  it('then tries the TURN relay, towards the media node’s UDP candidates', async () => {
    const { verdict, probed } = await run(['relay']);
    expect(verdict).toEqual({ reachable: true, protocol: 'relay', rttMs: 12 });
    expect(probed).toEqual(['t1:udp', 't2:tcp', 't3:udp:relay-any']);
    expect(asked.at(-1)).toEqual({ direction: 'recv', forceTcp: false });
    await expect.poll(() => closed).toEqual(['t1', 't2', 't3']);
  });

  it('says so when nothing gets through', async () => {
    expect((await run([])).verdict).toEqual({ reachable: false });
    await expect.poll(() => closed).toEqual(['t1', 't2', 't3']);
  });

  it('tests only the relay, over the chosen transport, when the relay switch forces it', async () => {
    const { verdict, probed } = await run(['udp', 'relay'], 'tls');
    expect(verdict).toEqual({ reachable: true, protocol: 'relay', rttMs: 12 });
    expect(probed).toEqual(['t1:udp:relay-tls']);
  });

  it('gives the transport back when the probe itself fails', async () => {
    const socket = server.client();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const failing = testConnectivity(
      new Signaling(socket),
      () => Promise.reject(new Error('no WebRTC')),
      null,
    );
    await expect(failing).rejects.toThrow('no WebRTC');
    await expect.poll(() => closed).toEqual(['t1']);
  });
});
