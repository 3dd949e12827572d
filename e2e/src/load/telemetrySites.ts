// The 14 sites of the telemetry benchmark, in their own process (so the server under test keeps
// its cores): one socket.io connection per site and a technician's, RTP into the media node's
// PlainTransports, and each site's browser report every 2 s. Driven by telemetryBench.ts.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { ClientReport } from '@summit-bridge/protocol';
import { rtpPacket, vp8Payload } from '@summit-bridge/sfu/bench';
import { Rpc } from '@summit-bridge/testkit/rpc';
import { io, type Socket } from 'socket.io-client';

interface Sender {
  udp: UdpSocket;
  port: number;
  audioSsrc: number;
  videoSsrc: number;
}

const rpc = Rpc.ofParent();
const sockets: Socket[] = [];
const senders: Sender[] = [];
const timers: NodeJS.Timeout[] = [];
let reporting: NodeJS.Timeout | null = null;
let samplesSeen = 0;

const report = (i: number): ClientReport => ({
  transports: [
    {
      direction: 'send',
      state: 'connected',
      rttMs: 40 + i,
      localCandidate: 'host',
      protocol: 'udp',
      relayProtocol: null,
    },
    {
      direction: 'recv',
      state: 'connected',
      rttMs: 41 + i,
      localCandidate: 'host',
      protocol: 'udp',
      relayProtocol: null,
    },
  ],
  camera: { width: 1280, height: 720, fps: 30, qualityLimitation: 'none' },
  inbound: { lossPct: 0.2, jitterMs: 5, freezes: 0 },
});

function connect(url: string, token: string, sessionId: string): Promise<Socket> {
  const socket = io(url, {
    auth: { token, sessionId },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => resolve(socket));
  });
}

rpc.handle(
  'connect',
  async ({
    url,
    sessionId,
    sites,
    technician,
  }: {
    url: string;
    sessionId: string;
    sites: string[];
    technician: string;
  }) => {
    const tech = await connect(url, technician, sessionId);
    tech.on('telemetry:sample', () => samplesSeen++);
    const ids: string[] = [];
    for (const token of sites) ids.push((await connect(url, token, sessionId)).id ?? '');
    return { socketIds: ids };
  },
);

// 50 audio packets a second and a 30 fps camera (one packet a frame, a key frame each second).
rpc.handle(
  'send',
  async ({ targets }: { targets: { port: number; audioSsrc: number; videoSsrc: number }[] }) => {
    for (const target of targets) {
      const udp = createSocket('udp4');
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
      senders.push({ udp, ...target });
    }
    let audioSeq = 0;
    let frame = 0;
    const audioPayload = Buffer.alloc(80, 1);
    const videoBody = Buffer.alloc(1000, 2);
    timers.push(
      setInterval(() => {
        audioSeq++;
        for (const s of senders) {
          const packet = rtpPacket(
            { payloadType: 100, sequenceNumber: audioSeq, timestamp: audioSeq * 960, ssrc: s.audioSsrc },
            audioPayload,
          );
          s.udp.send(packet, s.port, '127.0.0.1');
        }
      }, 20),
      setInterval(() => {
        frame++;
        const payload = vp8Payload(
          { pictureId: frame & 0x7fff, start: true, keyFrame: frame % 30 === 1 },
          videoBody,
        );
        for (const s of senders) {
          const packet = rtpPacket(
            {
              payloadType: 101,
              sequenceNumber: frame,
              timestamp: frame * 3000,
              ssrc: s.videoSsrc,
              marker: true,
            },
            payload,
          );
          s.udp.send(packet, s.port, '127.0.0.1');
        }
      }, 33),
    );
  },
);

rpc.handle('reporting', ({ on }: { on: boolean }) => {
  if (reporting) clearInterval(reporting);
  reporting = null;
  if (!on) return;
  const sites = sockets.slice(1);
  reporting = setInterval(() => {
    sites.forEach((socket, i) => {
      socket.emit('telemetry:report', report(i), () => undefined);
    });
  }, 2_000);
});

rpc.handle('samplesSeen', () => ({ samplesSeen }));

rpc.handle('close', () => {
  for (const timer of timers) clearInterval(timer);
  if (reporting) clearInterval(reporting);
  for (const s of senders) s.udp.close();
  for (const socket of sockets) socket.close();
  setImmediate(() => process.exit(0));
});

void rpc.call('ready');
