// @vitest-environment jsdom
// Playing an intervention from the record of the meeting: the record's recorded interventions get a
// Play button that opens the session's composed file where the intervention starts; the player
// streams it from the server through a link asked for once per file, with the token, and a link
// that expired while open is replaced where the player was.
import type {
  MeetingRecord,
  ProceedingsState,
  RecordItem,
  RecordingSummary,
  Snapshot,
} from '@summit-bridge/protocol';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChairConsole, DelegateConsole } from '../src/features/consoles/Consoles.js';
import type { ProceedingsFeed } from '../src/features/proceedings/ProceedingsFeed.js';
import { RecordingUrls } from '../src/features/recording/recordingUrls.js';
import { type SessionApi, SessionProvider } from '../src/features/session/SessionContext.js';
import { fromSnapshot } from '../src/features/session/sessionReducer.js';
import { initI18n } from '../src/i18n/index.js';
import { Notices } from '../src/shared/notices.js';
import { Store } from '../src/shared/store.js';
import { snapshot } from './fixtures.js';

beforeAll(() => initI18n('en'));

// jsdom has no playback.
const play = vi.fn(async () => undefined);
beforeEach(() => {
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(play);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  play.mockClear();
});

const composed = 'r1a2b3c4d';
const composing = 'r5e6f7g8h';
const recordings: RecordingSummary[] = [
  {
    id: composed,
    startedAt: Date.UTC(2020, 3, 9, 2, 0, 0),
    stoppedAt: Date.UTC(2020, 3, 9, 2, 30, 0),
    stopReason: 'requested',
    tracks: [],
    composed: 'session.webm',
    composeError: null,
  },
  {
    id: composing,
    startedAt: Date.UTC(2020, 3, 9, 3, 0, 0),
    stoppedAt: Date.UTC(2020, 3, 9, 3, 10, 0),
    stopReason: 'requested',
    tracks: [],
    composed: null,
    composeError: null,
  },
];

const at = (minute: number) => {
  const time = Date.UTC(2020, 3, 9, 2, minute, 0);
  return { at: time, utc: new Date(time).toISOString(), local: `09:${String(minute).padStart(2, '0')}` };
};
const intervention = (
  minute: number,
  delegation: string | null,
  text: string,
  recording?: { recordingId: string; offsetMs: number },
): RecordItem => ({
  time: at(minute),
  kind: 'intervention',
  delegation,
  text,
  detail: { kind: 'speak', durationMs: 60_000, ...(recording ? { recording } : {}) },
});

const record: MeetingRecord = {
  format: 'summit-bridge.record/1',
  summit: { id: 'asean-2020', title: 'ASEAN 2020' },
  session: { id: 'som', title: 'SOM' },
  hostTimeZone: 'Asia/Ho_Chi_Minh',
  generatedAt: at(59),
  attendance: [],
  items: [
    {
      time: at(0),
      kind: 'recording',
      delegation: null,
      text: 'The recording of the session starts.',
      detail: {},
    },
    intervention(1, 'PHL', 'Philippines speaks, 1 min.', { recordingId: composed, offsetMs: 60_000 }),
    intervention(12, 'IDN', 'Indonesia speaks, 1 min.', { recordingId: composed, offsetMs: 754_000 }),
    intervention(40, 'KHM', 'Cambodia speaks, 1 min.'),
    intervention(61, null, 'The chair speaks, 1 min.', { recordingId: composing, offsetMs: 60_000 }),
  ],
};

const path = '/api/v1/summits/asean-2020/sessions/som';
const filePath = `${path}/recordings/${composed}/files/session.webm`;

const HOUR = 3600_000;

/** The server: the record, the recordings, and links to the composed file (`link-1`, `link-2`…). */
function answerServer(lifetimeMs = 2 * HOUR) {
  let links = 0;
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === `${path}/record`) return Response.json({ record });
    if (url === `${path}/recordings`) return Response.json({ recordings });
    if (url === `${filePath}/link` && init?.method === 'POST') {
      links += 1;
      return Response.json({ url: `${filePath}?link=link-${links}`, expiresAt: Date.now() + lifetimeMs });
    }
    return Response.json({ error: { code: 'not_found', message: url } }, { status: 404 });
  });
  vi.stubGlobal('fetch', fetch);
  return {
    fetch,
    callsTo: (url: string) => fetch.mock.calls.filter(([called]) => called === url).length,
  };
}

