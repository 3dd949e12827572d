// npm run bench:cluster — the media cluster on one machine (Redis, signaling instances and media
// node processes on loopback addresses of their own), measured as users would meet it: whether a
// participant hears one on another instance, how long media is gone after kill -9 of a node or of
// an instance, the delay a pipe between nodes adds, and what a second node adds to capacity.
// Writes bench/results/cluster.json.
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { demoSummit } from '@summit-bridge/server';
import { NodePipeEnd, PipeLink, RemoteMediaNode } from '@summit-bridge/sfu';
import {
  ConsumerSearch,
  CpuBudget,
  Load,
  mediaNodesSfu,
  percentile,
  round,
  rtpPacket,
  rtpPayload,
} from '@summit-bridge/sfu/bench';
import type { AppProcess } from '@summit-bridge/testkit/app-process';
import { ClusterParticipant } from '@summit-bridge/testkit/cluster-participant';
import { ClusterRig, rigSecrets } from '@summit-bridge/testkit/cluster-rig';
import { pino } from 'pino';

const KILLS = Number(process.env.BENCH_KILLS ?? 3);
// Each media node's worker gets this share of a core, as a host of its own would: on a 2-core
// machine the load generator needs the rest, and a second node could not show what it adds.
const NODE_CPU_PCT = Number(process.env.BENCH_NODE_CPU_PCT ?? 40);
const PIPE_PACKETS = 2_000;
const sessionId = 'som';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = pino({ level: 'warn' });

let nextNode = 1;
const loopback = () => `127.0.0.${((nextNode - 1) % 8) + 1}`;
async function addNode(rig: ClusterRig): Promise<string> {
  const ip = loopback();
  const id = `n${nextNode++}`;
  await rig.startNode({ id, ip });
  return id;
}

async function join(rig: ClusterRig, app: AppProcess, role: string, delegation: string) {
  const token = await rig.invite(app, { name: delegation, role, delegation, sessions: [sessionId] });
  return ClusterParticipant.join(delegation, app.url, token, sessionId);
}

/** Polls until the check holds; the time it took. */
async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

/** Both hear each other: packets keep arriving on each side over a short window (10 expected). */
async function mutual(a: ClusterParticipant, b: ClusterParticipant): Promise<boolean> {
  const heard = async (who: ClusterParticipant, from: ClusterParticipant) => {
    const before = await who.packets(from.mic ?? '');
    await sleep(200);
    return (await who.packets(from.mic ?? '')) > before + 4;
  };
  const [x, y] = await Promise.all([heard(a, b), heard(b, a)]);
  return x && y;
}

/** What a browser does after media:reconnect: the whole media path again, the other's microphone. */
async function rebuildPair(a: ClusterParticipant, b: ClusterParticipant): Promise<void> {
  await Promise.all([a.rebuild(() => []), b.rebuild(() => [])]);
  await Promise.all([a.listen(b.mic ?? ''), b.listen(a.mic ?? '')]);
}

async function nodeFailover(
  rig: ClusterRig,
  a: ClusterParticipant,
  b: ClusterParticipant,
): Promise<number[]> {
  const times: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const home = (await rig.home('asean-2020', sessionId)) ?? '';
    const reconnectsBefore = a.client.pushes('media:reconnect').length;
    const started = performance.now();
    rig.nodes.get(home)?.signal('SIGKILL');
    rig.nodes.delete(home);
    await until(async () => a.client.pushes('media:reconnect').length > reconnectsBefore);
    await rebuildPair(a, b);
    await until(() => mutual(a, b));
    times.push(Math.round(performance.now() - started));
    console.log(`  kill -9 of media node ${home}: media again after ${times.at(-1)} ms`);
    await addNode(rig);
  }
  return times;
}

async function signalingFailover(
  rig: ClusterRig,
  survivor: AppProcess,
  a: ClusterParticipant,
  b: ClusterParticipant,
): Promise<number[]> {
  const times: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const victim = await rig.startInstance();
    // B moves to the victim as a browser behind a balancer may; its media is rebuilt there.
    b.client.close();
    await b.connect(victim.url);
    await b.rebuild(() => [a.mic ?? '']);
    await a.listen(b.mic ?? '');
    await until(() => mutual(a, b));
    const started = performance.now();
    await victim.kill();
    // Its socket is gone: B reconnects, through the balancer, to an instance that lives.
    await b.connect(survivor.url);
    await b.rebuild(() => [a.mic ?? '']);
    await a.listen(b.mic ?? '');
    await until(() => mutual(a, b));
    times.push(Math.round(performance.now() - started));
    console.log(`  kill -9 of a signaling instance: media again after ${times.at(-1)} ms`);
  }
  return times;
}

