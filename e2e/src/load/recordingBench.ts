// npm run bench:recording — what recording a 14-site session costs on the media node: CPU and disk
// per recorded hour, and what composing its one file costs afterwards. The session: 14 delegations'
// microphones (Opus, 32 kb/s, all sending: open microphones, the upper bound), 2 interpretation
// channels, the stage camera (VP8 1280×720, ~1.5 Mb/s), sent as RTP by FFmpeg from files encoded
// beforehand (so the senders encode nothing while measured). The same session is measured first
// without recording (the baseline), then recorded; the difference is the recording's.
// Writes bench/results/recording.json.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedTrack } from '@summit-bridge/protocol';
import { composeArgs, runFfmpeg } from '@summit-bridge/server';
import { createLocalMediaNode, type LocalMediaNode } from '@summit-bridge/sfu';
import { processCpu, round } from '@summit-bridge/sfu/bench';
import { pino } from 'pino';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SITES = 14;
const CHANNELS = 2;
const session = 'bench/recording';
const peer = { sessionId: session, peerId: 'senders' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const work = mkdtempSync(join(tmpdir(), 'bench-recording-'));

function ffmpeg(args: string[]): void {
  const res = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
    stdio: 'inherit',
  });
  if (res.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed`);
}

/** Ten seconds of each kind of media, encoded once: the senders only packetize them. */
function prepareMedia() {
  const tone = join(work, 'tone.webm');
  const stage = join(work, 'stage.webm');
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=10',
    '-ac',
    '2',
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
    tone,
  ]);
  ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=10'],
    ...['-c:v', 'libvpx', '-b:v', '1500k', '-deadline', 'realtime', '-cpu-used', '8', '-g', '60', stage],
  ]);
  return { tone, stage };
}

interface Sender {
  producerId: string;
  process: ChildProcess;
}

/**
 * A producer on a PlainTransport, fed by FFmpeg looping a file as RTP. Its RTCP goes elsewhere:
 * FFmpeg sends it from another socket, and the transport (comedia) would lock onto that one.
 */
async function sender(
  node: LocalMediaNode,
  file: string,
  kind: 'audio' | 'video',
  ssrc: number,
): Promise<Sender> {
  const transport = await node.createPlainTransport(peer, { direction: 'send' });
  const payloadType = kind === 'audio' ? 100 : 101;
  const codec =
    kind === 'audio'
      ? { mimeType: 'audio/opus', payloadType, clockRate: 48000, channels: 2 }
      : { mimeType: 'video/VP8', payloadType, clockRate: 90000 };
  const { producerId } = await node.produce(peer, transport.id, {
    kind,
    rtpParameters: { codecs: [codec], encodings: [{ ssrc }] } as never,
  });
  const url = `rtp://${transport.ip}:${transport.port}?pkt_size=1200`;
  const process = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', file],
      ...['-map', kind === 'audio' ? '0:a' : '0:v', '-c', 'copy', '-f', 'rtp'],
      ...['-payload_type', String(payloadType), '-ssrc', String(ssrc), url],
    ],
    { stdio: 'ignore' },
  );
  return { producerId, process };
}