const people = {
  secretariat: { participantId: 'sec', name: 'Secretariat', role: 'secretariat', delegation: 'ASEC' },
  chair: { participantId: 'chair-vnm', name: 'Chair', role: 'chair', delegation: 'VNM' },
} satisfies Record<string, Snapshot['you']>;

const proceedings: ProceedingsState = {
  sessionId: 'som',
  version: 1,
  documents: [],
  onScreen: null,
  adoptions: [],
  votes: [],
};

function mount(ui: React.ReactElement, you: Snapshot['you']) {
  const api: SessionApi = {
    live: fromSnapshot(snapshot({ you })),
    link: 'connected',
    now: () => Date.UTC(2020, 3, 9, 4, 0, 0),
    request: async () => null,
    media: null,
    notices: new Notices(),
    lobby: null,
    desk: null,
    proceedings: { store: new Store<ProceedingsState | null>(proceedings) } as unknown as ProceedingsFeed,
    documents: { token: 'tok', summitId: 'asean-2020', sessionId: 'som' },
  };
  return render(<SessionProvider api={api}>{ui}</SessionProvider>);
}

/** Opens the record of the meeting, as the console shows it. */
async function openRecord() {
  fireEvent.click(screen.getByRole('link', { name: 'Record of the meeting' }));
  return screen.findByRole('list', { name: 'Proceedings of the session' });
}

const line = (items: HTMLElement, text: string) => {
  const found = within(items).getByText(text, { exact: false }).closest('li');
  if (!found) throw new Error(`no line ${text}`);
  return found;
};
const videos = () => [...document.querySelectorAll('video')];

