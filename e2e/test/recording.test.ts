// Recording end to end, in Chromium with fake devices: the chair starts recording SOM and every
// console shows it; Brunei, camera and microphone on, takes the floor and speaks; the chair stops
// it; the secretariat's console lists the recording once composed, with Brunei's tracks; through
// the HTTP API the secretariat reads the tracks and the composed WebM (with Range), and a
// delegation is refused. Real server, real media node, mediasoup worker and FFmpeg.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordingSummary } from '@summit-bridge/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoMeeting, type Participant, waitForMic } from '../src/consoles.js';

const som = "ASEAN Senior Officials' Meeting (SOM)";
const summitId = 'asean-2020';
const adminToken = 'e2e-admin-token-for-the-recording';
const BRN = 'Brunei Darussalam';

let demo: DemoMeeting;
let recordingDir: string;
let chair: Participant;
let brunei: Participant;
let secretariat: Participant;
let sessionId: string;
let secretariatToken: string;

beforeAll(async () => {
  recordingDir = mkdtempSync(join(tmpdir(), 'summit-e2e-recordings-'));
  demo = await DemoMeeting.start({ SUMMIT_ADMIN_TOKEN: adminToken, RECORDING_DIR: recordingDir });
});

afterAll(async () => {
  await demo?.close();
  if (recordingDir) rmSync(recordingDir, { recursive: true, force: true });
});

afterEach(() => {
  for (const participant of demo.opened) expect(participant.uncaught, participant.label).toEqual([]);
});

/** The token a join link carries in its fragment (`#token=…`). */
const tokenOf = (joinUrl: string) => new URLSearchParams(new URL(joinUrl).hash.slice(1)).get('token') ?? '';

/** The header's "Recording" status, named only while the session is recorded. */
const indicator = (p: Participant) =>
  p.page.getByRole('status', { name: /^This session is being recorded, \d{2}:\d{2}$/ });

const recordingsList = (p: Participant) =>
  p.page.getByRole('list', { name: 'Recordings of this session' }).getByRole('listitem').first();

