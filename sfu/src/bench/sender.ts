// The benchmark's sender, in its own process: paces SRTP streams into the SFU's PlainTransports,
// each packet stamped with its send time, video as VP8 with a key frame every second and a
// sender report per stream every second (mediasoup needs those to switch simulcast streams).
import { createSocket } from 'node:dgram';
import {
  AUDIO_PT,
  nowMs,
  type SenderCommand,
  type SenderReply,
  type SourceSpec,
  type StreamSpec,
  VIDEO_PT,
} from './load.js';
import { rtpPacket, senderReport, vp8Payload } from './rtp.js';
import { SrtpContext } from './srtp.js';

const TICK_MS = 2;
const socket = createSocket('udp4');

interface Stream {
  spec: StreamSpec;
  ip: string;
  port: number;
  srtp: SrtpContext;
  seq: number;
  sent: number;
  pictureId: number;
  lastReportMs: number;
  lastKeyFrameMs: number;
}

const streams = new Map<number, Stream>();
let running: { startedMs: number; sentAtStart: Map<number, number>; timer: NodeJS.Timeout } | undefined;

function payloadOf(stream: Stream, now: number): Buffer {
  const body = Buffer.alloc(stream.spec.payloadBytes);
  if (stream.spec.kind === 'audio') {
    body.writeDoubleBE(now, 0);
    return body;
  }
  const keyFrame = now - stream.lastKeyFrameMs >= 1000;
  if (keyFrame) stream.lastKeyFrameMs = now;
  const descriptor = vp8Payload({ pictureId: stream.pictureId, start: true, keyFrame }, Buffer.alloc(0));
  stream.pictureId = (stream.pictureId + 1) & 0x7fff;
  const time = Buffer.alloc(8);
  time.writeDoubleBE(now, 0);
  return Buffer.concat([descriptor, time, body.subarray(descriptor.length + 8)]);
}

function clockRate(spec: StreamSpec): number {
  return spec.kind === 'audio' ? 48 : 90;
}

function sendPacket(stream: Stream, now: number): void {
  const { spec } = stream;
  const timestamp = Math.floor(now * clockRate(spec)) >>> 0;
  if (now - stream.lastReportMs >= 1000) {
    stream.lastReportMs = now;
    const report = senderReport({
      ssrc: spec.ssrc,
      wallClockMs: now,
      rtpTimestamp: timestamp,
      packetCount: stream.sent,
      octetCount: stream.sent * spec.payloadBytes,
    });
    socket.send(stream.srtp.protectRtcp(report), stream.port, stream.ip);
  }
  const packet = rtpPacket(
    {
      payloadType: spec.kind === 'audio' ? AUDIO_PT : VIDEO_PT,
      sequenceNumber: stream.seq,
      timestamp,
      ssrc: spec.ssrc,
      marker: true,
    },
    payloadOf(stream, now),
  );
  stream.seq = (stream.seq + 1) & 0xffff;
  stream.sent++;
  socket.send(stream.srtp.protect(packet), stream.port, stream.ip);
}

function start(sources: SourceSpec[]): void {
  for (const source of sources) {
    const srtp = new SrtpContext(source.srtp);
    for (const spec of source.streams) {
      if (!streams.has(spec.ssrc))
        streams.set(spec.ssrc, {
          spec,
          ip: source.ip ?? '127.0.0.1',
          port: source.port,
          srtp,
          seq: Math.floor(Math.random() * 0xffff),
          sent: 0,
          pictureId: 0,
          lastReportMs: 0,
          lastKeyFrameMs: 0,
        });
    }
  }
  const active = sources.flatMap((source) => source.streams.map((spec) => streams.get(spec.ssrc) as Stream));
  // A trial starts on a key frame, so that consumers added since the last one start at once.
  for (const stream of active) stream.lastKeyFrameMs = 0;
  const startedMs = nowMs();
  const sentAtStart = new Map(active.map((s) => [s.spec.ssrc, s.sent]));
  // Every tick sends what each stream owes since the start: steady rates whatever the timer's jitter.
  const timer = setInterval(() => {
    const now = nowMs();
    for (const stream of active) {
      const due = Math.floor(((now - startedMs) / 1000) * stream.spec.packetsPerSecond);
      while (stream.sent - (sentAtStart.get(stream.spec.ssrc) ?? 0) < due) sendPacket(stream, now);
    }
  }, TICK_MS);
  running = { startedMs, sentAtStart, timer };
}

function stop(): Record<number, number> {
  const sent: Record<number, number> = {};
  if (running) {
    clearInterval(running.timer);
    for (const [ssrc, before] of running.sentAtStart) sent[ssrc] = (streams.get(ssrc)?.sent ?? 0) - before;
    running = undefined;
  }
  return sent;
}

const reply = (message: SenderReply) => process.send?.(message);

process.on('message', (command: SenderCommand) => {
  if (command.type === 'start') {
    start(command.sources);
    reply({ type: 'started' });
  } else {
    reply({ type: 'stopped', sent: stop() });
  }
});
process.on('disconnect', () => {
  stop();
  socket.close();
});
