// What every SFU benchmark shares: the sender and receiver processes (the load), and the search
// for how many consumers of one stream an SFU forwards below 0.5 % loss, trial by trial.
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type ConsumerSpec,
  nowMs,
  type ReceiverCommand,
  type ReceiverReply,
  type SenderCommand,
  type SenderReply,
  type SourceSpec,
  type StreamReport,
  videoProfile,
} from './load.js';
import type { BenchSfu, CpuTime, WebRtcDialer, WebRtcEnd } from './sfus.js';
import { percentile, round } from './stats.js';
import { type Address, type IceCredentials, makeDtlsCertificate } from './webRtcEnd.js';

export const TRIAL_MS = 4000;
export const DRAIN_MS = 400;
export const LOSS_LIMIT = 0.005;
export const FIRST_STEP = 100;
export const RESOLUTION = 20;
export const STARVED_BELOW_PCT = 90;
export const MAX_STARVED_RETRIES = 3;
export const STARVED_PAUSE_MS = 2000;
export const MAX_CONSUMERS = 1500;
export const RECEIVER_PROCESSES = 2;
export const SOCKETS_PER_RECEIVER = 4;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A child process answering each command with one reply, in order. */
export class Child<C, R> {
  private readonly waiting: ((reply: R) => void)[] = [];
  private readonly process: ChildProcess;

  constructor(script: string) {
    this.process = fork(fileURLToPath(new URL(script, import.meta.url)), { stdio: 'inherit' });
    this.process.on('message', (reply) => this.waiting.shift()?.(reply as R));
    this.process.on('exit', (code) => {
      if (this.waiting.length) throw new Error(`${script} exited (${code}) with requests pending`);
    });
  }

  request(command: C): Promise<R> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.process.send(command as object);
    });
  }

  stop(): void {
    this.process.disconnect();
  }
}

export class Load implements WebRtcDialer {
  readonly sender = new Child<SenderCommand, SenderReply>('./sender.js');
  readonly receivers = Array.from(
    { length: RECEIVER_PROCESSES },
    () => new Child<ReceiverCommand, ReceiverReply>('./receiver.js'),
  );
  ports: number[] = [];
  /** The certificate every WebRTC end presents. */
  private readonly certificate = makeDtlsCertificate();
  private ends = 0;

  get fingerprint(): string {
    return this.certificate.fingerprint;
  }

  /** A WebRTC end (ICE, DTLS) with an SFU's transport, in the receivers by turns. */
  async dial(server: Address & IceCredentials): Promise<WebRtcEnd> {
    const id = this.ends++;
    const receiver = this.receivers[id % this.receivers.length] as Child<ReceiverCommand, ReceiverReply>;
    const { certFile, keyFile, fingerprint } = this.certificate;
    const certificate = { certFile, keyFile, fingerprint };
    const reply = await receiver.request({ type: 'connect', id, server, certificate });
    if (reply.type !== 'connected') throw new Error(`WebRTC end ${id}: ${JSON.stringify(reply)}`);
    return {
      key: reply.key,
      hangUp: async () => {
        await receiver.request({ type: 'hangUp', id });
      },
    };
  }

  async open(): Promise<void> {
    for (const receiver of this.receivers) {
      const reply = await receiver.request({ type: 'open', sockets: SOCKETS_PER_RECEIVER });
      if (reply.type === 'opened') this.ports.push(...reply.ports);
    }
  }

  port(i: number): number {
    return this.ports[i % this.ports.length] as number;
  }

  async expect(consumers: ConsumerSpec[]): Promise<void> {
    await Promise.all(this.receivers.map((r) => r.request({ type: 'expect', consumers })));
  }

  async reset(): Promise<void> {
    await Promise.all(this.receivers.map((r) => r.request({ type: 'reset' })));
  }

  async start(sources: SourceSpec[]): Promise<void> {
    await this.sender.request({ type: 'start', sources });
  }

  async stop(): Promise<Record<number, number>> {
    const reply = await this.sender.request({ type: 'stop' });
    return reply.type === 'stopped' ? reply.sent : {};
  }

  async report(): Promise<{ streams: Map<number, StreamReport>; delaysMs: number[]; authFailures: number }> {
    const streams = new Map<number, StreamReport>();
    const delaysMs: number[] = [];
    let authFailures = 0;
    for (const receiver of this.receivers) {
      const reply = await receiver.request({ type: 'report' });
      if (reply.type !== 'report') continue;
      for (const [ssrc, s] of Object.entries(reply.streams)) streams.set(Number(ssrc), s);
      delaysMs.push(...reply.delaysMs);
      authFailures += reply.authFailures;
    }
    return { streams, delaysMs, authFailures };
  }

  close(): void {
    this.sender.stop();
    for (const r of this.receivers) r.stop();
    this.certificate.remove();
  }
}

export interface Trial {
  consumers: number;
  lossPct: number;
  /** Packets/s the receivers got. */
  forwardedPps: number;
  /** Packets/s the worker says its consumers sent: what its CPU is divided by. */
  sentPps: number;
  /** Datagrams the kernel dropped for full receive buffers, machine-wide: starved receivers. */
  receiveBufferDrops: number;
  workerCpuPct: number;
  /** Of workerCpuPct: in the worker's own code and libraries, and in the kernel (sending). */
  workerUserPct: number;
  workerSystemPct: number;
  delayP50Ms: number;
  delayP99Ms: number;
  authFailures: number;
  loadAverage: number;
}

/**
 * One video stream fanned out to more and more consumers on one worker, until loss: up by
 * FIRST_STEP, then halving the interval. A failing trial is tried once more, and up to three more
 * times while the worker could not get a core, so that other work on the machine does not decide.
 */