async function remoteNode(rig: ClusterRig, id: string): Promise<RemoteMediaNode> {
  const record = await rig.nodeRecord(id);
  if (!record) throw new Error(`no record for ${id}`);
  const node = new RemoteMediaNode({
    nodeId: id,
    controlUrl: record.controlUrl,
    secret: rigSecrets.nodeSecret,
    instanceId: 'cluster-bench',
    log,
  });
  await node.ready();
  return node;
}

/**
 * Consumers of one video stream below 0.5 % loss on one single-worker node, and on two, viewers
 * taking turns between them and the stream piped to the second: what a node adds to a session.
 * Each node's worker is confined to NODE_CPU_PCT of a core (its "host"), where the machine allows.
 */
async function capacity(rig: ClusterRig, from: string, to: string) {
  const [a, b] = await Promise.all([remoteNode(rig, from), remoteNode(rig, to)]);
  const budgets = await Promise.all(
    [a, b].map(async (node, i) =>
      CpuBudget.apply(
        `node${i + 1}`,
        (await node.workerUsage()).map((w) => w.pid),
        NODE_CPU_PCT,
      ),
    ),
  );
  const refused = budgets.find((budget): budget is string => typeof budget === 'string');
  const perNodePct = refused ? 100 : NODE_CPU_PCT;
  console.log(
    refused
      ? `  no CPU budget (${refused}): the nodes share the machine's cores with the load`
      : `  each node's worker confined to ${NODE_CPU_PCT} % of a core`,
  );
  const load = new Load();
  await load.open();
  const one = await mediaNodesSfu([{ id: from, node: a }], 'bench/one-node');
  const two = await mediaNodesSfu(
    [
      { id: from, node: a },
      { id: to, node: b },
    ],
    'bench/two-nodes',
  );
  // Loss with the workers below 90 % of what they may use: the machine was busy, try again.
  const searches = [
    await ConsumerSearch.start('1 node', one, load, 0x0e0e0001, 0.9 * perNodePct),
    await ConsumerSearch.start('2 nodes', two, load, 0x0e0e0002, 0.9 * 2 * perNodePct),
  ];
  try {
    for (let turn = 0; searches.some((s) => !s.done); turn++)
      for (const search of turn % 2 ? [...searches].reverse() : searches)
        if (!search.done) await search.step();
  } finally {
    for (const budget of budgets) if (typeof budget !== 'string') budget.release();
  }
  const [oneNode, twoNodes] = searches.map((s) => s.summary().maxConsumers) as [number, number];
  load.close();
  await Promise.all([one.close(), two.close()]);
  await Promise.all([a.close(), b.close()]);
  return {
    nodeCpuBudgetPct: refused ? null : NODE_CPU_PCT,
    oneNode,
    twoNodes,
    ratio: oneNode ? round(twoNodes / oneNode, 3) : 0,
  };
}

/**
 * The same RTP, one copy consumed on the node it is produced on, the other on a second node
 * through a pipe: the per-packet difference in arrival is what the pipe adds.
 */
