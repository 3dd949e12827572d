// The SFUs the benchmark compares, behind one small shape: bare mediasoup driven directly (on
// any worker binary), and our media node driven only through its MediaNode interface.
import { readFile } from 'node:fs/promises';
import * as mediasoup from 'mediasoup';
import type { Consumer, PlainTransport, WebRtcTransport } from 'mediasoup/types';
import { sessionMediaCodecs } from '../codecs.js';
import {
  createLocalMediaNode,
  type LocalMediaNode,
  type LocalMediaNodeOptions,
} from '../local/LocalMediaNode.js';
import type { MediaNode, RtpCapabilitiesData } from '../MediaNode.js';
import { NodePipeEnd, PipeLink } from '../pipes.js';
import { type ConsumerSpec, producerParameters, type SourceSpec, type StreamSpec } from './load.js';
import { randomSrtpKey, type SrtpKey } from './srtp.js';
import type { Address, IceCredentials } from './webRtcEnd.js';

export interface BenchSfu {
  /** A producer the sender feeds over SRTP. */
  ingest(owner: string, streams: StreamSpec[]): Promise<{ source: SourceSpec; producerId: string }>;
  /** A consumer on the viewer's own transport (made on first use), sending to a receiver port. */
  consume(viewer: string, producerId: string, port: number, spatialLayer?: number): Promise<ConsumerSpec>;
  dropViewer(viewer: string): Promise<void>;
  /** CPU time of the SFU's workers so far: the only cost that counts. */
  workerCpu(): Promise<CpuTime>;
  /**
   * RTP packets the consumers sent so far, by the worker's own count: the cost per packet does
   * not depend on whether starved receivers read them all.
   */
  sentPackets(): Promise<number>;
  close(): Promise<void>;
}

export interface CpuTime {
  userMs: number;
  /** In the kernel: for an SFU, mostly sending. */
  systemMs: number;
}

/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on Linux. */
const TICKS_PER_SECOND = 100;

/** A process's CPU time so far, from /proc/<pid>/stat (fields 14 and 15: utime, stime). */
export async function processCpu(pid: number): Promise<CpuTime> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (field: number) => Number(fields[field - 3]);
  return {
    userMs: (ticks(14) * 1000) / TICKS_PER_SECOND,
    systemMs: (ticks(15) * 1000) / TICKS_PER_SECOND,
  };
}

const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;
const VIEWER_HANDSHAKE_ATTEMPTS = 3;

/**
 * What our receivers can take: the router's codecs without bandwidth estimation. They send no
 * transport-cc or REMB feedback, and a consumer that expected some would starve its simulcast.
 */
export function receiverCapabilities(router: RtpCapabilitiesData): RtpCapabilitiesData {
  const estimation = /transport-wide-cc|abs-send-time/;
  return {
    ...router,
    codecs: router.codecs?.map((codec) => ({
      ...codec,
      rtcpFeedback: (codec.rtcpFeedback as { type: string }[] | undefined)?.filter(
        (f) => f.type !== 'transport-cc' && f.type !== 'goog-remb',
      ),
    })),
    headerExtensions: router.headerExtensions?.filter((h) => !estimation.test(String(h.uri))),
  };
}

/** Who makes a viewer's WebRTC end: ICE and DTLS with the SFU's transport, for its SRTP key. */
export interface WebRtcDialer {
  /** Of the certificate every end presents in DTLS (SHA-256). */
  readonly fingerprint: string;
  dial(server: Address & IceCredentials): Promise<WebRtcEnd>;
}

export interface WebRtcEnd {
  /** What the SFU's SRTP to this end is encrypted with. */
  key: SrtpKey;
  hangUp(): Promise<void>;
}

export interface BareOptions {
  /** The worker binary to run (default: mediasoup's own choice). */
  workerBin?: string;
  /**
   * Each viewer on a WebRtcTransport of the worker's WebRtcServer, as browsers are: one socket
   * for all, a destination, ICE, DTLS and SRTP session for each. Otherwise each viewer has a
   * PlainTransport and a socket of its own.
   */
  webRtc?: WebRtcDialer;
}