/** The session's recordings API, as a participant holding `token` calls it. */
function api(path: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${demo.app.url}/api/v1/summits/${summitId}/sessions/${sessionId}/recordings${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

describe('recording a session', () => {
  // Three pages load at once on a busy machine: a first load alone may take a minute.
  it('is started by the chair and shown on every console; a delegate has no recording controls', {
    timeout: 180_000,
  }, async () => {
    sessionId = await demo.sessionId(som);
    const { joinUrl } = await demo.admin<{ joinUrl: string }>('POST', `/summits/${summitId}/invitations`, {
      name: 'Secretariat',
      delegation: null,
      role: 'secretariat',
      sessions: [sessionId],
    });
    secretariatToken = tokenOf(joinUrl);

    [chair, brunei, secretariat] = await Promise.all([
      demo.join('Chair (Viet Nam)', som),
      demo.join(BRN, som),
      demo.openIssued('Secretariat', joinUrl).then(async (p) => {
        await demo.enter(p, null);
        await p.page.getByRole('region', { name: 'Recording', exact: true }).waitFor({ timeout: 20_000 });
        return p;
      }),
    ]);
    await expect
      .poll(() => secretariat.page.getByText('This session has not been recorded yet.').count())
      .toBe(1);

    // Brunei's head of delegation sends microphone and camera (the fake devices).
    await brunei.button('Turn off microphone').waitFor({ timeout: 20_000 });
    await brunei.button('Turn off camera').waitFor({ timeout: 20_000 });

    await chair.button('Open the session').click();
    await expect.poll(() => brunei.page.getByRole('banner').textContent()).toMatch(/Session\s*Open/);
    for (const p of [chair, brunei, secretariat]) expect(await indicator(p).count()).toBe(0);

    const start = chair.button('Start recording');
    await expect.poll(() => start.isEnabled()).toBe(true);
    await start.click();
    for (const p of [chair, brunei, secretariat]) await indicator(p).waitFor({ timeout: 20_000 });
    expect(await indicator(brunei).textContent()).toContain('Recording');
    await expect.poll(() => secretariat.page.getByText('Recording, started by Viet Nam.').count()).toBe(1);
    // The chair and the secretariat may stop it; the delegate is shown neither control.
    await chair.button('Stop recording').waitFor({ timeout: 20_000 });
    await secretariat.button('Stop recording').waitFor({ timeout: 20_000 });
    expect(await brunei.button('Start recording').count()).toBe(0);
    expect(await brunei.button('Stop recording').count()).toBe(0);
  });

  it('records Brunei on the floor, then the chair stops it: the indicator goes', async () => {
    await chair.button(`Give the floor to ${BRN}`).click();
    await expect.poll(() => brunei.floor().textContent()).toContain('You have the floor');
    // Brunei's voice flows through the SFU (the chair hears it) before the time it is recorded for.
    const mic = await waitForMic(brunei, [chair, secretariat]);
    await expect.poll(() => chair.receiving(mic)).toBe(true);
    await brunei.page.waitForTimeout(4_000);

    await chair.button('Stop recording').click();
    await chair.button('Confirm: stop recording').click();
    await expect.poll(() => indicator(brunei).count()).toBe(0);
    await expect.poll(() => indicator(secretariat).count()).toBe(0);
    await chair.button('Start recording').waitFor({ timeout: 20_000 });
  });

  it('is listed for the secretariat once composed, with Brunei’s tracks, and plays; the API serves it by range', {
    timeout: 240_000,
  }, async () => {
    // The panel asks again every 2 s for a minute after the stop, until the composed file (or why
    // it could not be made) is named; the media node first waits for every track's file.
    const item = recordingsList(secretariat);
    const play = item.getByRole('button', { name: /^Play the recording started / });
    const failed = item.getByText(/could not be made/);
    await play.or(failed).waitFor({ timeout: 90_000 });
    expect(await failed.count(), (await failed.allTextContents()).join()).toBe(0);

    // Brunei's tracks: its microphone on the floor, its camera on the stage while it spoke.
    await item.getByText(/^Separate tracks \(\d+\)$/).click();
    const tracks = await item.getByRole('listitem').allTextContents();
    expect(
      tracks.some((text) => text.includes(`Floor, ${BRN} (audio)`)),
      tracks.join('\n'),
    ).toBe(true);
    expect(
      tracks.some((text) => text.includes(`Stage, ${BRN} (video)`)),
      tracks.join('\n'),
    ).toBe(true);

    const response = await api('', secretariatToken);
    expect(response.status).toBe(200);
    const { recordings } = (await response.json()) as { recordings: RecordingSummary[] };
    expect(recordings).toHaveLength(1);
    const [recording] = recordings;
    if (!recording) throw new Error('no recording listed');
    expect(recording.composed).toBe('session.webm');
    expect(recording.composeError).toBeNull();
    expect(recording.stopReason).toBe('requested');
    const described = JSON.stringify(recording.tracks);
    const packetsOf = (source: string, kind: string) =>
      recording.tracks
        .filter((t) => t.source === source && t.kind === kind && t.delegation === 'BRN')
        .flatMap((t) => t.segments.map((s) => s.packets));
    // Opus sends 50 packets a second: over 4 s on the floor, far more than 50.
    expect(
      packetsOf('floor', 'audio').some((n) => n > 50),
      described,
    ).toBe(true);
    expect(
      packetsOf('stage', 'video').some((n) => n > 0),
      described,
    ).toBe(true);

    const head = await api(`/${recording.id}/files/session.webm`, secretariatToken, { range: 'bytes=0-3' });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toMatch(/^bytes 0-3\/\d+$/);
    // The EBML magic that opens every WebM file.
    expect([...new Uint8Array(await head.arrayBuffer())]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);

    // The secretariat plays it: the browser reads it as a video as long as the recording ran.
    await play.click();
    const video = secretariat.page.getByLabel(/^Recording started /);
    await video.waitFor({ timeout: 60_000 });
    // Streamed from the server through a link (the player's own range requests), not a copy in memory.
    expect(await video.getAttribute('src')).toMatch(
      new RegExp(
        `^/api/v1/summits/[^/]+/sessions/[^/]+/recordings/${recording.id}/files/session\\.webm\\?link=`,
      ),
    );
    const seconds = ((recording.stoppedAt ?? 0) - recording.startedAt) / 1000;
    await expect
      .poll(() => video.evaluate((v) => (v as unknown as { duration: number }).duration || 0), {
        timeout: 30_000,
      })
      .toBeGreaterThan(seconds - 2);
    expect(await video.evaluate((v) => (v as unknown as { duration: number }).duration)).toBeLessThan(
      seconds + 2,
    );
  });

  it('refuses the recordings to a delegation', async () => {
    const token = tokenOf(demo.link(BRN));
    const list = await api('', token);
    expect(list.status).toBe(403);
    const { recordings } = (await (await api('', secretariatToken)).json()) as {
      recordings: RecordingSummary[];
    };
    const file = await api(`/${recordings[0]?.id}/files/session.webm`, token);
    expect(file.status).toBe(403);
    expect(await brunei.page.getByRole('region', { name: 'Recording', exact: true }).count()).toBe(0);
  });
});
