// Recording a session with real WebRTC peers, as the Done-when asks: Indonesia (a 440 Hz tone)
// and Singapore (660 Hz) send sound and a camera that beep and flash white in the first 200 ms of
// every wall-clock second; the chair starts the recording, gives the floor to one then the other,
// stops it. The files are read back with FFmpeg: codecs and durations, each tone where its
// speaker had the floor, the flashes against the beeps, the record of the meeting pointing into it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RecordingSummary } from '@summit-bridge/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFileLink } from '../src/recording/fileLinks.js';
import { joinWithMedia, type MediaParticipant } from './support/mediaParticipant.js';
import { startTestServer, type TestServer } from './support/testServer.js';

const sessionId = 'som';
const MARK_MS = 200;
let server: TestServer;
let chair: MediaParticipant;
let indonesia: MediaParticipant;
let singapore: MediaParticipant;
let interpreter: MediaParticipant;
let secretariat: string;
let recordingDir: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  recordingDir = mkdtempSync(join(tmpdir(), 'sb-recording-test-'));
  server = await startTestServer({ RECORDING_DIR: recordingDir, LOG_LEVEL: process.env.REC_LOG ?? 'error' });
  const token = (role: 'chair' | 'head_of_delegation', delegation: string) =>
    server.invite({ role, delegation, sessions: [sessionId] });
  chair = await joinWithMedia(server.url, await token('chair', 'VNM'), sessionId);
  indonesia = await joinWithMedia(server.url, await token('head_of_delegation', 'IDN'), sessionId);
  singapore = await joinWithMedia(server.url, await token('head_of_delegation', 'SGP'), sessionId);
  secretariat = await server.invite({ role: 'secretariat', sessions: [sessionId] });
  interpreter = await joinWithMedia(
    server.url,
    await server.invite({ role: 'interpreter', booth: 'vi', sessions: [sessionId] }),
    sessionId,
  );
  await interpreter.publishAudio({ kind: 'audio', source: 'interpretation' }, { frequency: 880 });
  expect(await chair.client.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
  for (const [who, frequency] of [
    [indonesia, 440],
    [singapore, 660],
  ] as const) {
    await who.publishAudio(undefined, { frequency, markMs: MARK_MS });
    await who.publishVideo('camera', { markMs: MARK_MS });
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([chair, indonesia, singapore, interpreter].map((p) => p?.close()));
  await server?.close();
  if (recordingDir && !process.env.KEEP) rmSync(recordingDir, { recursive: true, force: true });
});