/** The baseline: what anyone would write against mediasoup in a few dozen lines. */
export async function bareMediasoup(options: BareOptions = {}): Promise<BenchSfu & { pid: number }> {
  const worker = await mediasoup.createWorker({
    logLevel: 'warn',
    rtcMinPort: 40000,
    rtcMaxPort: 49999,
    ...(options.workerBin ? { workerBin: options.workerBin } : {}),
  });
  const router = await worker.createRouter({ mediaCodecs: sessionMediaCodecs });
  const rtpCapabilities = receiverCapabilities(router.rtpCapabilities as RtpCapabilitiesData) as never;
  const transports = new Map<
    string,
    { transport: PlainTransport | WebRtcTransport; srtp: SrtpKey; hangUp?: () => Promise<void> }
  >();
  const consumers = new Map<string, Consumer>();
  const { webRtc } = options;
  const webRtcServer = webRtc && (await worker.createWebRtcServer({ listenInfos: [listenInfo] }));
  const viewerTransport = async (port: number) => {
    if (!webRtc || !webRtcServer) {
      const transport = await router.createPlainTransport({ listenInfo, rtcpMux: true, enableSrtp: true });
      await transport.connect({ ip: '127.0.0.1', port, srtpParameters: randomSrtpKey() as never });
      return { transport, srtp: transport.srtpParameters as SrtpKey };
    }
    // A handshake can starve while the machine is saturated (the trial before it): as a browser
    // would, the viewer tries again, on a fresh transport, before the benchmark gives up.
    for (let attempt = 1; ; attempt++) {
      const transport = await router.createWebRtcTransport({ webRtcServer });
      try {
        await transport.connect({
          dtlsParameters: {
            role: 'client',
            fingerprints: [{ algorithm: 'sha-256', value: webRtc.fingerprint }],
          },
        });
        const [candidate] = transport.iceCandidates;
        if (!candidate) throw new Error('the WebRtcServer offers no candidate');
        const server = { ip: candidate.address, port: candidate.port, ...transport.iceParameters };
        const end = await webRtc.dial(server);
        return { transport, srtp: end.key, hangUp: end.hangUp };
      } catch (err) {
        transport.close();
        if (attempt >= VIEWER_HANDSHAKE_ATTEMPTS) throw err;
        console.log(`  (a viewer's handshake failed, trying again: ${String(err).split('\n')[0]})`);
      }
    }
  };
  return {
    pid: worker.pid,
    async ingest(_owner, streams) {
      const transport = await router.createPlainTransport({
        listenInfo,
        rtcpMux: true,
        comedia: true,
        enableSrtp: true,
      });
      const srtp = randomSrtpKey();
      await transport.connect({ srtpParameters: srtp as never });
      const producer = await transport.produce(producerParameters(streams) as never);
      return { source: { port: transport.tuple.localPort, srtp, streams }, producerId: producer.id };
    },
    async consume(viewer, producerId, port, spatialLayer) {
      let end = transports.get(viewer);
      if (!end) {
        end = await viewerTransport(port);
        transports.set(viewer, end);
      }
      const consumer = await end.transport.consume({
        producerId,
        rtpCapabilities,
        ...(spatialLayer === undefined ? {} : { preferredLayers: { spatialLayer } }),
      });
      consumers.set(viewer, consumer);
      return {
        ssrc: consumer.rtpParameters.encodings?.[0]?.ssrc ?? 0,
        kind: consumer.kind,
        srtp: end.srtp,
      };
    },
    async dropViewer(viewer) {
      const end = transports.get(viewer);
      consumers.delete(viewer);
      transports.delete(viewer);
      end?.transport.close();
      await end?.hangUp?.();
    },
    workerCpu: () => processCpu(worker.pid),
    async sentPackets() {
      const stats = await Promise.all([...consumers.values()].map((c) => c.getStats()));
      return stats.flat().reduce((sum, s) => sum + (s.type === 'outbound-rtp' ? s.packetCount : 0), 0);
    },
    async close() {
      worker.close();
    },
  };
}

/** Our media node in this process, one session, every participant a peer of it. */
export async function ourMediaNode(
  options: LocalMediaNodeOptions,
): Promise<BenchSfu & { node: LocalMediaNode; session: string }> {
  const node = await createLocalMediaNode({ logLevel: 'warn', ...options });
  const session = 'bench';
  const sfu = await mediaNodesSfu([{ id: 'local', node }], session);
  return { ...sfu, node, session };
}

