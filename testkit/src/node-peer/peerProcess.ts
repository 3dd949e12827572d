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
const framesByConsumer = new Map<string, number>();
const timers: NodeJS.Timeout[] = [];
const sinks: { stop(): void }[] = [];

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

// 10 ms frames of a 440 Hz tone, as a microphone would deliver them.
function toneTrack() {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const sampleRate = 48000;
  const samples = new Int16Array(sampleRate / 100);
  let phase = 0;
  timers.push(
    setInterval(() => {
      for (let i = 0; i < samples.length; i++) {
        samples[i] = Math.round(8000 * Math.sin(phase));
        phase += (2 * Math.PI * 440) / sampleRate;
      }
      source.onData({
        samples,
        sampleRate,
        bitsPerSample: 16,
        channelCount: 1,
        numberOfFrames: samples.length,
      });
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

rpc.handle('produceAudio', async ({ transportId }: { transportId: string }) => {
  const producer = await transport(transportId).produce({ track: toneTrack() });
  producers.set(producer.id, producer);
  return { id: producer.id };
});

rpc.handle('produceVideo', async ({ transportId }: { transportId: string }) => {
  const producer = await transport(transportId).produce({ track: slideTrack(640, 360) });
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
    const consumer = await transport(transportId).consume(options);
    consumers.set(consumer.id, consumer);
    framesByConsumer.set(consumer.id, 0);
    if (consumer.kind === 'audio') {
      const sink = new wrtc.nonstandard.RTCAudioSink(consumer.track);
      sink.ondata = () => framesByConsumer.set(consumer.id, (framesByConsumer.get(consumer.id) ?? 0) + 1);
      sinks.push(sink);
    }
    return { id: consumer.id };
  },
);

rpc.handle('audioFramesReceived', ({ consumerId }: { consumerId: string }) => ({
  frames: framesByConsumer.get(consumerId) ?? 0,
}));

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
  framesByConsumer.clear();
  return {};
});

rpc.handle('close', () => {
  for (const timer of timers) clearInterval(timer);
  for (const sink of sinks) sink.stop();
  for (const t of transports.values()) t.close();
  setTimeout(() => process.exit(0), 50);
  return {};
});

process.on('disconnect', () => process.exit(0));
rpc.call('ready').catch(() => process.exit(1));