describe('playing an intervention from the record of the meeting', () => {
  it('offers Play for an intervention the recording holds, and not for one it does not', async () => {
    answerServer();
    mount(<DelegateConsole />, people.secretariat);
    const items = await openRecord();

    const indonesia = within(line(items, 'Indonesia speaks')).getByRole('button', {
      name: 'Play Indonesia’s statement from 12:34 in the recording',
    });
    expect(indonesia.textContent).toBe('Play');
    expect(
      within(line(items, 'The chair speaks')).getByRole('button', {
        name: 'Play the chair’s statement from 01:00 in the recording',
      }),
    ).toBeTruthy();
    expect(within(line(items, 'Cambodia speaks')).queryByRole('button')).toBeNull();
    expect(within(line(items, 'recording of the session starts')).queryByRole('button')).toBeNull();
  });

  it('opens the composed file where the intervention starts, streamed through one link for the recording', async () => {
    const server = answerServer();
    mount(<DelegateConsole />, people.secretariat);
    const items = await openRecord();

    fireEvent.click(within(line(items, 'Indonesia speaks')).getByRole('button', { name: /^Play Indonesia/ }));
    const video = await within(line(items, 'Indonesia speaks')).findByLabelText(/^Recording started/);
    if (!(video instanceof HTMLVideoElement)) throw new Error('not a video');
    // The player reads the file from the server as it plays, not from a copy in memory.
    expect(video.getAttribute('src')).toBe(`${filePath}?link=link-1`);
    // Seeking waits for the metadata (the duration); then it plays.
    expect(play).not.toHaveBeenCalled();
    fireEvent.loadedMetadata(video);
    expect(video.currentTime).toBe(754);
    expect(play).toHaveBeenCalledTimes(1);
    expect(server.fetch.mock.calls.find(([url]) => url === `${filePath}/link`)?.[1]?.headers).toEqual({
      Authorization: 'Bearer tok',
    });

    // Another intervention of the same recording: its player replaces the first, on the same link.
    fireEvent.click(
      within(line(items, 'Philippines speaks')).getByRole('button', { name: /^Play Philippines/ }),
    );
    const other = await within(line(items, 'Philippines speaks')).findByLabelText(/^Recording started/);
    expect(other.getAttribute('src')).toBe(`${filePath}?link=link-1`);
    fireEvent.loadedMetadata(other);
    expect((other as HTMLVideoElement).currentTime).toBe(60);
    expect(videos()).toEqual([other]);
    expect(server.callsTo(`${filePath}/link`)).toBe(1);
  });

  it('asks for a new link when the player fails on an expired one, and goes on where it was', async () => {
    const server = answerServer(50);
    mount(<DelegateConsole />, people.secretariat);
    const items = await openRecord();
    fireEvent.click(within(line(items, 'Indonesia speaks')).getByRole('button', { name: /^Play Indonesia/ }));
    const video = (await within(line(items, 'Indonesia speaks')).findByLabelText(
      /^Recording started/,
    )) as HTMLVideoElement;
    fireEvent.loadedMetadata(video);
    video.currentTime = 800;
    await new Promise((resolve) => setTimeout(resolve, 60));
    // The next range the player asks for is refused: the link has expired.
    fireEvent.error(video);
    await waitFor(() => expect(video.getAttribute('src')).toBe(`${filePath}?link=link-2`));
    fireEvent.loadedMetadata(video);
    expect(video.currentTime).toBe(800);
    expect(server.callsTo(`${filePath}/link`)).toBe(2);
  });

  it('says the recording is still being prepared, and asks the list again, until it is composed', async () => {
    const server = answerServer();
    mount(<ChairConsole />, people.chair);
    const items = await openRecord();
    await waitFor(() => expect(server.callsTo(`${path}/recordings`)).toBeGreaterThan(0));
    const before = server.callsTo(`${path}/recordings`);

    fireEvent.click(within(line(items, 'The chair speaks')).getByRole('button', { name: /^Play the chair/ }));
    expect(
      await within(line(items, 'The chair speaks')).findByText('The recording is still being prepared.'),
    ).toBeTruthy();
    // Asked again within one poll period (2 s), however late a busy machine runs the timer.
    await waitFor(() => expect(server.callsTo(`${path}/recordings`)).toBe(before + 1), { timeout: 5_000 });
    expect(videos()).toEqual([]);
    expect(server.callsTo(`${path}/recordings/${composing}/files/session.webm/link`)).toBe(0);
  });
});

describe('the links already asked for', () => {
  const source = { token: 'tok', summitId: 'asean-2020', sessionId: 'som' };

  it('are asked for once per file, even when asked for together, while they have time left', async () => {
    const server = answerServer();
    let now = Date.now();
    const urls = new RecordingUrls(() => now);
    const [a, b] = await Promise.all([
      urls.get(source, composed, 'session.webm'),
      urls.get(source, composed, 'session.webm'),
    ]);
    expect(a.url).toBe(`${filePath}?link=link-1`);
    expect(b).toBe(a);
    expect(await urls.get(source, composed, 'session.webm')).toBe(a);
    expect(server.callsTo(`${filePath}/link`)).toBe(1);
    // Five minutes before it expires, a player would not have long: a new one is asked for.
    now = a.expiresAt - 5 * 60_000;
    expect((await urls.get(source, composed, 'session.webm')).url).toBe(`${filePath}?link=link-2`);
    expect(urls.expired(a)).toBe(false);
    now = a.expiresAt;
    expect(urls.expired(a)).toBe(true);
  });

  it('are not kept when the request failed: the next Play tries again', async () => {
    const server = answerServer();
    server.fetch.mockImplementationOnce(async () =>
      Response.json({ error: { code: 'unavailable', message: 'busy' } }, { status: 503 }),
    );
    const urls = new RecordingUrls();
    await expect(urls.get(source, composed, 'session.webm')).rejects.toThrow('busy');
    expect((await urls.get(source, composed, 'session.webm')).url).toBe(`${filePath}?link=link-1`);
    expect(server.callsTo(`${filePath}/link`)).toBe(2);
  });
});