async function pipeLatency(rig: ClusterRig, from: string, to: string) {
  const [a, b] = await Promise.all([remoteNode(rig, from), remoteNode(rig, to)]);
  const session = 'bench/pipe';
  await Promise.all([a.openSession(session), b.openSession(session)]);
  const sender = { sessionId: session, peerId: 'sender' };
  const ingest = await a.createPlainTransport(sender, { direction: 'send' });
  const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
  const ssrc = 0x77000001;
  const { producerId } = await a.produce(sender, ingest.id, {
    kind: 'audio',
    rtpParameters: { codecs: [opus], encodings: [{ ssrc }] },
  });
  const arrivals = new Map<string, Map<number, number>>();
  const sockets: Socket[] = [];
  const listener = async (name: string) => {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const seen = new Map<number, number>();
    arrivals.set(name, seen);
    socket.on('message', (packet) => {
      if (packet.length > 12 && (packet[1] ?? 0) < 192)
        seen.set(rtpPayload(packet).readUInt32BE(0), performance.now());
    });
    sockets.push(socket);
    return socket.address().port;
  };
  const consumeOn = async (node: RemoteMediaNode, name: string) => {
    const peer = { sessionId: session, peerId: name };
    const out = await node.createPlainTransport(peer, { direction: 'recv' });
    await node.connectPlainTransport(peer, out.id, { ip: '127.0.0.1', port: await listener(name) });
    const consumer = await node.consume(peer, out.id, producerId, await node.routerRtpCapabilities(session));
    await node.resumeConsumer(peer, consumer.id);
  };
  await consumeOn(a, 'direct');
  await new PipeLink(new NodePipeEnd(a, session, to), new NodePipeEnd(b, session, from)).carry(producerId);
  await consumeOn(b, 'piped');
  const out = createSocket('udp4');
  await new Promise<void>((r) => out.bind(0, '127.0.0.1', r));
  for (let seq = 0; seq < PIPE_PACKETS; seq++) {
    const payload = Buffer.alloc(160);
    payload.writeUInt32BE(seq, 0);
    const packet = rtpPacket({ payloadType: 100, sequenceNumber: seq, timestamp: seq * 960, ssrc }, payload);
    out.send(packet, ingest.port, ingest.ip);
    await sleep(seq % 10 === 9 ? 20 : 0);
  }
  await sleep(500);
  const direct = arrivals.get('direct') ?? new Map();
  const piped = arrivals.get('piped') ?? new Map();
  const extra: number[] = [];
  for (const [seq, at] of piped) {
    const first = direct.get(seq);
    if (first !== undefined) extra.push(at - first);
  }
  out.close();
  for (const s of sockets) s.close();
  await Promise.all([a.closeSession(session), b.closeSession(session)]);
  await Promise.all([a.close(), b.close()]);
  return {
    packets: PIPE_PACKETS,
    pairedArrivals: extra.length,
    p50: round(percentile(extra, 50), 3),
    p99: round(percentile(extra, 99), 3),
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((l) => round(l));
  console.log(`Cluster benchmark: ${KILLS} kills each, load average ${loadBefore.join(' ')}`);
  const rig = await ClusterRig.start({ prefix: 'bench:' });
  try {
    await addNode(rig);
    await addNode(rig);
    const [one, two] = await Promise.all([rig.startInstance(), rig.startInstance()]);
    if (!one || !two) throw new Error('instances did not start');
    await rig.admin(one, 'POST', '/summits', demoSummit());
    const chair = await join(rig, one, 'chair', 'VNM');
    await chair.client.request('session:setStatus', { status: 'open' });
    await chair.client.request('floor:setMicPolicy', { policy: 'open' });

    console.log('\nCross-instance audio:');
    const a = await join(rig, one, 'head_of_delegation', 'IDN');
    const b = await join(rig, two, 'head_of_delegation', 'SGP');
    await a.publish();
    await b.publish();
    await a.listen(b.mic ?? '');
    await b.listen(a.mic ?? '');
    const crossInstanceAudio = await until(() => mutual(a, b), 15_000).then(
      () => true,
      () => false,
    );
    console.log(`  B on instance two hears A on instance one: ${crossInstanceAudio}`);

    console.log('\nMedia node failover (kill -9 of the session’s home):');
    const nodeTimes = await nodeFailover(rig, a, b);
    console.log('\nSignaling instance failover (kill -9 of the instance B is on):');
    const signalingTimes = await signalingFailover(rig, one, a, b);

    console.log('\nDelay a pipe between two nodes adds:');
    const ids = [...rig.nodes.keys()];
    const pipe = await pipeLatency(rig, ids[0] ?? '', ids[1] ?? '');
    console.log(`  p50 ${pipe.p50} ms, p99 ${pipe.p99} ms over ${pipe.pairedArrivals} packets`);

    console.log('\nConsumers of one stream at < 0.5 % loss, one single-worker node and two:');
    const cap = await capacity(rig, ids[0] ?? '', ids[1] ?? '');
    console.log(`  one node ${cap.oneNode}, two nodes ${cap.twoNodes}: ratio ${cap.ratio} (goal >= 1.7)`);

    await Promise.all([a.close(), b.close(), chair.close()]);
    const result = {
      date: new Date().toISOString(),
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? 'unknown',
        loadBefore,
        loadAfter: loadavg().map((l) => round(l)),
      },
      crossInstanceAudio,
      nodeFailoverMs: { p50: percentile(nodeTimes, 50), max: Math.max(...nodeTimes), runs: nodeTimes },
      signalingFailoverMs: {
        p50: percentile(signalingTimes, 50),
        max: Math.max(...signalingTimes),
        runs: signalingTimes,
      },
      pipeAddedLatencyMs: pipe,
      capacityRatio: cap.ratio,
      capacity: cap,
    };
    const dir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}cluster.json`, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\n${JSON.stringify(result, null, 2)}\nwritten: bench/results/cluster.json`);
  } finally {
    await rig.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
