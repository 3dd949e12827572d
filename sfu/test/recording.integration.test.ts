// Recording on the media node with a real WebRTC peer: its tone and its slides are written by
// FFmpeg without re-encoding, each track to its own WebM file, repaired by NACK when packets are
// lost on the way to the recorder, a recorder process that dies is started again into a new file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodePeer } from '@summit-bridge/testkit/node-peer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalMediaNode, type LocalMediaNode, type RtpCapabilitiesData } from '../src/index.js';
import { peer } from './support.js';

const session = 'asean/plenary';
const delegate = peer(session, 'delegate');
const root = mkdtempSync(join(tmpdir(), 'sb-recording-'));

let node: LocalMediaNode;
let client: NodePeer;
let audio: string;
let video: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function probe(file: string) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as {
    streams: { codec_name: string; codec_type: string; width?: number }[];
    format: { duration?: string };
  };
}

beforeAll(async () => {
  node = await createLocalMediaNode({ workers: 1, recordingDir: root, recordingDropRate: 0.05 });
  await node.openSession(session);
  client = await NodePeer.start({
    transportConnect: ({ transportId, dtlsParameters }) =>
      node.connectTransport(delegate, transportId, dtlsParameters as never),
    produce: async ({ transportId, kind, rtpParameters }) => {
      const { producerId } = await node.produce(delegate, transportId, {
        kind,
        rtpParameters: rtpParameters as never,
      });
      return { id: producerId };
    },
  });
  await client.call<{ rtpCapabilities: RtpCapabilitiesData }>('load', {
    routerRtpCapabilities: await node.routerRtpCapabilities(session),
  });
  const send = await node.createTransport(delegate, { direction: 'send' });
  await client.call('createSendTransport', send);
  ({ id: audio } = await client.call<{ id: string }>('produceAudio', { transportId: send.id }));
  ({ id: video } = await client.call<{ id: string }>('produceVideo', { transportId: send.id }));
}, 60_000);

afterAll(async () => {
  await client?.close();
  await node?.close();
  if (!process.env.KEEP) rmSync(root, { recursive: true, force: true });
});

const track = (producerId: string, kind: 'audio' | 'video', name: string) => ({
  recordingId: 'r0000001',
  name,
  source: kind === 'audio' ? ('floor' as const) : ('stage' as const),
  kind,
  producerId,
  delegation: 'IDN',
  language: null,
});

describe('recording on the media node', () => {
  it('writes the tone and the slides without re-encoding, repaired under 5 % loss, aligned by sender reports', async () => {
    const started = Date.now();
    await node.startRecorder(session, track(audio, 'audio', 'floor-IDN'));
    await node.startRecorder(session, track(video, 'video', 'stage-IDN'));
    await sleep(6_000);
    const tracks = await node.stopRecording(session, 'r0000001');
    expect(tracks.map((t) => t.name).sort()).toEqual(['floor-IDN', 'stage-IDN']);
    const dir = join(root, 'asean', 'plenary', 'r0000001');
    for (const t of tracks) {
      const [segment] = t.segments;
      if (!segment) throw new Error('no segment');
      // Started within a second of the request, by the node's clock through its sender reports.
      expect(segment.startAt).not.toBeNull();
      expect(Math.abs((segment.startAt ?? 0) - started)).toBeLessThan(1_500);
      expect(segment.packets).toBeGreaterThan(t.kind === 'audio' ? 200 : 20);
      // One in 20 first transmissions dropped on the way in. Video is asked for again and comes
      // back; Opus from a browser has no NACK (its FEC is in-band): its holes stay in the file.
      if (t.kind === 'video') {
        expect(segment.repaired).toBeGreaterThan(0);
        expect(segment.lost).toBe(0);
      } else {
        expect(segment.repaired).toBe(0);
        expect(segment.lost / (segment.packets + segment.lost)).toBeCloseTo(0.05, 1);
      }
      const info = probe(join(dir, segment.file));
      const stream = info.streams[0];
      expect(stream?.codec_name).toBe(t.kind === 'audio' ? 'opus' : 'vp8');
      if (t.kind === 'video') expect(stream?.width).toBe(640);
      expect(Number(info.format.duration)).toBeGreaterThan(4);
      // Playable to the end: it decodes without an error.
      const decoded = execFileSync(
        'ffmpeg',
        ['-v', 'error', '-i', join(dir, segment.file), '-f', 'null', '-'],
        {
          encoding: 'utf8',
        },
      );
      expect(decoded).toBe('');
    }
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['floor-IDN.json', 'stage-IDN.json']));
  });

  it('starts a recorder process that died again, into a new file, and keeps the gap', async () => {
    const restarts: string[] = [];
    node.on('recorderRestarted', (e) => restarts.push(e.track.name));
    await node.startRecorder(session, { ...track(audio, 'audio', 'restart-IDN'), recordingId: 'r0000002' });
    await sleep(2_000);
    execFileSync('pkill', ['-9', '-f', 'restart-IDN-1.sdp']);
    await expect.poll(() => restarts, { timeout: 10_000 }).toEqual(['restart-IDN']);
    await sleep(2_000);
    const recorded = await node.stopRecorder(session, 'r0000002', audio);
    const [first, second] = recorded?.segments ?? [];
    expect(recorded?.segments).toHaveLength(2);
    expect(second?.file).toBe('restart-IDN-2.webm');
    // The gap is there: the second segment starts after the first ended.
    expect(second?.startAt ?? 0).toBeGreaterThan(first?.endAt ?? Number.POSITIVE_INFINITY);
    const info = probe(join(root, 'asean', 'plenary', 'r0000002', second?.file ?? ''));
    expect(Number(info.format.duration)).toBeGreaterThan(1);
  });

  it('ends a file when a microphone is held back a while, and starts the next with its next sound', async () => {
    await node.startRecorder(session, { ...track(audio, 'audio', 'held-IDN'), recordingId: 'r0000003' });
    await sleep(2_000);
    await node.pauseProducer(delegate, audio);
    // FFmpeg's RTP input gives up after about 10 s without a packet.
    await sleep(12_000);
    const resumed = Date.now();
    await node.resumeProducer(delegate, audio);
    await sleep(2_000);
    const recorded = await node.stopRecorder(session, 'r0000003', audio);
    const [first, second] = recorded?.segments ?? [];
    expect(recorded?.segments).toHaveLength(2);
    expect(first?.endedBy).toBe('silence');
    expect(second?.endedBy).toBe('stop');
    // The next sound is in the next file from its first packet: none lost while FFmpeg started.
    expect(Math.abs((second?.startAt ?? 0) - resumed)).toBeLessThan(500);
    expect(second?.packets).toBeGreaterThan(80);
    const dir = join(root, 'asean', 'plenary', 'r0000003');
    expect(readdirSync(dir).filter((f) => f.endsWith('.webm'))).toEqual([
      'held-IDN-1.webm',
      'held-IDN-2.webm',
    ]);
  }, 60_000);
});
