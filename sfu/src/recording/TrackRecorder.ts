// One recorded track on the media node: a PlainTransport on the router where the producer lives,
// consuming it (NACK on, no RTX: repairs come on the stream itself); the RtpIngress that repairs
// and orders; and FFmpeg writing the stream as it came (no re-encoding) into a WebM file. A
// recorder process that dies is started again into a new segment file: the gap stays visible.
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedSegment, RecordedTrack } from '@summit-bridge/protocol';
import type { Consumer, PlainTransport, Router, RtpCodecCapability } from 'mediasoup/types';
import { MediaNodeError, type NodeLogger } from '../MediaNode.js';
import { RtpIngress } from './RtpIngress.js';
import { recordableCodec, recorderSdp } from './sdp.js';

export interface TrackRecorderOptions {
  router: Router;
  track: Omit<RecordedTrack, 'segments'>;
  /** The recording's directory (exists). */
  dir: string;
  ffmpeg: string;
  log: NodeLogger;
  /** Fault injection for tests: the share of packets lost on the way to the recorder. */
  dropRate?: number;
  /** Told when a recorder process died and another took over. */
  onRestart?: (track: RecordedTrack) => void;
}

const feedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];
// What WebM holds; a producer in another codec (H264) is not recordable without re-encoding.
const recordable = /^(audio\/opus|video\/vp8|video\/vp9)$/i;
const RESTART_DELAY_MS = 300;

export class TrackRecorder {
  private readonly segments: RecordedSegment[] = [];
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private files = 0;
  private finished: Promise<RecordedTrack> | null = null;

  private constructor(
    private readonly options: TrackRecorderOptions,
    private readonly transport: PlainTransport,
    private readonly consumer: Consumer,
    private readonly ingress: RtpIngress,
  ) {}

