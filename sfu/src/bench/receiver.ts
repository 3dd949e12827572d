// The benchmark's receiver, in its own process: UDP sockets the SFU's consumers send to (a few
// shared ones, or a WebRTC end per viewer). It counts packets per consumer from the clear RTP
// header and checks one packet in SAMPLE_EVERY (SRTP authentication, then the send time
// inside), so counting stays cheaper than forwarding.
import { createSocket, type Socket } from 'node:dgram';
import {
  type ConsumerSpec,
  nowMs,
  type ReceiverCommand,
  type ReceiverReply,
  type StreamReport,
  timeOffset,
} from './load.js';
import { isRtcp, payloadOffset } from './rtp.js';
import { SrtpContext } from './srtp.js';
import { connectWebRtc } from './webRtcEnd.js';

const SAMPLE_EVERY = 16;
const MAX_SAMPLES = 200_000;
const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;
/** ICE consent checks (RFC 7675): mediasoup stops sending to an end silent for 30 s. */
const CONSENT_EVERY_MS = 5000;

interface Count {
  received: number;
  first: number;
  highest: number;
  cycles: number;
  last: number;
}

const sockets: Socket[] = [];
const ends = new Map<number, { socket: Socket; keepAlive: () => void }>();
const consumers = new Map<number, { spec: ConsumerSpec; srtp: SrtpContext }>();
let counts = new Map<number, Count>();
let delaysMs: number[] = [];
let authFailures = 0;

function onPacket(packet: Buffer): void {
  // RTP only: version 2, not RTCP (a WebRTC end's socket also sees STUN and DTLS).
  if (packet.length < 12 || (packet[0] ?? 0) >> 6 !== 2 || isRtcp(packet)) return;
  const ssrc = packet.readUInt32BE(8);
  const seq = packet.readUInt16BE(2);
  let count = counts.get(ssrc);
  if (!count) {
    count = { received: 0, first: seq, highest: seq, cycles: 0, last: seq };
    counts.set(ssrc, count);
  }
  if (seq < count.last && count.last - seq > 0x8000) count.cycles += 0x10000;
  count.last = seq;
  count.highest = Math.max(count.highest, count.cycles + seq);
  count.received++;
  if (count.received % SAMPLE_EVERY === 0 && delaysMs.length < MAX_SAMPLES) sample(ssrc, packet);
}

function sample(ssrc: number, packet: Buffer): void {
  const consumer = consumers.get(ssrc);
  if (!consumer) return;
  const offset = payloadOffset(packet);
  const clear = consumer.srtp.unprotect(packet, offset);
  if (!clear) {
    authFailures++;
    return;
  }
  delaysMs.push(nowMs() - clear.readDoubleBE(offset + timeOffset(consumer.spec.kind)));
}

async function receivingSocket(): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
  socket.on('message', onPacket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

async function open(n: number): Promise<number[]> {
  for (let i = 0; i < n; i++) sockets.push(await receivingSocket());
  return sockets.map((s) => s.address().port);
}

async function connect(command: Extract<ReceiverCommand, { type: 'connect' }>): Promise<ReceiverReply> {
  const socket = await receivingSocket();
  try {
    const { key, keepAlive } = await connectWebRtc(socket, command.server, command.certificate);
    ends.set(command.id, { socket, keepAlive });
    return { type: 'connected', key };
  } catch (err) {
    socket.close();
    return { type: 'failed', error: String(err) };
  }
}

setInterval(() => {
  for (const end of ends.values()) end.keepAlive();
}, CONSENT_EVERY_MS);

function report(): ReceiverReply {
  const streams: Record<number, StreamReport> = {};
  for (const [ssrc, c] of counts) {
    streams[ssrc] = { received: c.received, gaps: Math.max(0, c.highest - c.first + 1 - c.received) };
  }
  return { type: 'report', streams, delaysMs, authFailures };
}

const reply = (message: ReceiverReply) => process.send?.(message);

async function handle(command: ReceiverCommand): Promise<void> {
  switch (command.type) {
    case 'open':
      reply({ type: 'opened', ports: await open(command.sockets) });
      break;
    case 'connect':
      reply(await connect(command));
      break;
    case 'hangUp':
      ends.get(command.id)?.socket.close();
      ends.delete(command.id);
      reply({ type: 'ok' });
      break;
    case 'expect':
      for (const spec of command.consumers)
        consumers.set(spec.ssrc, { spec, srtp: new SrtpContext(spec.srtp) });
      reply({ type: 'ok' });
      break;
    case 'reset':
      counts = new Map();
      delaysMs = [];
      authFailures = 0;
      reply({ type: 'ok' });
      break;
    case 'report':
      reply(report());
      break;
  }
}

// One command at a time, so that replies come in the order of the commands.
let handled = Promise.resolve();
process.on('message', (command: ReceiverCommand) => {
  handled = handled.then(() => handle(command));
});
// The benchmark is gone (ended, or failed): so is the receiver, whatever it was doing.
process.on('disconnect', () => process.exit(0));
