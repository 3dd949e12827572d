// @vitest-environment jsdom
// Playing an intervention from the record of the meeting: the record's recorded interventions get a
// Play button that opens the session's composed file where the intervention starts; the file is
// fetched once per recording, with the token, and freed when the record closes.
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

// jsdom has neither object URLs nor playback.
const createObjectURL = vi.fn((_: Blob) => 'blob:session-r1');
const revokeObjectURL = vi.fn((_: string) => undefined);
const play = vi.fn(async () => undefined);
beforeEach(() => {
  Object.assign(URL, { createObjectURL, revokeObjectURL });
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(play);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  createObjectURL.mockClear();
  revokeObjectURL.mockClear();
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

/** The server: the record, the recordings, and the composed file's bytes. */
function answerServer() {
  const fetch = vi.fn(async (url: string, _init?: RequestInit) => {
    if (url === `${path}/record`) return Response.json({ record });
    if (url === `${path}/recordings`) return Response.json({ recordings });
    // A string body: jsdom's Blob is not the one Node's Response reads.
    if (url === filePath) return new Response('webm', { headers: { 'Content-Type': 'video/webm' } });
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

  it('opens the composed file where the intervention starts, fetched once for the recording', async () => {
    const server = answerServer();
    mount(<DelegateConsole />, people.secretariat);
    const items = await openRecord();

    fireEvent.click(within(line(items, 'Indonesia speaks')).getByRole('button', { name: /^Play Indonesia/ }));
    const video = await within(line(items, 'Indonesia speaks')).findByLabelText(/^Recording started/);
    if (!(video instanceof HTMLVideoElement)) throw new Error('not a video');
    expect(video.getAttribute('src')).toBe('blob:session-r1');
    // Seeking waits for the metadata (the duration); then it plays.
    expect(play).not.toHaveBeenCalled();
    fireEvent.loadedMetadata(video);
    expect(video.currentTime).toBe(754);
    expect(play).toHaveBeenCalledTimes(1);
    expect(server.fetch.mock.calls.find(([url]) => url === filePath)?.[1]?.headers).toEqual({
      Authorization: 'Bearer tok',
    });

    // Another intervention of the same recording: its player replaces the first, from the same bytes.
    fireEvent.click(
      within(line(items, 'Philippines speaks')).getByRole('button', { name: /^Play Philippines/ }),
    );
    const other = await within(line(items, 'Philippines speaks')).findByLabelText(/^Recording started/);
    fireEvent.loadedMetadata(other);
    expect((other as HTMLVideoElement).currentTime).toBe(60);
    expect(videos()).toEqual([other]);
    expect(server.callsTo(filePath)).toBe(1);
    expect(createObjectURL).toHaveBeenCalledTimes(1);

    // Closing the record frees the bytes.
    expect(revokeObjectURL).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Close the record' }));
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:session-r1');
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
    expect(server.callsTo(`${path}/recordings/${composing}/files/session.webm`)).toBe(0);
  });
});

describe('the composed files already fetched', () => {
  const source = { token: 'tok', summitId: 'asean-2020', sessionId: 'som' };

  it('are fetched once per recording, even when asked for together', async () => {
    const server = answerServer();
    const urls = new RecordingUrls();
    const [a, b] = await Promise.all([
      urls.get(source, composed, 'session.webm'),
      urls.get(source, composed, 'session.webm'),
    ]);
    expect(a).toBe('blob:session-r1');
    expect(b).toBe(a);
    expect(await urls.get(source, composed, 'session.webm')).toBe(a);
    expect(server.callsTo(filePath)).toBe(1);
  });

  it('are not kept when the download failed: the next Play tries again', async () => {
    const server = answerServer();
    server.fetch.mockImplementationOnce(async () =>
      Response.json({ error: { code: 'unavailable', message: 'busy' } }, { status: 503 }),
    );
    const urls = new RecordingUrls();
    await expect(urls.get(source, composed, 'session.webm')).rejects.toThrow('busy');
    expect(await urls.get(source, composed, 'session.webm')).toBe('blob:session-r1');
    expect(server.callsTo(filePath)).toBe(2);
  });

  it('are freed, and a download under way stopped, when cleared', async () => {
    answerServer();
    const urls = new RecordingUrls();
    await urls.get(source, composed, 'session.webm');
    let signal: AbortSignal | undefined;
    vi.stubGlobal(
      'fetch',
      vi.fn((_url: string, init?: RequestInit) => {
        signal = init?.signal ?? undefined;
        return new Promise<Response>(() => undefined);
      }),
    );
    const pending = urls.get(source, composing, 'session.webm');
    urls.clear();
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:session-r1');
    expect(signal?.aborted).toBe(true);
    void pending.catch(() => undefined);
  });
});
