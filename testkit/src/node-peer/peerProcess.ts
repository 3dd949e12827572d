// A WebRTC peer in its own Node process: mediasoup-client's Chrome111 handler over @roamhq/wrtc.
// Its own process because wrtc crashes at exit unless the process ends with process.exit().
import wrtc from '@roamhq/wrtc';
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, Transport, TransportOptions } from 'mediasoup-client/types';
import { Rpc } from './rpc.js';

Object.assign(globalThis, {
  RTCPeerConnection: wrtc.RTCPeerConnection,
  RTCSessionDescription: wrtc.RTCSessionDescription,
  RTCIceCandidate: wrtc.RTCIceCandidate,
  RTCRtpSender: wrtc.RTCRtpSender,
  RTCRtpReceiver: wrtc.RTCRtpReceiver,
  RTCRtpTransceiver: wrtc.RTCRtpTransceiver,
  MediaStream: wrtc.MediaStream,
  MediaStreamTrack: wrtc.MediaStreamTrack,
});

const rpc = Rpc.ofParent();
const device = new Device({ handlerName: 'Chrome111' });
const transports = new Map<string, Transport>();
const producers = new Map<string, Producer>();
const consumers = new Map<string, Consumer>();
const transportOfConsumer = new Map<string, Transport>();
const timers: NodeJS.Timeout[] = [];

function transport(id: string): Transport {
  const found = transports.get(id);
  if (!found) throw new Error(`unknown transport ${id}`);
  return found;
}

function wire(t: Transport): Transport {
  transports.set(t.id, t);
  t.on('connect', ({ dtlsParameters }, callback, errback) => {
    rpc.call('transportConnect', { transportId: t.id, dtlsParameters }).then(() => callback(), errback);
  });
  t.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
    rpc
      .call<{ id: string }>('produce', { transportId: t.id, kind, rtpParameters, appData })
      .then(({ id }) => callback({ id }), errback);
  });
  return t;
}

/**
 * What the synthetic sources send: a tone of `frequency` Hz; with `markMs`, the tone sounds and the
 * picture is white only for the first `markMs` of every wall-clock second (silence and black
 * otherwise), so that a recording's sound and picture can be lined up against each other.
 */
interface Marks {
  frequency?: number;
  markMs?: number;
}

const marked = (markMs: number | undefined, at = Date.now()) => markMs === undefined || at % 1000 < markMs;

/**
 * 10 ms frames of a tone (440 Hz unless said), as a microphone delivers them: as many frames as
 * the wall clock says are due, so the sound's clock keeps time like a sound card's even when the
 * timer fires late (on a busy machine it would otherwise run slow, by several per cent).
 */
function toneTrack({ frequency = 440, markMs }: Marks = {}) {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const sampleRate = 48000;
  const samples = new Int16Array(sampleRate / 100);
  const started = Date.now();
  let sent = 0;
  let phase = 0;
  timers.push(
    setInterval(() => {
      for (const due = Math.floor((Date.now() - started) / 10); sent < due; sent++) {
        const level = marked(markMs, started + sent * 10) ? 8000 : 0;
        for (let i = 0; i < samples.length; i++) {
          samples[i] = Math.round(level * Math.sin(phase));
          phase += (2 * Math.PI * frequency) / sampleRate;
        }
        source.onData({
          samples,
          sampleRate,
          bitsPerSample: 16,
          channelCount: 1,
          numberOfFrames: samples.length,
        });
      }
    }, 10),
  );
  return source.createTrack();
}

// Frames of a slide: a still image (I420) at a few frames a second, as a shared screen sends them.
function slideTrack(width: number, height: number) {
  const source = new wrtc.nonstandard.RTCVideoSource({ isScreencast: true });
  const data = new Uint8Array((width * height * 3) / 2);
  let frame = 0;
  timers.push(
    setInterval(() => {
      // A bar that moves, so that frames differ and the encoder keeps sending.
      data.fill(235, 0, width * height);
      const bar = (frame++ * 8) % width;
      for (let y = 0; y < height; y++) data.fill(16, y * width + bar, y * width + Math.min(width, bar + 8));
      data.fill(128, width * height);
      source.onFrame({ width, height, data });
    }, 200),
  );
  return source.createTrack();
}