async function api(path: string, token = secretariat): Promise<Response> {
  return fetch(`${server.url}/api/v1/summits/asean-2020/sessions/${sessionId}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

async function recordings(): Promise<RecordingSummary[]> {
  const res = await api('/recordings');
  expect(res.status).toBe(200);
  return ((await res.json()) as { recordings: RecordingSummary[] }).recordings;
}

// FFmpeg runs beside the server, not in its stead: a synchronous call would stall this process,
// where the server runs too, and its idle connections would be closed under the next request.
const run = promisify(execFile);
const text = async (cmd: string, args: string[]) => (await run(cmd, args, { encoding: 'utf8' })).stdout;
const bytes = async (cmd: string, args: string[]) =>
  (await run(cmd, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })).stdout;

async function probe(file: string) {
  return JSON.parse(
    await text('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]),
  ) as { streams: { codec_name: string; codec_type: string }[]; format: { duration: string } };
}

const RATE = 8_000;

/** The sound of a file, mono at 8 kHz, each sample at its time in the file (gaps filled). */
async function pcm(file: string): Promise<Int16Array> {
  const raw = await bytes('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-vn',
    '-af',
    'aresample=async=1:first_pts=0',
    '-ac',
    '1',
    '-ar',
    String(RATE),
    '-f',
    's16le',
    '-',
  ]);
  return new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
}

/** Power of one frequency in a stretch of samples (Goertzel). */
function power(samples: Int16Array, from: number, to: number, frequency: number): number {
  const k = 2 * Math.cos((2 * Math.PI * frequency) / RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = Math.max(0, from); i < Math.min(samples.length, to); i++) {
    const s0 = (samples[i] ?? 0) + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

/** When beeps begin in the sound, in ms from its start: 10 ms windows going from quiet to loud. */
function beepOnsets(samples: Int16Array): number[] {
  const window = RATE / 100;
  const onsets: number[] = [];
  let loud = false;
  for (let w = 0; (w + 1) * window <= samples.length; w++) {
    let sum = 0;
    for (let i = w * window; i < (w + 1) * window; i++) sum += (samples[i] ?? 0) ** 2;
    const now = Math.sqrt(sum / window) > 1000;
    if (now && !loud) onsets.push(w * 10);
    loud = now;
  }
  return onsets;
}

/** When the picture turns white, in ms from the file's start (each frame at its own time). */
async function flashOnsets(file: string): Promise<number[]> {
  const times = (
    await text('ffprobe', [
      ...['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file],
    ])
  )
    .trim()
    .split('\n')
    .map(Number);
  const luma = await bytes('ffmpeg', [
    ...['-v', 'error', '-i', file, '-an', '-vf', 'scale=4:4,format=gray', '-fps_mode', 'passthrough'],
    ...['-f', 'rawvideo', '-'],
  ]);
  const onsets: number[] = [];
  let white = false;
  times.forEach((t, i) => {
    const frame = luma.subarray(i * 16, i * 16 + 16);
    const now = frame.reduce((a, b) => a + b, 0) / 16 > 128;
    if (now && !white) onsets.push(Math.round(t * 1000));
    white = now;
  });
  return onsets;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

describe('recording a session', () => {
  let summary: RecordingSummary;
  let startedAt = 0;
  let floorIdn = 0;
  let floorSgp = 0;
  let dir = '';

  it('is started by the chair only, shown in the state, and written while the floor changes twice', async () => {
    expect(await indonesia.client.request('recording:start', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const started = await chair.client.request('recording:start', {});
    if (!started.ok) throw new Error(started.error.message);
    expect(await chair.client.request('recording:start', {})).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    // Every console hears of it through the session's state.
    await expect
      .poll(() => indonesia.client.pushes('session:updated').at(-1)?.recording?.id)
      .toBe(started.recordingId);
    startedAt = indonesia.client.pushes('session:updated').at(-1)?.recording?.startedAt ?? 0;

    await sleep(1_500);
    floorIdn = Date.now();
    expect(await chair.client.request('floor:give', { delegation: 'IDN' })).toMatchObject({ ok: true });
    // The Vietnamese booth goes on air: its channel is recorded too.
    expect(await interpreter.client.request('booth:takeOver', {})).toMatchObject({ ok: true });
    await sleep(4_000);
    floorSgp = Date.now();
    expect(await chair.client.request('floor:give', { delegation: 'SGP' })).toMatchObject({ ok: true });
    await sleep(4_000);
    expect(await chair.client.request('recording:stop', {})).toMatchObject({ ok: true });
    await expect.poll(() => indonesia.client.pushes('session:updated').at(-1)?.recording).toBeNull();

    await expect
      .poll(async () => (await recordings())[0]?.composed ?? (await recordings())[0]?.composeError ?? null, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe('session.webm');
    [summary] = (await recordings()) as [RecordingSummary];
    expect(summary.id).toBe(started.recordingId);
    expect(summary.stopReason).toBe('requested');
    dir = join(recordingDir, 'asean-2020', sessionId, summary.id);
  }, 120_000);

  it('keeps one file per track, as sent, each starting when its speaker had the floor', async () => {
    const names = summary.tracks.map((t) => t.name.replace(/-[A-Za-z0-9]{8}(-t\d+)?$/, '$1')).sort();
    expect(names).toEqual(['floor-IDN', 'floor-SGP', 'interpretation-vi', 'stage-IDN-t1', 'stage-SGP-t1']);
    const channel = summary.tracks.find((t) => t.source === 'interpretation');
    expect(channel?.language).toBe('vi');
    expect(channel?.segments[0]?.packets).toBeGreaterThan(200);
    expect(
      (await probe(join(dir, channel?.segments[0]?.file ?? ''))).streams.map((s) => s.codec_name),
    ).toEqual(['opus']);
    for (const track of summary.tracks.filter((t) => t.source !== 'interpretation')) {
      const [segment] = track.segments;
      expect(track.segments).toHaveLength(1);
      const floorAt = track.delegation === 'IDN' ? floorIdn : floorSgp;
      // A microphone held back until its floor starts with it. A camera is recorded from then, its
      // file from the first key frame asked for (a busy sender's encoder may take a second or two).
      const late = (segment?.startAt ?? 0) - floorAt;
      expect(late).toBeGreaterThan(-200);
      expect(late).toBeLessThan(track.kind === 'audio' ? 1_000 : 3_000);
      const info = await probe(join(dir, segment?.file ?? ''));
      expect(info.streams.map((s) => s.codec_name)).toEqual([track.kind === 'audio' ? 'opus' : 'vp8']);
    }
  });

  it('composes one file with each tone where its speaker had the floor', async () => {
    const file = join(dir, 'session.webm');
    const info = await probe(file);
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp8']);
    const duration = ((summary.stoppedAt ?? 0) - summary.startedAt) / 1000;
    expect(Number(info.format.duration)).toBeCloseTo(duration, 0);
    const sound = await pcm(file);
    const beeps = beepOnsets(sound);
    const at = (ms: number) => Math.round((ms * RATE) / 1000);
    const idnBeeps = beeps.filter((b) => b + startedAt > floorIdn + 300 && b + startedAt < floorSgp - 300);
    const sgpBeeps = beeps.filter((b) => b + startedAt > floorSgp + 300);
    expect(beeps.filter((b) => b + startedAt < floorIdn - 100)).toEqual([]);
    expect(idnBeeps.length).toBeGreaterThanOrEqual(3);
    expect(sgpBeeps.length).toBeGreaterThanOrEqual(3);
    for (const b of idnBeeps)
      expect(power(sound, at(b), at(b + 150), 440)).toBeGreaterThan(
        10 * power(sound, at(b), at(b + 150), 660),
      );
    for (const b of sgpBeeps)
      expect(power(sound, at(b), at(b + 150), 660)).toBeGreaterThan(
        10 * power(sound, at(b), at(b + 150), 440),
      );
    // Beeps were made at the turn of each wall-clock second: the file puts them there.
    const lateness = [...idnBeeps, ...sgpBeeps]
      .map((b) => (b + startedAt) % 1000)
      .map((ms) => (ms > 500 ? ms - 1000 : ms));
    console.log(`beeps after the turn of the second: ${lateness.join(', ')} ms`);
    expect(Math.abs(median(lateness))).toBeLessThan(150);
  });

  it('lines up each speaker’s picture with its sound within 100 ms', async () => {
    for (const delegation of ['IDN', 'SGP']) {
      const audio = summary.tracks.find((t) => t.kind === 'audio' && t.delegation === delegation);
      const video = summary.tracks.find((t) => t.kind === 'video' && t.delegation === delegation);
      const a = audio?.segments[0];
      const v = video?.segments[0];
      if (!a?.startAt || !v?.startAt) throw new Error(`no segments for ${delegation}`);
      const beeps = beepOnsets(await pcm(join(dir, a.file))).map((ms) => ms + (a.startAt ?? 0));
      const flashes = (await flashOnsets(join(dir, v.file))).map((ms) => ms + (v.startAt ?? 0));
      expect(beeps.length).toBeGreaterThanOrEqual(2);
      expect(flashes.length).toBeGreaterThanOrEqual(2);
      const drift = flashes
        .map((f) => beeps.reduce((best, b) => (Math.abs(f - b) < Math.abs(f - best) ? b : best)) - f)
        .filter((d) => Math.abs(d) < 500);
      expect(drift.length).toBeGreaterThanOrEqual(2);
      console.log(`${delegation}: sound after picture by ${median(drift)} ms (${drift.join(', ')})`);
      expect(Math.abs(median(drift))).toBeLessThan(100);
    }
  });

  it('indexes each intervention of the record of the meeting into the recording', async () => {
    const res = await api('/record');
    const { record } = (await res.json()) as {
      record: { items: { kind: string; delegation: string | null; detail: Record<string, unknown> }[] };
    };
    const interventions = record.items.filter((i) => i.kind === 'intervention');
    for (const [delegation, floorAt] of [
      ['IDN', floorIdn],
      ['SGP', floorSgp],
    ] as const) {
      const item = interventions.find((i) => i.delegation === delegation);
      const pointer = item?.detail.recording as { recordingId: string; offsetMs: number } | undefined;
      expect(pointer?.recordingId).toBe(summary.id);
      expect(Math.abs((pointer?.offsetMs ?? 0) - (floorAt - startedAt))).toBeLessThan(300);
    }
    expect(record.items.filter((i) => i.kind === 'recording')).toHaveLength(2);
  });

  it('serves files to the secretariat and the chair only, and no directory', async () => {
    const file = `/recordings/${summary.id}/files/session.webm`;
    const whole = await api(file);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toContain('video/webm');
    const ranged = await fetch(`${server.url}/api/v1/summits/asean-2020/sessions/${sessionId}${file}`, {
      headers: { authorization: `Bearer ${secretariat}`, range: 'bytes=0-99' },
    });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    const delegate = await server.invite({
      role: 'head_of_delegation',
      delegation: 'IDN',
      sessions: [sessionId],
    });
    expect((await api(file, delegate)).status).toBe(403);
    expect((await api('/recordings', delegate)).status).toBe(403);
    expect((await api(`/recordings/${summary.id}/files/..%2Frecording.json`)).status).toBe(404);
    expect((await api(`/recordings/${summary.id}/files/`)).status).toBe(404);
    expect((await api('/recordings/r0000000000/files/session.webm')).status).toBe(404);
  });

  it('gives a link to one file that a player streams by range without the token, and no other', async () => {
    const base = `${server.url}/api/v1/summits/asean-2020/sessions/${sessionId}/recordings/${summary.id}/files`;
    const linkFor = (file: string, token: string) =>
      fetch(`${base}/${file}/link`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const reader = await server.invite({ role: 'chair', delegation: 'VNM', sessions: [sessionId] });
    const made = await linkFor('session.webm', reader);
    expect(made.status).toBe(200);
    expect(made.headers.get('cache-control')).toBe('no-store');
    const { url, expiresAt } = (await made.json()) as { url: string; expiresAt: number };
    expect(
      url.startsWith(
        `/api/v1/summits/asean-2020/sessions/${sessionId}/recordings/${summary.id}/files/session.webm?link=`,
      ),
    ).toBe(true);
    // Two hours to play, not more.
    expect(expiresAt - Date.now()).toBeGreaterThan(119 * 60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(120 * 60_000);

    // What a <video> sends: no Authorization, a Range.
    const ranged = await fetch(`${server.url}${url}`, { headers: { range: 'bytes=0-3' } });
    expect(ranged.status).toBe(206);
    expect([...new Uint8Array(await ranged.arrayBuffer())]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);

    // The link is for that file only, and cannot be made up or changed.
    const link = new URL(url, server.url).searchParams.get('link') ?? '';
    const track = summary.tracks[0]?.segments[0]?.file ?? '';
    expect(track).not.toBe('');
    const other = await fetch(`${base}/${track}?link=${link}`);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const [body, mac] = link.split('.');
    const tampered = `${Buffer.from(
      Buffer.from(body ?? '', 'base64url')
        .toString()
        .replace('session.webm', track),
    ).toString('base64url')}.${mac}`;
    expect((await fetch(`${base}/${track}?link=${tampered}`)).status).toBe(401);
    expect((await fetch(`${base}/session.webm?link=not-a-link`)).status).toBe(401);
    const expired = signFileLink(
      {
        summitId: 'asean-2020',
        sessionId,
        recordingId: summary.id,
        file: 'session.webm',
        exp: Date.now() - 1,
        by: null,
      },
      server.jwtSecret,
    );
    const late = await fetch(`${base}/session.webm?link=${expired}`);
    expect(late.status).toBe(401);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    // A participant token is not a link, nor a link a token.
    expect((await fetch(`${base}/session.webm?link=${reader}`)).status).toBe(401);
    expect((await api(`/recordings/${summary.id}/files/session.webm`, link)).status).toBe(401);

    // Only who may read the recordings gets a link, and only to a file that exists.
    const delegate = await server.invite({
      role: 'head_of_delegation',
      delegation: 'IDN',
      sessions: [sessionId],
    });
    expect((await linkFor('session.webm', delegate)).status).toBe(403);
    expect((await linkFor('absent.webm', reader)).status).toBe(404);
    expect((await linkFor('..%2Frecording.json', reader)).status).toBe(404);

    // A link dies with the token that asked for it.
    const { jti } = JSON.parse(Buffer.from(reader.split('.')[1] ?? '', 'base64url').toString()) as {
      jti: string;
    };
    const revoke = await fetch(`${server.url}/api/v1/summits/asean-2020/invitations/${jti}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(revoke.status).toBe(200);
    expect((await fetch(`${server.url}${url}`, { headers: { range: 'bytes=0-3' } })).status).toBe(401);
  });

  it('composes the one file again on request, for the secretariat and the chair only', async () => {
    const compose = (id: string, token: string) =>
      fetch(`${server.url}/api/v1/summits/asean-2020/sessions/${sessionId}/recordings/${id}/compose`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
    const delegate = await server.invite({
      role: 'head_of_delegation',
      delegation: 'IDN',
      sessions: [sessionId],
    });
    expect((await compose(summary.id, delegate)).status).toBe(403);
    expect((await compose('r0000000000', secretariat)).status).toBe(404);
    const res = await compose(summary.id, secretariat);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { recording: RecordingSummary }).recording).toMatchObject({
      id: summary.id,
      composed: 'session.webm',
      composeError: null,
    });
    expect((await probe(join(dir, 'session.webm'))).streams.map((s) => s.codec_name).sort()).toEqual([
      'opus',
      'vp8',
    ]);
  });
});
