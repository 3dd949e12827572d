// The 13 other sites of the console benchmark, in their own process: each a participant's
// socket.io connection that produces (through the server's own `media:produce`) a simulcast
// camera and a microphone on a PlainTransport, then sends the encoded clip over it in real RTP,
// with sender reports. Driven by consoleBench.ts.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { rtpPacket, senderReport } from '@summit-bridge/sfu/bench';
import { Rpc } from '@summit-bridge/testkit/rpc';
import { io, type Socket } from 'socket.io-client';
import { CLIP_FPS, CLIP_FRAMES, type Clip } from './consoleClip.js';

const AUDIO_PT = 100;
const VIDEO_PT = 101;
const MAX_PAYLOAD = 1100;

interface Site {
  socket: Socket;
  udp: UdpSocket | null;
  port: number;
  /** Where in the clip this site starts, so that key frames do not all come at once. */
  phase: number;
  video: { ssrc: number; seq: number; packets: number; octets: number }[];
  audio: { ssrc: number; seq: number };
}

const rpc = Rpc.ofParent();
const sites: Site[] = [];
const timers: NodeJS.Timeout[] = [];

function request<R>(socket: Socket, name: string, payload: unknown): Promise<R> {
  return new Promise((resolve, reject) => {
    socket
      .timeout(10_000)
      .emit(name, payload, (err: Error | null, answer: { ok: boolean; error?: unknown }) => {
        if (err) reject(err);
        else if (!answer.ok) reject(new Error(`${name}: ${JSON.stringify(answer.error)}`));
        else resolve(answer as R);
      });
  });
}

function connect(url: string, token: string, sessionId: string): Promise<Socket> {
  const socket = io(url, { auth: { token, sessionId }, transports: ['websocket'], forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => resolve(socket));
  });
}

rpc.handle(
  'connect',
  async ({ url, sessionId, tokens }: { url: string; sessionId: string; tokens: string[] }) => {
    for (const [i, token] of tokens.entries()) {
      const socket = await connect(url, token, sessionId);
      // Opens the session's media at the node, as a browser's first media request does.
      await request(socket, 'media:capabilities', {});
      sites.push({
        socket,
        udp: null,
        port: 0,
        phase: (i * 37) % CLIP_FRAMES,
        video: [0, 1, 2].map((layer) => ({ ssrc: 10_000 + i * 10 + layer, seq: 0, packets: 0, octets: 0 })),
        audio: { ssrc: 20_000 + i, seq: 0 },
      });
    }
    return { socketIds: sites.map((s) => s.socket.id) };
  },
);

const vp8 = {
  mimeType: 'video/VP8',
  payloadType: VIDEO_PT,
  clockRate: 90000,
  rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
};
const opus = { mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 };

/** Each site's camera and microphone, announced through the server like any participant's. */
rpc.handle('produce', async ({ transports }: { transports: { id: string; port: number }[] }) => {
  await Promise.all(
    sites.map(async (site, i) => {
      const transport = transports[i];
      if (!transport) throw new Error(`no transport for site ${i}`);
      site.port = transport.port;
      await request(site.socket, 'media:produce', {
        transportId: transport.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: {
          codecs: [vp8],
          encodings: site.video.map((v) => ({ ssrc: v.ssrc, scalabilityMode: 'L1T3' })),
        },
      });
      await request(site.socket, 'media:produce', {
        transportId: transport.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: { codecs: [opus], encodings: [{ ssrc: site.audio.ssrc }] },
      });
    }),
  );
});

/** The chair's site opens the session and gives the floor, as a chair's console would. */
rpc.handle('chair', async ({ site, floorTo }: { site: number; floorTo: string }) => {
  const socket = sites[site]?.socket;
  if (!socket) throw new Error(`no site ${site}`);
  await request(socket, 'session:setStatus', { status: 'open' });
  await request(socket, 'floor:give', { delegation: floorTo });
});

