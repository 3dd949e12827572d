// npm run bench:console — what one delegate console costs its machine in a full summit: the
// ASEAN+3 Summit's 14 sites all sending video, the console Singapore's, in Chromium.
//
// The server runs in this process. The 13 other sites run in a child process: participants
// connected over socket.io whose cameras and microphones are produced through the server's own
// `media:produce` on PlainTransports and carry a clip Chromium encoded beforehand (VP8 in three
// simulcast sizes with three temporal layers, Opus): real pictures to decode, without 13
// encoding browsers on the same cores. The chair's site opens the session and gives Indonesia
// the floor. Then Chromium opens Singapore's console (a 1366×768 laptop screen), once as it
// opens (the stage in view, the gallery below) and once scrolled to the gallery, and the CPU
// time and memory of all of that Chromium's processes are read over a window.
//
// BENCH_BASELINE=<git revision> also measures that revision's client, in turns with this one,
// on the same server and sites: the gallery's savings, before/after.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSummit } from '@summit-bridge/server';
import type { CDPSession, Page } from 'playwright-core';
import { artifactPath } from '../artifacts.js';
import { launchChromium } from '../browser.js';
import { benchAdminToken, startBenchServer } from './benchServer.js';
import { encodeClip } from './consoleClip.js';
import { startToolProcess } from './toolProcess.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const baseline = process.env.BENCH_BASELINE;
const summitId = 'asean-2020';
const sessionId = 'apt-summit';
const nodeSession = `${summitId}/${sessionId}`;
const measured = 'SGP';
const chair = 'VNM';
const floorHolder = 'IDN';
const viewport = { width: 1366, height: 768 };
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cacheDir = join(root, 'node_modules', '.cache', 'summit-bridge', 'console-bench');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type View = 'stage' | 'gallery';
interface Build {
  name: string;
  dir: string;
}

async function invite(url: string, delegation: string): Promise<{ token: string; joinUrl: string }> {
  const role = delegation === chair ? 'chair' : 'head_of_delegation';
  const res = await fetch(`${url}/api/v1/summits/${summitId}/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${benchAdminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: delegation, delegation, role, sessions: [sessionId] }),
  });
  if (res.status !== 201) throw new Error(`invitation refused: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; joinUrl: string };
}

/** The client of a git revision, built once into the cache (against today's protocol package). */
function clientAt(revision: string): string {
  if (!/^[\w./-]+$/.test(revision)) throw new Error(`BENCH_BASELINE: not a revision: ${revision}`);
  const out = join(cacheDir, `client-${revision.replace(/\W/g, '_')}`);
  if (existsSync(join(out, 'index.html'))) return out;
  const src = mkdtempSync(join(tmpdir(), 'console-bench-'));
  try {
    execFileSync('sh', ['-c', `git archive ${revision} client tsconfig.base.json | tar -x -C ${src}`], {
      cwd: root,
    });
    symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'));
    execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--outDir', out, '--emptyOutDir'], {
      cwd: join(src, 'client'),
      stdio: 'inherit',
    });
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
  return out;
}

// The server serves whatever this link points at: one server, one set of sites, two clients.
// Not under .cache: express will not send a file from a path with a dot-folder in it.
const served = join(mkdtempSync(join(tmpdir(), 'console-bench-')), 'client');
function serve(dir: string): void {
  rmSync(served, { force: true });
  symlinkSync(dir, served);
}

// Every RTCPeerConnection the page makes, so that its WebRTC statistics can be read whatever
// the client build (the console exposes no such thing itself).
const trackPeerConnections = `(() => {
  const Native = window.RTCPeerConnection;
  window.__benchPeers = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      window.__benchPeers.push(this);
    }
  };
})()`;

interface MediaTotals {
  videoFramesDecoded: number;
  videoBytes: number;
  videoStreams: Record<string, number>;
  audioBytes: number;
  audioStreams: Record<string, number>;
  framesEncoded: number;
  audioElements: number;
  videoElements: number;
}

