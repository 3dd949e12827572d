// The benchmark's receiver, in its own process: UDP sockets the SFU's consumers send to. It
// counts packets per consumer from the clear RTP header and checks one packet in SAMPLE_EVERY
// (SRTP authentication, then the send time inside), so counting stays cheaper than forwarding.
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

const SAMPLE_EVERY = 16;
const MAX_SAMPLES = 200_000;

interface Count {
  received: number;
  first: number;
  highest: number;
  cycles: number;
  last: number;
}

const sockets: Socket[] = [];
const consumers = new Map<number, { spec: ConsumerSpec; srtp: SrtpContext }>();
let counts = new Map<number, Count>();
let delaysMs: number[] = [];
let authFailures = 0;

function onPacket(packet: Buffer): void {
  if (packet.length < 12 || isRtcp(packet)) return;
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

async function open(n: number): Promise<number[]> {
  for (let i = 0; i < n; i++) {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
    socket.on('message', onPacket);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
  }
  return sockets.map((s) => s.address().port);
}

function report(): ReceiverReply {
  const streams: Record<number, StreamReport> = {};
  for (const [ssrc, c] of counts) {
    streams[ssrc] = { received: c.received, gaps: Math.max(0, c.highest - c.first + 1 - c.received) };
  }
  return { type: 'report', streams, delaysMs, authFailures };
}

const reply = (message: ReceiverReply) => process.send?.(message);

process.on('message', async (command: ReceiverCommand) => {
  switch (command.type) {
    case 'open':
      reply({ type: 'opened', ports: await open(command.sockets) });
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
});
process.on('disconnect', () => {
  for (const socket of sockets) socket.close();
});
