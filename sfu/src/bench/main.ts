// `npm run bench:sfu`: synthetic SRTP load through bare mediasoup and through our media node,
// then through bare mediasoup on three builds of the worker (infra/setup.mjs builds them and
// names them in SUMMIT_BENCH_WORKERS); sender and receivers in their own processes. Prints
// tables, writes bench/results/sfu.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { version as mediasoupVersion } from 'mediasoup';
import {
  audioProfile,
  type ConsumerSpec,
  nowMs,
  type SourceSpec,
  simulcastProfiles,
  videoProfile,
} from './load.js';
import {
  ConsumerSearch,
  cpuPer1000,
  cpuSince,
  DRAIN_MS,
  LOSS_LIMIT,
  Load,
  receiveBufferDrops,
  sleep,
  TRIAL_MS,
  type Trial,
} from './search.js';
import { type BenchSfu, bareMediasoup, ourMediaNode } from './sfus.js';
import { SRTP_SUITE } from './srtp.js';
import { percentile, round } from './stats.js';

const PAIRED_ROUNDS = 6;
const SUMMIT_DELEGATIONS = 14;
const SUMMIT_WARMUP_MS = 12_000;
const SUMMIT_MS = 10_000;

/** The worker builds compared, as infra/setup.mjs names them: the first recipe's, mediasoup's own way, ours. */
const WORKER_BUILDS = ['debian-libsrtp', 'stock-equivalent', 'ours'] as const;
type WorkerBuild = (typeof WORKER_BUILDS)[number];
const BUILD_LABELS: Record<WorkerBuild, string> = {
  'debian-libsrtp': 'debian',
  'stock-equivalent': 'stock',
  ours: 'ours',
};

function workerBins(): Record<WorkerBuild, string> {
  const given = JSON.parse(process.env.SUMMIT_BENCH_WORKERS ?? '{}') as Partial<Record<WorkerBuild, string>>;
  const missing = WORKER_BUILDS.filter((build) => !given[build]);
  if (missing.length)
    throw new Error(`no worker binary for ${missing.join(', ')}: run npm run bench:sfu, which builds them`);
  return given as Record<WorkerBuild, string>;
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);

/** Worker CPU per 1,000 forwarded packets/s (% of a core), in total and apart, over paired trials. */
function costOf(trials: Trial[]) {
  const per1000 = (pct: (t: Trial) => number) =>
    round(mean(trials.map((t) => pct(t) / (t.sentPps / 1000))), 3);
  return {
    total: per1000((t) => t.workerCpuPct),
    user: per1000((t) => t.workerUserPct),
    system: per1000((t) => t.workerSystemPct),
  };
}

/**
 * The same bare mediasoup on three worker builds, in turns: consumers per worker until loss,
 * then paired trials at one load below everyone's saturation for the cost per packet. Each
 * consumer is a viewer of its own on a WebRtcTransport of the worker's WebRtcServer, with ICE,
 * DTLS and SRTP of its own, as browsers are: one socket for all, which is where batched sends
 * can batch.
 */
