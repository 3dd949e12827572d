// Where a recorded stream enters the recorder: a UDP socket the node's PlainTransport sends to.
// Packets are put back in order; a missing one is asked for again with NACKs (the node keeps what
// it sent) and waited for a moment before it counts as lost; then they go on, in order, to the
// recorder process (FFmpeg). The node's sender reports tie the first packet of each segment to the
// wall clock, so tracks recorded apart line up by their RTP clocks, not by when packets arrived.
import dgram from 'node:dgram';
import {
  genericNack,
  isRtcp,
  type SenderReport,
  senderReports,
  startsKeyFrame,
  wallClockOf,
} from './rtcp.js';

export interface RtpIngressOptions {
  /** The address to receive on: the node's own (where its PlainTransport sends). */
  ip: string;
  clockRate: number;
  /** Whether the node answers NACKs for this stream (it keeps what it sent). */
  nack: boolean;
  /**
   * A video's codec: each segment then begins at a key frame. The recorder's file starts at its
   * first decodable frame, so the segment's first packet must be that frame for its time to match.
   */
  keyFrames?: 'vp8' | 'vp9' | undefined;
  /** How long a missing packet is waited for, NACKs going out meanwhile, before it counts as lost. */
  holdMs: number;
  /**
   * Fault injection: this share of first transmissions is dropped on arrival, evenly (one in
   * round(1 / dropRate)), so that a test sees the same loss every run. 0 in production.
   */
  dropRate?: number;
}

export interface IngressCounts {
  /** Delivered in order to the recorder. */
  packets: number;
  /** Arrived after a NACK asked for them again. */
  repaired: number;
  /** Never arrived in time: a hole in the file. */
  lost: number;
}

const NACK_INTERVAL_MS = 30;
const MAX_NACKS = 6;
/** Past this many missing packets at once, the stream restarted: nothing to repair. */
const MAX_GAP = 1_000;
const OUR_SSRC = 0x5ec0de01;

interface Missing {
  since: number;
  nacks: number;
  lastNackAt: number;
}

export class RtpIngress {
  private readonly socket: dgram.Socket;
  private readonly buffer = new Map<number, Buffer>();
  private readonly missing = new Map<number, Missing>();
  private readonly timer: NodeJS.Timeout;
  private source: { address: string; port: number } | null = null;
  private ssrc: number | null = null;
  private nextOut: number | null = null;
  private highest = -1;
  private report: SenderReport | null = null;
  /** The recorder's socket: connected, so a send needs no address (the cost of a send, halved). */
  private out: dgram.Socket | null = null;
  /** The current segment's first packet delivered: its RTP timestamp and arrival. */
  private first: { rtpTimestamp: number; arrivedAt: number; report?: SenderReport } | null = null;
  /** The last packet delivered, and (video) the packets of the last key frame. */
  private last: Buffer | null = null;
  private keyFrame: Buffer[] = [];
  private counts: IngressCounts = { packets: 0, repaired: 0, lost: 0 };
  private arrivals = 0;
  private closed = false;
  /** While no recorder runs: what arrives is kept for the next one, which the first packet calls. */
  private holding: { packets: Buffer[]; onFirst: () => void } | null = null;

  private constructor(
    private readonly options: RtpIngressOptions,
    socket: dgram.Socket,
  ) {
    this.socket = socket;
    socket.on('message', (packet, from) => this.receive(packet, from));
    this.timer = setInterval(() => this.tick(), NACK_INTERVAL_MS);
    this.timer.unref();
  }

