// Runs in a network namespace of its own (unshare --net, as root), for sendBatch.integration.test.ts.
// Its loopback gets a traffic shaper: datagrams wait in the queue charged to the sending socket,
// so a worker socket with a small send buffer fills and the kernel answers EAGAIN, which plain
// loopback never does. One producer, thousands of consumers over a few transports (a socket
// each); prints what the receivers saw and the namespace's own UDP counters, as JSON.
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import * as mediasoup from 'mediasoup';
import { opusCodec } from '../src/bench/load.js';
import { isRtcp, readSequenceNumber, readSsrc } from '../src/bench/rtp.js';
import { audioPacket, opusParameters } from './support.js';

const TRANSPORTS = 4;
const CONSUMERS_PER_TRANSPORT = 500;
const PACKETS = 12;
const PACKET_INTERVAL_MS = 120;
const QUIET_MS = 2000;
const listenIp = '127.0.0.1';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The namespace's UDP counters: SndbufErrors counts sends refused for a full send buffer. */
function udpCounters(): Record<string, number> {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const [names = [], values = []] = lines.map((l) => l.split(/\s+/).slice(1));
  return Object.fromEntries(names.map((name, i) => [name, Number(values[i])]));
}

execFileSync('ip', ['link', 'set', 'lo', 'up']);
// 200 Mbit/s with a 16 kB bucket: one fan-out (2,000 datagrams, 2.4 MB) takes ~100 ms to leave.
// The queue's limit (4 MB) is above what the sockets may hold, so the shaper itself drops nothing.
execFileSync('tc', [
  'qdisc',
  'add',
  'dev',
  'lo',
  'root',
  'tbf',
  'rate',
  '200mbit',
  'burst',
  '16kb',
  'limit',
  '4mb',
]);

const worker = await mediasoup.createWorker({ logLevel: 'warn' });
const router = await worker.createRouter({ mediaCodecs: [{ ...opusCodec, kind: 'audio' }] as never });
const ingest = await router.createPlainTransport({
  listenInfo: { protocol: 'udp', ip: listenIp },
  comedia: true,
});
const producer = await ingest.produce({ kind: 'audio', rtpParameters: opusParameters(0x0ea9) as never });

interface Stream {
  received: number;
  last: number;
  reordered: number;
}
const streams = new Map<number, Stream>();
let lastArrival = Date.now();
const sockets: Socket[] = [];
for (let t = 0; t < TRANSPORTS; t++) {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  socket.on('message', (packet) => {
    if (isRtcp(packet)) return;
    lastArrival = Date.now();
    const ssrc = readSsrc(packet);
    const seq = readSequenceNumber(packet);
    const stream = streams.get(ssrc) ?? { received: 0, last: -1, reordered: 0 };
    if (seq <= stream.last) stream.reordered++;
    stream.last = Math.max(stream.last, seq);
    stream.received++;
    streams.set(ssrc, stream);
  });
  await new Promise<void>((resolve) => socket.bind(0, listenIp, resolve));
  sockets.push(socket);
  // A send buffer of 8 kB (the kernel doubles it): a handful of datagrams, far below one fan-out.
  const egress = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: listenIp, sendBufferSize: 8192 },
  });
  await egress.connect({ ip: listenIp, port: socket.address().port });
  for (let c = 0; c < CONSUMERS_PER_TRANSPORT; c++)
    await egress.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
}

const before = udpCounters();
const sender = createSocket('udp4');
for (let seq = 0; seq < PACKETS; seq++) {
  sender.send(audioPacket(0x0ea9, seq, Buffer.alloc(1100, seq)), ingest.tuple.localPort, listenIp);
  await sleep(PACKET_INTERVAL_MS);
}
while (Date.now() - lastArrival < QUIET_MS) await sleep(100);
const after = udpCounters();
const qdisc = execFileSync('tc', ['-s', 'qdisc', 'show', 'dev', 'lo'], { encoding: 'utf8' });

const all = [...streams.values()];
console.log(
  JSON.stringify({
    consumers: TRANSPORTS * CONSUMERS_PER_TRANSPORT,
    packets: PACKETS,
    streams: all.length,
    received: all.reduce((sum, s) => sum + s.received, 0),
    reordered: all.reduce((sum, s) => sum + s.reordered, 0),
    sendBufferFull: (after.SndbufErrors ?? 0) - (before.SndbufErrors ?? 0),
    kernelDrops: (after.RcvbufErrors ?? 0) - (before.RcvbufErrors ?? 0),
    shaperDrops: Number(/dropped (\d+)/.exec(qdisc)?.[1] ?? -1),
  }),
);
sender.close();
for (const socket of sockets) socket.close();
worker.close();