async function compareWorkers(load: Load) {
  const bins = workerBins();
  const sfus: BenchSfu[] = [];
  const searches: ConsumerSearch[] = [];
  for (const [i, build] of WORKER_BUILDS.entries()) {
    const sfu = await bareMediasoup({ workerBin: bins[build], webRtc: load });
    sfus.push(sfu);
    searches.push(await ConsumerSearch.start(BUILD_LABELS[build], sfu, load, 0x0d0d0000 + i));
  }
  // Each round starts with the next build, so that the machine's other load falls on all alike.
  for (let turn = 0; searches.some((s) => !s.done); turn++) {
    for (let k = 0; k < searches.length; k++) {
      const search = searches[(turn + k) % searches.length] as ConsumerSearch;
      if (!search.done) await search.step();
    }
  }
  const summaries = searches.map((s) => s.summary());
  const lowest = Math.min(...summaries.map((s) => s.maxConsumers));
  const pairedAt = Math.max(50, Math.round((lowest * 0.75) / 5) * 5);
  console.log(`\nPaired trials at ${pairedAt} consumers:`);
  const paired: Trial[][] = searches.map(() => []);
  for (let round = 0; round < PAIRED_ROUNDS; round++) {
    for (let k = 0; k < searches.length; k++) {
      const i = (round + k) % searches.length;
      paired[i]?.push(await (searches[i] as ConsumerSearch).trial(pairedAt));
    }
  }
  for (const sfu of sfus) await sfu.close();
  const buildResult = (i: number) => {
    const { trials, ...summary } = summaries[i] as ReturnType<ConsumerSearch['summary']>;
    return { ...summary, pairedCostPer1000Pps: costOf(paired[i] ?? []), trials, paired: paired[i] ?? [] };
  };
  const builds = {} as Record<WorkerBuild, ReturnType<typeof buildResult>>;
  for (const [i, build] of WORKER_BUILDS.entries()) builds[build] = buildResult(i);
  const cost = (build: WorkerBuild) => builds[build].pairedCostPer1000Pps.total;
  const allTrials = [...searches.flatMap((s) => s.trials)];
  return {
    /** Worker CPU per forwarded packet, that build's over ours, paired trials (higher: ours cheaper). */
    speedupVsDebianBuild: round(cost('debian-libsrtp') / cost('ours'), 2),
    speedupVsStockEquivalent: round(cost('stock-equivalent') / cost('ours'), 2),
    pairedConsumers: pairedAt,
    transports:
      'a WebRtcTransport per consumer on the worker’s WebRtcServer (one UDP socket): ICE, DTLS and SRTP each',
    loadAverage: {
      min: Math.min(...allTrials.map((t) => t.loadAverage)),
      max: Math.max(...allTrials.map((t) => t.loadAverage)),
    },
    builds,
  };
}