/**
 * Media nodes driven only through the MediaNode interface (in this process, or node processes
 * behind their control channel), one session: producers on the first node; with more, viewers
 * take turns among the nodes, and a producer is piped to each node once, as the cluster does.
 */
export async function mediaNodesSfu(
  nodes: { id: string; node: MediaNode }[],
  session: string,
): Promise<BenchSfu> {
  const [home] = nodes;
  if (!home) throw new Error('no media node');
  await Promise.all(nodes.map(({ node }) => node.openSession(session)));
  const capabilities = receiverCapabilities(await home.node.routerRtpCapabilities(session));
  const viewers = new Map<string, { at: MediaNode; id: string; srtp: ConsumerSpec['srtp'] }>();
  const consumerIds = new Map<string, string[]>();
  const links = new Map<string, PipeLink>();
  const peer = (peerId: string) => ({ sessionId: session, peerId });
  const piped = async (producerId: string, to: { id: string; node: MediaNode }) => {
    if (to === home) return;
    let link = links.get(to.id);
    if (!link) {
      link = new PipeLink(
        new NodePipeEnd(home.node, session, to.id),
        new NodePipeEnd(to.node, session, home.id),
      );
      links.set(to.id, link);
    }
    await link.carry(producerId);
  };
  return {
    async ingest(owner, streams) {
      const node = home.node;
      const transport = await node.createPlainTransport(peer(owner), { direction: 'send', srtp: true });
      const srtp = randomSrtpKey();
      await node.connectPlainTransport(peer(owner), transport.id, { srtpParameters: srtp });
      const { producerId } = await node.produce(peer(owner), transport.id, producerParameters(streams));
      return { source: { ip: transport.ip, port: transport.port, srtp, streams }, producerId };
    },
    async consume(viewer, producerId, port, spatialLayer) {
      let transport = viewers.get(viewer);
      if (!transport) {
        const at = nodes[viewers.size % nodes.length] ?? home;
        const created = await at.node.createPlainTransport(peer(viewer), { direction: 'recv', srtp: true });
        await at.node.connectPlainTransport(peer(viewer), created.id, {
          ip: '127.0.0.1',
          port,
          srtpParameters: randomSrtpKey(),
        });
        transport = { at: at.node, id: created.id, srtp: created.srtpParameters as ConsumerSpec['srtp'] };
        viewers.set(viewer, transport);
        await piped(producerId, at);
      }
      const { at } = transport;
      const consumer = await at.consume(peer(viewer), transport.id, producerId, capabilities);
      consumerIds.set(viewer, [...(consumerIds.get(viewer) ?? []), consumer.id]);
      if (spatialLayer !== undefined)
        await at.setPreferredLayers(peer(viewer), consumer.id, { spatialLayer });
      await at.resumeConsumer(peer(viewer), consumer.id);
      const encodings = consumer.rtpParameters.encodings as { ssrc?: number }[] | undefined;
      return { ssrc: encodings?.[0]?.ssrc ?? 0, kind: consumer.kind, srtp: transport.srtp };
    },
    async dropViewer(viewer) {
      await viewers.get(viewer)?.at.closePeer(peer(viewer));
      viewers.delete(viewer);
      consumerIds.delete(viewer);
    },
    async workerCpu() {
      const usage = (await Promise.all(nodes.map(({ node }) => node.workerUsage()))).flat();
      const times = await Promise.all(usage.map((w) => processCpu(w.pid)));
      return {
        userMs: times.reduce((sum, t) => sum + t.userMs, 0),
        systemMs: times.reduce((sum, t) => sum + t.systemMs, 0),
      };
    },
    async sentPackets() {
      const ids = [...consumerIds].flatMap(([viewer, list]) => list.map((id) => [viewer, id] as const));
      const stats = await Promise.all(
        ids.map(([viewer, id]) => viewers.get(viewer)?.at.consumerStats(peer(viewer), id)),
      );
      return stats.reduce((sum, s) => sum + (s?.stream?.packetCount ?? 0), 0);
    },
    async close() {
      for (const link of links.values()) await link.close();
      await Promise.all(nodes.map(({ node }) => node.closeSession(session)));
      if (nodes.length === 1 && home.id === 'local') await home.node.close();
    },
  };
}