/** A VP8 frame in RTP payloads (RFC 7741): picture id, TL0PICIDX, temporal layer and its sync bit. */
function vp8Payloads(frame: Buffer, pictureId: number, tl0: number, tid: number, sync: boolean): Buffer[] {
  const payloads: Buffer[] = [];
  for (let offset = 0; offset < frame.length; offset += MAX_PAYLOAD) {
    const descriptor = Buffer.from([
      0x80 | (offset === 0 ? 0x10 : 0),
      0xe0,
      0x80 | ((pictureId >> 8) & 0x7f),
      pictureId & 0xff,
      tl0 & 0xff,
      (tid << 6) | (sync ? 0x20 : 0),
    ]);
    payloads.push(Buffer.concat([descriptor, frame.subarray(offset, offset + MAX_PAYLOAD)]));
  }
  return payloads;
}

rpc.handle('send', async ({ clip }: { clip: Clip }) => {
  const layers = clip.layers.map((l) =>
    l.frames.map((f) => ({ ...f, bytes: Buffer.from(f.data, 'base64') })),
  );
  const voice = clip.audio.map((a) => Buffer.from(a, 'base64'));
  for (const site of sites) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    udp.on('message', () => undefined); // mediasoup's RTCP (receiver reports, PLI): nothing to do
    site.udp = udp;
  }
  const start = performance.now();
  const sent = { frames: 0, audio: 0 };
  const tick = () => {
    const elapsed = performance.now() - start;
    const dueFrames = Math.floor((elapsed * CLIP_FPS) / 1000);
    const dueAudio = Math.floor(elapsed / 20);
    for (const site of sites) {
      const send = (packet: Buffer) => site.udp?.send(packet, site.port, '127.0.0.1');
      for (let n = sent.frames; n < dueFrames; n++) {
        const at = (n + site.phase) % CLIP_FRAMES;
        layers.forEach((frames, layer) => {
          const frame = frames[at];
          const stream = site.video[layer];
          if (!frame || !stream) return;
          // In L1T3 (0, 2, 1, 2) a layer-1 frame and the layer-2 frame after a base one refer to
          // the base layer only: a receiver may switch up there.
          const sync = frame.tid === 1 || (frame.tid === 2 && at % 4 === 1);
          const tl0 = Math.floor((n + site.phase) / 4); // each base frame starts a new index
          const payloads = vp8Payloads(frame.bytes, n & 0x7fff, tl0, frame.tid, sync);
          payloads.forEach((payload, k) => {
            const packet = rtpPacket(
              {
                payloadType: VIDEO_PT,
                sequenceNumber: stream.seq++,
                timestamp: n * (90_000 / CLIP_FPS),
                ssrc: stream.ssrc,
                marker: k === payloads.length - 1,
              },
              payload,
            );
            stream.packets++;
            stream.octets += payload.length;
            send(packet);
          });
        });
      }
      for (let n = sent.audio; n < dueAudio; n++) {
        const payload = voice[n % voice.length];
        if (!payload) continue;
        send(
          rtpPacket(
            {
              payloadType: AUDIO_PT,
              sequenceNumber: site.audio.seq++,
              timestamp: n * 960,
              ssrc: site.audio.ssrc,
            },
            payload,
          ),
        );
      }
    }
    sent.frames = dueFrames;
    sent.audio = dueAudio;
  };
  // Sender reports map each stream's clock to wall time: mediasoup needs them to switch layers.
  const report = () => {
    const elapsed = performance.now() - start;
    for (const site of sites) {
      for (const stream of site.video) {
        const packet = senderReport({
          ssrc: stream.ssrc,
          wallClockMs: performance.timeOrigin + performance.now(),
          rtpTimestamp: Math.round(elapsed * 90),
          packetCount: stream.packets,
          octetCount: stream.octets,
        });
        site.udp?.send(packet, site.port, '127.0.0.1');
      }
    }
  };
  timers.push(setInterval(tick, 5), setInterval(report, 1_000));
});

rpc.handle('close', () => {
  for (const timer of timers) clearInterval(timer);
  for (const site of sites) {
    site.udp?.close();
    site.socket.close();
  }
  setImmediate(() => process.exit(0));
});

void rpc.call('ready');