  static async start(options: TrackRecorderOptions): Promise<TrackRecorder> {
    const { router, track } = options;
    const codecs = (router.rtpCapabilities.codecs ?? [])
      .filter((c) => c.kind === track.kind && recordable.test(c.mimeType))
      .map((c) => ({ ...c, rtcpFeedback: feedback }) as RtpCodecCapability);
    const transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
    });
    let ingress: RtpIngress | undefined;
    try {
      const consumer = await transport.consume({
        producerId: track.producerId,
        rtpCapabilities: { codecs, headerExtensions: [] },
        paused: true,
      });
      const { clockRate, name: codec } = recordableCodec(consumer.rtpParameters);
      // The node resends only what the sender negotiated NACK for: browsers do for video, not for
      // Opus (which carries its own in-band FEC); without it, waiting for a repair is pointless.
      const nack = consumer.rtpParameters.codecs.some((c) =>
        (c.rtcpFeedback ?? []).some((fb) => fb.type === 'nack' && !fb.parameter),
      );
      ingress = await RtpIngress.open({
        ip: '127.0.0.1',
        clockRate,
        nack,
        holdMs: nack ? 400 : 60,
        keyFrames: /^vp[89]$/i.test(codec) ? (codec.toLowerCase() as 'vp8' | 'vp9') : undefined,
        ...(options.dropRate ? { dropRate: options.dropRate } : {}),
      });
      await transport.connect({ ip: '127.0.0.1', port: ingress.port });
      const recorder = new TrackRecorder(options, transport, consumer, ingress);
      try {
        await recorder.startSegment();
      } catch (err) {
        // A recorder that cannot run (no FFmpeg, a bad path): the error is the caller's, and
        // nothing is left behind — the stop finishes and releases what was made.
        await recorder.stop();
        throw err;
      }
      consumer.on('producerclose', () => void recorder.stop());
      transport.observer.once('close', () => void recorder.stop());
      await consumer.resume();
      recorder.askKeyFrames();
      return recorder;
    } catch (err) {
      ingress?.close();
      if (!transport.closed) transport.close();
      throw err;
    }
  }

  get name(): string {
    return this.options.track.name;
  }

  /** Ends the recording of this track: the file is finished, the stream released; the track as written. */
  stop(): Promise<RecordedTrack> {
    this.finished ??= this.finish();
    return this.finished;
  }

  private async finish(): Promise<RecordedTrack> {
    this.stopping = true;
    const child = this.process;
    // What the file holds is what FFmpeg had before its `q`: packets after it are not written.
    const written = { counts: this.ingress.segmentCounts(), at: Date.now() };
    if (child && child.exitCode === null && child.signalCode === null) {
      // FFmpeg finishes the file (cues, sizes) when told `q`, which it reads between packets: the
      // stream keeps flowing meanwhile, and a paused one is nudged with a packet made for it. (A
      // second signal would break its blocking read, and its writing of the file's end too.)
      child.stdin?.end('q');
      const timers = [
        setTimeout(() => this.ingress.nudge(), 300),
        setTimeout(() => this.ingress.nudge(), 2_000),
        setTimeout(() => child.kill('SIGKILL'), 8_000),
      ];
      await this.exited;
      for (const timer of timers) clearTimeout(timer);
    }
    await this.endSegment('stop', written);
    if (!this.consumer.closed) this.consumer.close();
    if (!this.transport.closed) this.transport.close();
    this.ingress.close();
    const track = this.snapshot();
    await this.writeSidecar(track).catch((err) =>
      this.options.log.error({ err, track: this.name }, 'writing a recorded track’s description failed'),
    );
    return track;
  }

  private snapshot(): RecordedTrack {
    return { ...this.options.track, segments: this.segments.map((s) => ({ ...s })) };
  }

  private async startSegment(): Promise<void> {
    const { dir, track, ffmpeg, log } = this.options;
    const n = ++this.files;
    const file = `${track.name}-${n}.webm`;
    const port = await freePortPair();
    const sdpPath = join(dir, `${track.name}-${n}.sdp`);
    await writeFile(sdpPath, recorderSdp(track.kind, this.consumer.rtpParameters, port));
    const child = spawn(
      ffmpeg,
      [
        ...['-hide_banner', '-loglevel', 'error', '-y'],
        ...['-protocol_whitelist', 'file,udp,rtp', '-reorder_queue_size', '0'],
        ...['-i', sdpPath, '-map', '0', '-c', 'copy', '-f', 'webm', join(dir, file)],
      ],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    child.stdin?.on('error', () => undefined); // it may be gone before it reads `q`
    // Not started at all (no such file): an `error`, and maybe no `exit`.
    const failedToStart = new Promise<Error>((resolve) => child.once('error', resolve));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    this.process = child;
    this.exited = Promise.race([
      new Promise<void>((resolve) => child.once('exit', () => resolve())),
      failedToStart.then(() => undefined),
    ]);
    this.segments.push({ file, startAt: null, endAt: null, packets: 0, repaired: 0, lost: 0, endedBy: null });
    child.once('exit', (code, signal) => {
      if (this.stopping && code !== 0)
        log.warn({ track: track.name, code, signal, stderr }, 'a recorder process ended badly');
      if (this.stopping || this.process !== child) return;
      if (code === 0) {
        // FFmpeg's RTP input gives up after ~10 s without a packet (a microphone held back): the
        // file is finished, and the next sound starts the next segment, nothing of it lost.
        void this.endSegment('silence');
        this.ingress.hold(() => {
          if (!this.stopping)
            this.startSegment()
              .then(() => this.askKeyFrames())
              .catch((err) => log.error({ err, track: track.name }, 'a recorder could not start again'));
        });
        return;
      }
      log.warn({ track: track.name, code, signal, stderr }, 'a recorder process died; recording again');
      void this.endSegment('recorderDied');
      setTimeout(() => {
        if (this.stopping) return;
        this.startSegment()
          .then(() => {
            this.askKeyFrames();
            this.options.onRestart?.(this.snapshot());
          })
          .catch((err) => log.error({ err, track: track.name }, 'a recorder could not be restarted'));
      }, RESTART_DELAY_MS);
    });
    await Promise.race([
      untilListening(port, child),
      failedToStart.then((err) => {
        throw new MediaNodeError('unavailable', `the recorder (${ffmpeg}) could not start: ${err.message}`);
      }),
    ]);
    await this.ingress.deliverTo(port);
    await this.writeSidecar(this.snapshot()).catch(() => undefined);
  }

  /**
   * The current segment ends now: its first sample's time and what the ingress counted. One that
   * never had a packet is no segment: its (empty) file goes.
   */
  private async endSegment(
    endedBy: 'stop' | 'silence' | 'recorderDied',
    written = { counts: this.ingress.segmentCounts(), at: Date.now() },
  ): Promise<void> {
    const segment = this.segments.at(-1);
    if (!segment || segment.endAt !== null) return;
    Object.assign(segment, written.counts, {
      startAt: this.ingress.segmentStart(),
      endAt: written.at,
      endedBy,
    });
    this.ingress.stopDelivering();
    if (segment.packets === 0) {
      this.segments.pop();
      const stem = join(this.options.dir, segment.file.replace(/\.webm$/, ''));
      await Promise.all([unlink(`${stem}.webm`), unlink(`${stem}.sdp`)].map((p) => p.catch(() => undefined)));
    }
    await this.writeSidecar(this.snapshot()).catch(() => undefined);
  }

  // A video file starts at a key frame: ask for one now and again shortly, in case the first is lost.
  private askKeyFrames(): void {
    if (this.options.track.kind !== 'video') return;
    for (const delay of [0, 500, 1_500])
      setTimeout(() => {
        if (!this.consumer.closed) this.consumer.requestKeyFrame().catch(() => undefined);
      }, delay).unref();
  }

  private async writeSidecar(track: RecordedTrack): Promise<void> {
    const path = join(this.options.dir, `${track.name}.json`);
    await writeFile(`${path}.tmp`, JSON.stringify(track, null, 2));
    await rename(`${path}.tmp`, path);
  }
}

/** Two free consecutive UDP ports on the loopback (RTP and, as FFmpeg expects, RTCP above it). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await bindUdp(0);
    const port = first.address().port;
    const second = await bindUdp(port + 1).catch(() => null);
    first.close();
    second?.close();
    if (second && port % 2 === 0) return port;
  }
  throw new Error('no free UDP port pair for a recorder');
}

function bindUdp(port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

/** Until FFmpeg has bound its RTP port (read from the kernel's UDP table), or it exited. */
async function untilListening(port: number, child: ChildProcess): Promise<void> {
  const needle = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  // FFmpeg loads in a fraction of a second; a host busy with a build may take far longer.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const table = await readFile('/proc/net/udp', 'utf8').catch(() => '');
    if (table.split('\n').some((line) => line.trim().split(/\s+/)[1]?.endsWith(needle.trim()))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (child.exitCode !== null) throw new Error(`the recorder exited at start (${child.exitCode})`);
  throw new Error('the recorder did not start listening');
}