/** CPU time of this process's recorder children (FFmpeg reading an SDP), user + system, in ms. */
async function recordersCpuMs(): Promise<number> {
  let total = 0;
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('.sdp')) continue;
      const cpu = await processCpu(Number(entry));
      total += cpu.userMs + cpu.systemMs;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** CPU of the worker and of this process (where the recorder's RTP ingress runs) over a phase. */
async function measure(node: LocalMediaNode, seconds: number, during?: () => Promise<number>) {
  const [worker] = await node.workerUsage();
  if (!worker) throw new Error('no worker');
  const workerBefore = await processCpu(worker.pid);
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  await sleep(seconds * 1000);
  const elapsedMs = performance.now() - started;
  const workerAfter = await processCpu(worker.pid);
  const self = process.cpuUsage(selfBefore);
  const recorders = during ? await during() : 0;
  const pct = (ms: number) => round((ms / elapsedMs) * 100, 2);
  return {
    seconds: round(elapsedMs / 1000, 1),
    workerPct: pct(workerAfter.userMs + workerAfter.systemMs - workerBefore.userMs - workerBefore.systemMs),
    nodeProcessPct: pct((self.user + self.system) / 1000),
    recordersPct: pct(recorders),
  };
}

async function main() {
  const loadBefore = loadavg().map((l) => round(l));
  console.log(
    `Recording benchmark: ${SITES} sites, ${CHANNELS} channels and the stage, ${SECONDS} s a phase, load ${loadBefore.join(' ')}`,
  );
  const media = prepareMedia();
  const dir = join(work, 'recordings');
  const node = await createLocalMediaNode({
    workers: 1,
    recordingDir: dir,
    logger: pino({ level: 'warn' }),
  });
  await node.openSession(session);
  const senders: (Sender & { spec: Omit<RecordedTrack, 'segments'> })[] = [];
  for (let i = 0; i < SITES; i++) {
    const s = await sender(node, media.tone, 'audio', 0x1000 + i);
    const delegation = `S${String(i + 1).padStart(2, '0')}`;
    senders.push({
      ...s,
      spec: {
        name: `floor-${delegation}`,
        source: 'floor',
        kind: 'audio',
        producerId: s.producerId,
        delegation,
        language: null,
      },
    });
  }
  for (const language of ['vi', 'zh'].slice(0, CHANNELS)) {
    const s = await sender(node, media.tone, 'audio', 0x2000 + senders.length);
    senders.push({
      ...s,
      spec: {
        name: `interpretation-${language}`,
        source: 'interpretation',
        kind: 'audio',
        producerId: s.producerId,
        delegation: null,
        language,
      },
    });
  }
  const stage = await sender(node, media.stage, 'video', 0x3000);
  senders.push({
    ...stage,
    spec: {
      name: 'stage-S01',
      source: 'stage',
      kind: 'video',
      producerId: stage.producerId,
      delegation: 'S01',
      language: null,
    },
  });
  await sleep(2_000);

  console.log('\nWithout recording (the baseline):');
  const baseline = await measure(node, SECONDS);
  console.log(`  worker ${baseline.workerPct} % of a core, node process ${baseline.nodeProcessPct} %`);

  console.log('\nRecording every track:');
  const recordingId = 'rbench0001';
  const startedAt = Date.now();
  for (const s of senders) await node.startRecorder(session, { ...s.spec, recordingId });
  await sleep(2_000);
  const recorded = await measure(node, SECONDS, recordersCpuMs);
  const tracks = await node.stopRecording(session, recordingId);
  const stoppedAt = Date.now();
  const recordedSeconds = (stoppedAt - startedAt) / 1000;
  console.log(
    `  worker ${recorded.workerPct} %, node process ${recorded.nodeProcessPct} %, recorders (FFmpeg) ${recorded.recordersPct} % of a core`,
  );
  const recDir = join(dir, 'bench', 'recording', recordingId);
  const bytes = readdirSync(recDir)
    .filter((f) => f.endsWith('.webm'))
    .reduce((sum, f) => sum + statSync(join(recDir, f)).size, 0);
  const lost = tracks.flatMap((t) => t.segments).reduce((sum, s) => sum + s.lost, 0);
  const packets = tracks.flatMap((t) => t.segments).reduce((sum, s) => sum + s.packets, 0);

  console.log('\nComposing the one file:');
  const composeStart = performance.now();
  await runFfmpeg('ffmpeg', composeArgs({ startedAt, stoppedAt }, tracks, recDir));
  const composeSeconds = (performance.now() - composeStart) / 1000;
  const composedBytes = statSync(join(recDir, 'session.webm')).size;
  console.log(`  ${round(composeSeconds, 1)} s for ${round(recordedSeconds, 1)} s recorded`);

  for (const s of senders) s.process.kill('SIGKILL');
  await node.close();
  const extraPct =
    recorded.workerPct +
    recorded.nodeProcessPct +
    recorded.recordersPct -
    baseline.workerPct -
    baseline.nodeProcessPct;
  const perHour = 3600 / recordedSeconds;
  const result = {
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? '',
      loadBefore,
      loadAfter: loadavg().map((l) => round(l)),
    },
    session: {
      sites: SITES,
      interpretationChannels: CHANNELS,
      stage: 'VP8 1280x720 at 30 fps, ~1.5 Mb/s',
      microphones: 'Opus 48 kHz stereo, 32 kb/s, all sending',
      tracks: tracks.length,
    },
    phaseSeconds: SECONDS,
    baseline,
    recording: { ...recorded, packets, lost },
    perRecordedHour: {
      cpuPctOfCore: round(extraPct, 2),
      cpuCoreSeconds: round((extraPct / 100) * 3600, 0),
      diskMB: round((bytes * perHour) / 1024 / 1024, 1),
      composedFileMB: round((composedBytes * perHour) / 1024 / 1024, 1),
      composeMinutes: round((composeSeconds * perHour) / 60, 1),
    },
  };
  console.log(
    `\nPer recorded hour: ${result.perRecordedHour.cpuPctOfCore} % of a core (${result.perRecordedHour.cpuCoreSeconds} core-seconds), ` +
      `${result.perRecordedHour.diskMB} MB of tracks, ${result.perRecordedHour.composedFileMB} MB composed, ` +
      `composing ${result.perRecordedHour.composeMinutes} min; ${lost} of ${packets + lost} packets lost`,
  );
  const out = fileURLToPath(new URL('../../../bench/results/recording.json', import.meta.url));
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log('written: bench/results/recording.json');
  rmSync(work, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
  },
);