// A camera at 25 frames a second that shows white while the marks say so, black otherwise.
function markTrack(width: number, height: number, markMs: number) {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const data = new Uint8Array((width * height * 3) / 2);
  timers.push(
    setInterval(() => {
      data.fill(marked(markMs) ? 235 : 16, 0, width * height);
      data.fill(128, width * height);
      source.onFrame({ width, height, data });
    }, 40),
  );
  return source.createTrack();
}

rpc.handle('load', async ({ routerRtpCapabilities }: { routerRtpCapabilities: never }) => {
  await device.load({ routerRtpCapabilities });
  return { rtpCapabilities: device.recvRtpCapabilities };
});

rpc.handle('createSendTransport', (options: TransportOptions) => ({
  id: wire(device.createSendTransport(options)).id,
}));
rpc.handle('createRecvTransport', (options: TransportOptions) => ({
  id: wire(device.createRecvTransport(options)).id,
}));

rpc.handle('produceAudio', async ({ transportId, ...marks }: { transportId: string } & Marks) => {
  const producer = await transport(transportId).produce({ track: toneTrack(marks) });
  producers.set(producer.id, producer);
  return { id: producer.id };
});

rpc.handle('produceVideo', async ({ transportId, markMs }: { transportId: string; markMs?: number }) => {
  const track = markMs === undefined ? slideTrack(640, 360) : markTrack(320, 180, markMs);
  const producer = await transport(transportId).produce({ track });
  producers.set(producer.id, producer);
  return { id: producer.id };
});

rpc.handle(
  'consume',
  async ({
    transportId,
    ...options
  }: {
    transportId: string;
    id: string;
    producerId: string;
    kind: 'audio' | 'video';
    rtpParameters: never;
  }) => {
    const receiving = transport(transportId);
    const consumer = await receiving.consume(options);
    consumers.set(consumer.id, consumer);
    transportOfConsumer.set(consumer.id, receiving);
    return { id: consumer.id };
  },
);

// RTP packets that arrived for a consumer, from the receiving connection's inbound-rtp stats of its
// SSRC. Not decoded frames: a receiver conceals missing audio with frames of its own, every 10 ms,
// so frames would count even when nothing arrives.
rpc.handle('packetsReceived', async ({ consumerId }: { consumerId: string }) => {
  const consumer = consumers.get(consumerId);
  const receiving = transportOfConsumer.get(consumerId);
  if (!consumer || !receiving || receiving.closed) return { packets: 0 };
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  let packets = 0;
  for (const stat of (await receiving.getStats()).values()) {
    if (stat.type === 'inbound-rtp' && stat.ssrc === ssrc) packets = stat.packetsReceived ?? 0;
  }
  return { packets };
});

rpc.handle(
  'restartIce',
  async ({ transportId, iceParameters }: { transportId: string; iceParameters: never }) => {
    await transport(transportId).restartIce({ iceParameters });
    return {};
  },
);

rpc.handle('transportState', ({ transportId }: { transportId: string }) => ({
  connectionState: transport(transportId).connectionState,
}));

// Everything of the media path goes, the device stays loaded: what a client does to rebuild.
rpc.handle('reset', () => {
  for (const t of transports.values()) t.close();
  transports.clear();
  producers.clear();
  consumers.clear();
  transportOfConsumer.clear();
  return {};
});

rpc.handle('close', () => {
  for (const timer of timers) clearInterval(timer);
  for (const t of transports.values()) t.close();
  setTimeout(() => process.exit(0), 50);
  return {};
});

process.on('disconnect', () => process.exit(0));
rpc.call('ready').catch(() => process.exit(1));