/** 14 delegations, each audio + 3-layer simulcast video, each consumed by the 13 others. */
async function summitProfile(load: Load) {
  const workers = availableParallelism();
  const sfu = await ourMediaNode({ workers });
  const delegations = Array.from({ length: SUMMIT_DELEGATIONS }, (_, i) => `delegation-${i}`);
  const sources: SourceSpec[] = [];
  const media: { audio: string; video: string }[] = [];
  for (const [i, owner] of delegations.entries()) {
    const base = 0x50000000 + i * 16;
    const audio = await sfu.ingest(owner, [{ ...audioProfile, ssrc: base }]);
    const video = await sfu.ingest(
      owner,
      simulcastProfiles.map((p, layer) => ({ ...p, ssrc: base + 1 + layer })),
    );
    sources.push(audio.source, video.source);
    media.push({ audio: audio.producerId, video: video.producerId });
  }
  // Cameras and microphones send from the moment they are produced, as they do in a summit.
  await load.start(sources);
  // Delegation 0 holds the floor: everyone sees it on stage (high layer), the rest in the gallery.
  const consumers: (ConsumerSpec & { view: 'audio' | 'stage' | 'gallery' })[] = [];
  for (const [j, viewer] of delegations.entries()) {
    for (const [i, produced] of media.entries()) {
      if (i === j) continue;
      consumers.push({ ...(await sfu.consume(viewer, produced.audio, load.port(j))), view: 'audio' });
      const stage = i === 0;
      const video = await sfu.consume(viewer, produced.video, load.port(j), stage ? 2 : 0);
      consumers.push({ ...video, view: stage ? 'stage' : 'gallery' });
    }
  }
  await load.expect(consumers);
  // Long enough for consumers on a piped router to get the sender reports that let them leave
  // the stream they started on for the one they prefer.
  await sleep(SUMMIT_WARMUP_MS);
  await load.reset();
  const dropsBefore = receiveBufferDrops();
  const cpuBefore = await sfu.workerCpu();
  const started = nowMs();
  await sleep(SUMMIT_MS);
  const elapsedMs = nowMs() - started;
  const cpu = cpuSince(cpuBefore, await sfu.workerCpu());
  const cpuMs = cpu.userMs + cpu.systemMs;
  const usage = await sfu.node.workerUsage();
  await load.stop();
  await sleep(DRAIN_MS);
  const { streams, delaysMs, authFailures } = await load.report();
  let received = 0;
  let lost = 0;
  let silent = 0;
  const packetsByView = { audio: 0, stage: 0, gallery: 0 };
  const countByView = { audio: 0, stage: 0, gallery: 0 };
  for (const c of consumers) {
    const s = streams.get(c.ssrc);
    if (!s) silent++;
    received += s?.received ?? 0;
    lost += s?.gaps ?? 0;
    packetsByView[c.view] += s?.received ?? 0;
    countByView[c.view]++;
  }
  const perConsumerPps = (view: keyof typeof countByView) =>
    round(packetsByView[view] / countByView[view] / (elapsedMs / 1000), 1);
  await sfu.close();
  return {
    delegations: SUMMIT_DELEGATIONS,
    consumers: consumers.length,
    silentConsumers: silent,
    /** Packets/s each consumer got: ~50 for audio, the high stream (~114) on stage, the low (~17) in the gallery. */
    ppsPerConsumer: {
      audio: perConsumerPps('audio'),
      stage: perConsumerPps('stage'),
      gallery: perConsumerPps('gallery'),
    },
    workers,
    consumersPerWorker: usage.map((w) => w.consumers),
    lossPct: round((lost / Math.max(1, received + lost)) * 100, 3),
    forwardedPps: Math.round(received / (elapsedMs / 1000)),
    workerCpuPctOfMachine: round((cpuMs / elapsedMs / workers) * 100, 1),
    receiveBufferDrops: receiveBufferDrops() - dropsBefore,
    delayP50Ms: round(percentile(delaysMs, 50)),
    delayP99Ms: round(percentile(delaysMs, 99)),
    authFailures,
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((l) => round(l));
  console.log(
    `SFU benchmark: mediasoup ${mediasoupVersion}, SRTP ${SRTP_SUITE}, load average ${loadBefore.join(' ')}`,
  );
  const load = new Load();
  await load.open();

  console.log(`\nOne ${videoProfile.packetsPerSecond} packets/s video stream, consumers on one worker:`);
  // Both SFUs live side by side and take turns, so the machine's other load falls on both alike.
  const bareSfu = await bareMediasoup();
  const ourSfu = await ourMediaNode({ workers: 1, routerConsumerThreshold: Number.POSITIVE_INFINITY });
  const searches = [
    await ConsumerSearch.start('bare', bareSfu, load, 0x0b0b0000),
    await ConsumerSearch.start('ours', ourSfu, load, 0x0c0c0000),
  ] as const;
  for (let turn = 0; searches.some((s) => !s.done); turn++) {
    for (const search of turn % 2 ? [...searches].reverse() : searches) if (!search.done) await search.step();
  }
  const [bare, ours] = searches.map((s) => s.summary()) as [
    ReturnType<ConsumerSearch['summary']>,
    ReturnType<ConsumerSearch['summary']>,
  ];
  // The cost per packet, paired: both at the same load, below saturation, first one then the other.
  const pairedAt = Math.max(50, Math.round((Math.min(bare.maxConsumers, ours.maxConsumers) * 0.75) / 5) * 5);
  console.log(`\nPaired trials at ${pairedAt} consumers:`);
  const paired: Trial[][] = [[], []];
  for (let turn = 0; turn < PAIRED_ROUNDS * 2; turn++) {
    const i = turn % 4 === 0 || turn % 4 === 3 ? 0 : 1;
    paired[i]?.push(await (searches[i] as ConsumerSearch).trial(pairedAt));
  }
  const meanCost = (trials: Trial[] = []) =>
    trials.reduce((sum, t) => sum + cpuPer1000(t), 0) / trials.length;
  const costRatioVsBare = round(meanCost(paired[1]) / meanCost(paired[0]), 3);
  await bareSfu.close();
  await ourSfu.close();

  console.log('\nThe worker builds, bare mediasoup, a WebRTC transport per consumer on one WebRtcServer:');
  const workers = await compareWorkers(load);

  console.log(
    `\nSummit profile: ${SUMMIT_DELEGATIONS} delegations, audio + simulcast video, each seen by the others:`,
  );
  const summit = await summitProfile(load);
  load.close();

  const loadAfter = loadavg().map((l) => round(l));
  const ratioVsBare = bare.maxConsumers ? round(ours.maxConsumers / bare.maxConsumers, 3) : 0;
  const result = {
    date: new Date().toISOString(),
    machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', loadBefore, loadAfter },
    mediasoupVersion,
    srtp: SRTP_SUITE,
    trialMs: TRIAL_MS,
    lossLimitPct: LOSS_LIMIT * 100,
    stream: videoProfile,
    ratioVsBare,
    /** Worker CPU per forwarded packet, ours / bare, from paired trials at the same load (1 = equal). */
    costRatioVsBare,
    maxConsumersPerWorker: ours.maxConsumers,
    bareMaxConsumersPerWorker: bare.maxConsumers,
    summitWorkerCpuPct: summit.workerCpuPctOfMachine,
    summitLossPct: summit.lossPct,
    /** Worker CPU per forwarded packet: the first recipe's build over ours (goal >= 3). */
    workerSpeedupVsDebianBuild: workers.speedupVsDebianBuild,
    /** The same with SRTP on OpenSSL but one send per packet, as stock mediasoup, over ours (goal >= 1.5). */
    workerSpeedupVsStockEquivalent: workers.speedupVsStockEquivalent,
    bare,
    ours,
    paired: { consumers: pairedAt, bare: paired[0], ours: paired[1] },
    workers,
    summit,
  };
  const table = [
    ['', 'bare mediasoup', 'our media node'],
    ['max consumers / worker (< 0.5 % loss)', bare.maxConsumers, ours.maxConsumers],
    ['packets/s forwarded at max', bare.forwardedPps, ours.forwardedPps],
    ['worker CPU at max (% of a core)', bare.workerCpuPct, ours.workerCpuPct],
    [
      'worker CPU per 1,000 packets/s (% of a core)',
      bare.workerCpuPctPer1000Pps,
      ours.workerCpuPctPer1000Pps,
    ],
  ];
  console.log('');
  for (const row of table)
    console.log(`${String(row[0]).padEnd(46)}${String(row[1]).padStart(16)}${String(row[2]).padStart(16)}`);
  console.log(`ratio ours/bare: ${ratioVsBare} (goal >= 0.95); CPU per packet ours/bare: ${costRatioVsBare}`);
  const builds = WORKER_BUILDS.map((build) => workers.builds[build]);
  const workerTable = [
    ['worker build', ...WORKER_BUILDS],
    ['max consumers / worker (< 0.5 % loss)', ...builds.map((b) => b.maxConsumers)],
    [
      `CPU per 1,000 packets/s at ${workers.pairedConsumers} (% core)`,
      ...builds.map((b) => b.pairedCostPer1000Pps.total),
    ],
    ['  of it user', ...builds.map((b) => b.pairedCostPer1000Pps.user)],
    ['  of it system (kernel)', ...builds.map((b) => b.pairedCostPer1000Pps.system)],
  ];
  console.log('');
  for (const row of workerTable)
    console.log(
      `${String(row[0]).padEnd(46)}${row
        .slice(1)
        .map((c) => String(c).padStart(18))
        .join('')}`,
    );
  console.log(
    `worker speedup: ${workers.speedupVsDebianBuild}x vs the Debian-libsrtp build (goal >= 3), ` +
      `${workers.speedupVsStockEquivalent}x vs the stock equivalent (goal >= 1.5); load average ${workers.loadAverage.min}-${workers.loadAverage.max}`,
  );
  console.log(
    `summit: ${summit.consumers} consumers over ${summit.workers} workers (${summit.consumersPerWorker.join(' + ')}), ` +
      `${summit.forwardedPps} packets/s (per consumer: audio ${summit.ppsPerConsumer.audio}, stage ${summit.ppsPerConsumer.stage}, gallery ${summit.ppsPerConsumer.gallery}; ${summit.silentConsumers} silent), loss ${summit.lossPct} % (goal < 0.5), ` +
      `workers ${summit.workerCpuPctOfMachine} % of the machine (goal <= 50), delay p50 ${summit.delayP50Ms} ms p99 ${summit.delayP99Ms} ms`,
  );
  console.log(`load average: ${loadBefore.join(' ')} before, ${loadAfter.join(' ')} after`);

  const dir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}sfu.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written: bench/results/sfu.json`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