  static async open(options: RtpIngressOptions): Promise<RtpIngress> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, options.ip, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // A long stall of the recorder must not cost packets in the kernel.
    socket.setRecvBufferSize(4 * 1024 * 1024);
    return new RtpIngress(options, socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Packets go to this local port from now on (a new recorder process): a new segment begins. */
  async deliverTo(port: number): Promise<void> {
    this.stopDelivering();
    const out = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.connect(port, '127.0.0.1', () => {
        out.off('error', reject);
        resolve();
      });
    });
    out.on('error', () => undefined); // a recorder gone meanwhile: its segment ends anyway
    this.out = out;
    const held = this.holding?.packets ?? [];
    this.holding = null;
    for (const packet of held) this.deliver(packet, Date.now());
  }

  /** Keeps what arrives until the next recorder is there; `onFirst` once something does. */
  hold(onFirst: () => void): void {
    this.holding = { packets: [], onFirst };
  }

  /** Nothing goes to the recorder any more; the next segment starts afresh. */
  stopDelivering(): void {
    this.out?.close();
    this.out = null;
    this.first = null;
    this.counts = { packets: 0, repaired: 0, lost: 0 };
  }

  /** What the current segment has had so far. */
  segmentCounts(): IngressCounts {
    return { ...this.counts };
  }

  /**
   * The wall-clock time of the current segment's first sample: by the sender reports when one has
   * come (any report maps the whole RTP clock), by arrival otherwise; null before any packet.
   */
  segmentStart(): number | null {
    if (!this.first) return null;
    const report = this.first.report ?? this.report;
    return report
      ? Math.round(wallClockOf(this.first.rtpTimestamp, report, this.options.clockRate))
      : this.first.arrivedAt;
  }

  /**
   * One more packet for the recorder, made here: FFmpeg reads its `q` only between packets, and a
   * paused stream sends none. Audio gets 20 ms of Opus silence after the last packet; video the
   * last key frame again (a picture it already showed, and one that decodes on its own).
   */
  nudge(): void {
    if (!this.out || !this.last) return;
    const last = this.last;
    const seq = last.readUInt16BE(2);
    const ts = last.readUInt32BE(4);
    const step = this.options.keyFrames ? 3_000 : 960;
    const again = (packet: Buffer, i: number) => {
      const copy = Buffer.from(packet);
      copy.writeUInt16BE((seq + 1 + i) & 0xffff, 2);
      copy.writeUInt32BE((ts + step) >>> 0, 4);
      return copy;
    };
    const silence = Buffer.concat([last.subarray(0, 12), Buffer.from([0xf8, 0xff, 0xfe])]);
    silence[0] = 0x80; // no CSRC, no extension in what is made here
    const packets = this.options.keyFrames ? this.keyFrame.map(again) : [again(silence, 0)];
    for (const packet of packets) this.out.send(packet);
  }

  /** Idempotent: a recorder that failed to start and the close of its transport both call it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.holding = null;
    this.stopDelivering();
    this.socket.close();
  }

  private receive(packet: Buffer, from: dgram.RemoteInfo): void {
    this.source ??= { address: from.address, port: from.port };
    if (isRtcp(packet)) {
      for (const report of senderReports(packet))
        if (report.ssrc === this.ssrc || this.ssrc === null) {
          this.report = report;
          // The report nearest the segment's first packet maps it best: a sender's clock may run
          // a little slow or fast of the wall's, and that error grows with the distance.
          if (this.first && !this.first.report) this.first.report = report;
        }
      return;
    }
    if (packet.length < 12 || (packet[0] ?? 0) >> 6 !== 2) return;
    this.ssrc ??= packet.readUInt32BE(8);
    const seq = this.extend(packet.readUInt16BE(2));
    const asked = this.missing.has(seq);
    // Fault injection stands for the network: it drops first transmissions, never the repairs.
    if (!asked && this.options.dropRate && ++this.arrivals % Math.round(1 / this.options.dropRate) === 0)
      return;
    const now = Date.now();
    if (this.nextOut === null || seq - this.highest > MAX_GAP) {
      this.restart(seq);
    } else if (seq < this.nextOut) {
      return; // late (already given up on) or a duplicate
    } else if (seq > this.highest) {
      for (let s = this.highest + 1; s < seq; s++)
        this.missing.set(s, { since: now, nacks: 0, lastNackAt: 0 });
      this.highest = seq;
    }
    if (asked) {
      this.missing.delete(seq);
      this.counts.repaired++;
    }
    this.buffer.set(seq, packet);
    this.flush(now);
  }

  /** The 16-bit sequence number as a running count, taken nearest to the highest seen. */
  private extend(seq: number): number {
    if (this.highest < 0) return seq + 65_536;
    let extended = (this.highest & ~0xffff) | seq;
    if (extended - this.highest > 32_768) extended -= 65_536;
    else if (this.highest - extended > 32_768) extended += 65_536;
    return extended;
  }

  private restart(seq: number): void {
    this.buffer.clear();
    this.missing.clear();
    this.nextOut = seq;
    this.highest = seq;
  }

  private flush(now: number): void {
    if (this.nextOut === null) return;
    for (;;) {
      const packet = this.buffer.get(this.nextOut);
      if (packet) {
        this.buffer.delete(this.nextOut);
        this.deliver(packet, now);
      } else {
        const hole = this.missing.get(this.nextOut);
        if (!hole || now - hole.since < this.options.holdMs) return;
        this.missing.delete(this.nextOut);
        this.counts.lost++;
      }
      this.nextOut++;
      if (this.nextOut > this.highest) return;
    }
  }

  private deliver(packet: Buffer, now: number): void {
    if (!this.out) {
      if (!this.holding) return;
      // A few seconds' worth at most: the recorder starts in a fraction of one.
      if (this.holding.packets.length < 2_000) this.holding.packets.push(packet);
      if (this.holding.packets.length === 1) queueMicrotask(this.holding.onFirst);
      return;
    }
    const keyFrame = this.options.keyFrames ? startsKeyFrame(packet, this.options.keyFrames) : false;
    if (!this.first && this.options.keyFrames && !keyFrame) return;
    this.first ??= { rtpTimestamp: packet.readUInt32BE(4), arrivedAt: now };
    const timestamp = packet.readUInt32BE(4);
    if (keyFrame) this.keyFrame = [packet];
    else if (this.keyFrame[0]?.readUInt32BE(4) === timestamp && this.keyFrame.length < 200)
      this.keyFrame.push(packet); // the rest of the key frame: same timestamp
    this.last = packet;
    this.counts.packets++;
    this.out.send(packet);
  }

  private tick(): void {
    const now = Date.now();
    const ask: number[] = [];
    for (const [seq, hole] of this.missing) {
      if (hole.nacks >= MAX_NACKS || now - hole.lastNackAt < NACK_INTERVAL_MS) continue;
      hole.nacks++;
      hole.lastNackAt = now;
      ask.push(seq & 0xffff);
    }
    if (ask.length && this.options.nack && this.source && this.ssrc !== null)
      this.socket.send(genericNack(OUR_SSRC, this.ssrc, ask), this.source.port, this.source.address);
    this.flush(now);
  }
}