const readMedia = (page: Page) =>
  page.evaluate<MediaTotals>(`(async () => {
    const totals = { videoFramesDecoded: 0, videoBytes: 0, videoStreams: {}, audioBytes: 0, audioStreams: {}, framesEncoded: 0 };
    for (const pc of window.__benchPeers) {
      if (pc.connectionState === 'closed') continue;
      for (const s of (await pc.getStats()).values()) {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          totals.videoFramesDecoded += s.framesDecoded ?? 0;
          totals.videoBytes += s.bytesReceived ?? 0;
          totals.videoStreams[s.ssrc] = s.framesDecoded ?? 0;
        } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          totals.audioBytes += s.bytesReceived ?? 0;
          totals.audioStreams[s.ssrc] = s.bytesReceived ?? 0;
        } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
          totals.framesEncoded += s.framesEncoded ?? 0;
        }
      }
    }
    totals.audioElements = document.querySelectorAll('audio').length;
    totals.videoElements = document.querySelectorAll('video').length;
    return totals;
  })()`);

interface ProcessInfo {
  type: string;
  id: number;
  cpuTime: number;
}

async function processes(browserCdp: CDPSession): Promise<ProcessInfo[]> {
  const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: ProcessInfo[];
  };
  return processInfo;
}

/** Proportional set size: each process's own memory plus its share of what it shares. */
function pssMb(pid: number): number {
  try {
    const kb = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return Number(kb ?? 0) / 1024;
  } catch {
    return 0; // the process ended meanwhile
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

async function measurePhase(build: Build, view: View, consoleUrl: string) {
  serve(build.dir);
  const browser = await launchChromium();
  try {
    const browserCdp = await browser.newBrowserCDPSession();
    const context = await browser.newContext({ viewport, locale: 'en-GB' });
    await context.addInitScript(trackPeerConnections);
    const page = await context.newPage();
    await page.goto(consoleUrl);
    await page.getByRole('button', { name: /^Enter (the session|anyway)$/ }).click({ timeout: 90_000 });
    await page.getByRole('region', { name: 'Floor' }).waitFor({ timeout: 60_000 });
    if (view === 'gallery') await page.evaluate(`document.querySelector('.gallery').scrollIntoView()`);
    await sleep(15_000); // consumers made, layers settled, key frames arrived

    const pageCdp = await context.newCDPSession(page);
    await pageCdp.send('Performance.enable');
    const cpu0 = await processes(browserCdp);
    const media0 = await readMedia(page);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu1 = await processes(browserCdp);
    const media1 = await readMedia(page);
    const wallS = (performance.now() - t0) / 1000;
    const { metrics } = (await pageCdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    await page.screenshot({ path: artifactPath(`console-bench-${build.name}-${view}.png`) });

    const cpuOf = (list: ProcessInfo[], type?: string) =>
      list.filter((p) => !type || p.type === type).reduce((n, p) => n + p.cpuTime, 0);
    const pct = (type?: string) => round1(((cpuOf(cpu1, type) - cpuOf(cpu0, type)) / wallS) * 100);
    const growing = (before: Record<string, number>, after: Record<string, number>) =>
      Object.entries(after).filter(([ssrc, n]) => n > (before[ssrc] ?? 0)).length;
    const result = {
      build: build.name,
      view,
      cpuPctOfOneCore: pct(),
      cpuByProcess: Object.fromEntries(
        [...new Set(cpu1.map((p) => p.type))].map((type) => [type, pct(type)] as const),
      ),
      memoryMb: Math.round(cpu1.reduce((n, p) => n + pssMb(p.id), 0)),
      jsHeapMb: round1((metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1_048_576),
      videosDecoding: growing(media0.videoStreams, media1.videoStreams),
      videoFramesDecodedPerSec: round1((media1.videoFramesDecoded - media0.videoFramesDecoded) / wallS),
      videoKbpsIn: Math.round(((media1.videoBytes - media0.videoBytes) * 8) / wallS / 1000),
      voicesReceiving: growing(media0.audioStreams, media1.audioStreams),
      audioElements: media1.audioElements,
      videoElements: media1.videoElements,
      ownFramesEncodedPerSec: round1((media1.framesEncoded - media0.framesEncoded) / wallS),
    };
    console.log(`  ${build.name}, ${view}:`, JSON.stringify(result));
    return result;
  } finally {
    await browser.close();
  }
}

type PhaseResult = Awaited<ReturnType<typeof measurePhase>>;

function mean(results: PhaseResult[], key: 'cpuPctOfOneCore' | 'memoryMb' | 'videoFramesDecodedPerSec') {
  return round1(results.reduce((n, r) => n + r[key], 0) / Math.max(1, results.length));
}

async function main() {
  console.log(
    `console benchmark: 14 video sites, ${seconds} s per phase, ${rounds} round(s) (${cpus().length} cores)`,
  );
  mkdirSync(cacheDir, { recursive: true });
  const builds: Build[] = [{ name: 'current', dir: join(root, 'client', 'dist') }];
  if (baseline) builds.unshift({ name: `baseline ${baseline}`, dir: clientAt(baseline) });
  serve(builds[builds.length - 1]?.dir ?? '');

  const { server } = await startBenchServer(served);
  const sites = await startToolProcess(fileURLToPath(new URL('./consoleSites.ts', import.meta.url)), [
    '--conditions=source',
  ]);
  try {
    const summit = demoSummit();
    await server.summits.put(summit);
    const delegations = summit.sessions.find((s) => s.id === sessionId)?.delegations ?? [];
    const others = delegations.filter((d) => d !== measured);
    if (others.length !== 13) throw new Error(`expected 14 sites in ${sessionId}`);

    console.log('  encoding the clip in Chromium…');
    const encoder = await launchChromium();
    const clip = await encodeClip(encoder, server.url).finally(() => encoder.close());

    const tokens = await Promise.all(others.map(async (d) => (await invite(server.url, d)).token));
    const { socketIds } = await sites.rpc.call<{ socketIds: string[] }>('connect', {
      url: server.url,
      sessionId,
      tokens,
    });
    const transports = await Promise.all(
      socketIds.map((peerId) =>
        server.mediaNode.createPlainTransport({ sessionId: nodeSession, peerId }, { direction: 'send' }),
      ),
    );
    await sites.rpc.call('produce', { transports: transports.map((t) => ({ id: t.id, port: t.port })) });
    await sites.rpc.call('send', { clip });
    await sites.rpc.call('chair', { site: others.indexOf(chair), floorTo: floorHolder });
    const { joinUrl } = await invite(server.url, measured);
    const consoleUrl = joinUrl.replace(/^http:\/\/[^/]+/, server.url);

    const results: PhaseResult[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const view of ['stage', 'gallery'] as const) {
        // Turn about, so that neither build always comes first after a change of load.
        const order = round % 2 === 0 ? builds : [...builds].reverse();
        for (const build of order) results.push(await measurePhase(build, view, consoleUrl));
      }
    }

    const summary = Object.fromEntries(
      builds.map((build) => [
        build.name,
        Object.fromEntries(
          (['stage', 'gallery'] as const).map((view) => {
            const of = results.filter((r) => r.build === build.name && r.view === view);
            return [
              view,
              {
                cpuPctOfOneCore: mean(of, 'cpuPctOfOneCore'),
                memoryMb: mean(of, 'memoryMb'),
                videoFramesDecodedPerSec: mean(of, 'videoFramesDecodedPerSec'),
              },
            ];
          }),
        ),
      ]),
    );
    const result = {
      date: new Date().toISOString(),
      cores: cpus().length,
      loadAverage: loadavg().map(round1),
      sites: delegations.length,
      viewport,
      secondsPerPhase: seconds,
      rounds,
      summary,
      phases: results,
    };
    console.log('summary:', JSON.stringify(summary, null, 2));
    const dir = join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'console.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('saved bench/results/console.json');
  } finally {
    await sites.stop();
    await server.close();
    rmSync(join(served, '..'), { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