export class ConsumerSearch {
  readonly trials: Trial[] = [];
  private readonly consumers: ConsumerSpec[] = [];
  private good = 0;
  private bad = 0;
  private retrying = false;
  private starvedRetries = 0;

  private constructor(
    private readonly label: string,
    private readonly sfu: BenchSfu,
    private readonly load: Load,
    private readonly source: SourceSpec,
    private readonly producerId: string,
    private readonly starvedBelowPct: number,
  ) {}

  /**
   * `starvedBelowPct`: below this CPU, loss means the workers did not get what they may use
   * (a core each by default; less when a CPU budget confines them).
   */
  static async start(
    label: string,
    sfu: BenchSfu,
    load: Load,
    ssrc: number,
    starvedBelowPct = STARVED_BELOW_PCT,
  ): Promise<ConsumerSearch> {
    const { source, producerId } = await sfu.ingest('speaker', [{ ...videoProfile, ssrc }]);
    return new ConsumerSearch(label, sfu, load, source, producerId, starvedBelowPct);
  }

  get done(): boolean {
    return this.bad ? this.bad - this.good <= RESOLUTION : this.good >= MAX_CONSUMERS;
  }

  private next(): number {
    if (this.bad) return Math.round((this.good + this.bad) / 2 / 5) * 5;
    return this.good + FIRST_STEP;
  }

  async step(): Promise<void> {
    const n = this.next();
    const trial = await this.trial(n);
    const passed = trial.lossPct < LOSS_LIMIT * 100;
    if (passed) {
      this.good = n;
      this.retrying = false;
      this.starvedRetries = 0;
    } else if (trial.workerCpuPct < this.starvedBelowPct && this.starvedRetries < MAX_STARVED_RETRIES) {
      // Loss while the worker got less than it may use: the machine was busy, not the SFU. Again.
      this.starvedRetries++;
      await sleep(STARVED_PAUSE_MS);
    } else if (!this.retrying) {
      this.retrying = true;
    } else {
      this.bad = n;
      this.retrying = false;
      this.starvedRetries = 0;
    }
  }

  summary() {
    const best = [...this.trials]
      .reverse()
      .find((t) => t.consumers === this.good && t.lossPct < LOSS_LIMIT * 100);
    return {
      maxConsumers: this.good,
      forwardedPps: best?.forwardedPps ?? 0,
      workerCpuPct: best?.workerCpuPct ?? 0,
      workerCpuPctPer1000Pps: best ? cpuPer1000(best) : 0,
      trials: this.trials,
    };
  }

  async trial(n: number): Promise<Trial> {
    const { sfu, load, consumers } = this;
    const added: ConsumerSpec[] = [];
    while (consumers.length < n) {
      const spec = await sfu.consume(
        `viewer-${consumers.length}`,
        this.producerId,
        load.port(consumers.length),
      );
      consumers.push(spec);
      added.push(spec);
    }
    while (consumers.length > n) {
      consumers.pop();
      await sfu.dropViewer(`viewer-${consumers.length}`);
    }
    await load.expect(added);
    await load.reset();
    const packetsBefore = await sfu.sentPackets();
    const dropsBefore = receiveBufferDrops();
    const cpuBefore = await sfu.workerCpu();
    const started = nowMs();
    await load.start([this.source]);
    await sleep(TRIAL_MS);
    const sent = (await load.stop())[this.source.streams[0]?.ssrc ?? 0] ?? 0;
    const elapsedMs = nowMs() - started;
    const cpu = cpuSince(cpuBefore, await sfu.workerCpu());
    const sentPackets = (await sfu.sentPackets()) - packetsBefore;
    await sleep(DRAIN_MS);
    const { streams, delaysMs, authFailures } = await load.report();
    const received = consumers.reduce((sum, c) => sum + (streams.get(c.ssrc)?.received ?? 0), 0);
    const result: Trial = {
      consumers: n,
      lossPct: round(Math.max(0, 1 - received / (sent * n)) * 100, 3),
      forwardedPps: Math.round(received / (elapsedMs / 1000)),
      sentPps: Math.round(sentPackets / (elapsedMs / 1000)),
      receiveBufferDrops: receiveBufferDrops() - dropsBefore,
      workerCpuPct: round(((cpu.userMs + cpu.systemMs) / elapsedMs) * 100, 1),
      workerUserPct: round((cpu.userMs / elapsedMs) * 100, 1),
      workerSystemPct: round((cpu.systemMs / elapsedMs) * 100, 1),
      delayP50Ms: round(percentile(delaysMs, 50)),
      delayP99Ms: round(percentile(delaysMs, 99)),
      authFailures,
      loadAverage: round(loadavg()[0] ?? 0),
    };
    this.trials.push(result);
    console.log(
      `  ${this.label.padEnd(7)} ${String(n).padStart(5)} consumers: loss ${result.lossPct}%, ${result.forwardedPps} pps out, worker ${result.workerCpuPct}% of a core (${result.workerSystemPct} in the kernel), delay p50 ${result.delayP50Ms} ms (load ${result.loadAverage})`,
    );
    return result;
  }
}

export const cpuPer1000 = (t: Trial) => round(t.workerCpuPct / (t.sentPps / 1000), 2);

/** UDP datagrams dropped for a full receive buffer so far, all sockets of the machine (/proc/net/snmp). */
export function receiveBufferDrops(): number {
  const [names = [], values = []] = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'))
    .map((l) => l.split(/\s+/));
  return Number(values[names.indexOf('RcvbufErrors')] ?? 0);
}

export const cpuSince = (before: CpuTime, after: CpuTime): CpuTime => ({
  userMs: after.userMs - before.userMs,
  systemMs: after.systemMs - before.systemMs,
});
