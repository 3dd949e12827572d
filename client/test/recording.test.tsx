// @vitest-environment jsdom
// Recording in the consoles: the indicator everyone sees, the chair's and the secretariat's
// buttons, and the list of recordings read over HTTP with the participant's token.
import type {
  RecordingState,
  RecordingSummary,
  RequestName,
  RequestPayload,
  Snapshot,
} from '@summit-bridge/protocol';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConsoleHeader } from '../src/features/consoles/ConsoleHeader.js';
import { ChairConsole, DelegateConsole } from '../src/features/consoles/Consoles.js';
import { type SessionApi, SessionProvider } from '../src/features/session/SessionContext.js';
import { fromSnapshot, type LiveSession } from '../src/features/session/sessionReducer.js';
import { initI18n } from '../src/i18n/index.js';
import { Notices } from '../src/shared/notices.js';
import { snapshot, state } from './fixtures.js';

beforeAll(() => initI18n('en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const startedAt = 1_000_000;
const now = startedAt + 20_000;
const running: RecordingState = { id: 'r1a2b3c4d', startedAt, by: 'VNM' };

const people = {
  chair: { participantId: 'chair-vnm', name: 'Chair', role: 'chair', delegation: 'VNM' },
  hod: { participantId: 'hod-khm', name: 'Cambodia', role: 'head_of_delegation', delegation: 'KHM' },
  secretariat: { participantId: 'sec', name: 'Secretariat', role: 'secretariat', delegation: 'ASEC' },
  observer: { participantId: 'obs', name: 'Observer', role: 'observer', delegation: null },
  technician: { participantId: 'tech', name: 'Technician', role: 'technician', delegation: null },
  interpreter: { participantId: 'int-vi', name: 'Interpreter', role: 'interpreter', delegation: null },
} satisfies Record<string, Snapshot['you']>;

function session(
  you: Snapshot['you'],
  recording: RecordingState | null,
  status: Snapshot['state']['status'] = 'open',
): LiveSession {
  return fromSnapshot(snapshot({ you, state: { ...state(2), status, recording } }));
}

function mount(ui: React.ReactElement, live: LiveSession) {
  const calls: { name: RequestName; payload: unknown }[] = [];
  const api = (next: LiveSession): SessionApi => ({
    live: next,
    link: 'connected',
    now: () => now,
    request: async <N extends RequestName>(name: N, payload: RequestPayload<N>) => {
      calls.push({ name, payload });
      return null;
    },
    media: null,
    notices: new Notices(),
    lobby: null,
    desk: null,
    proceedings: null,
    documents: { token: 'tok', summitId: 'asean-2020', sessionId: 'som' },
  });
  const view = render(<SessionProvider api={api(live)}>{ui}</SessionProvider>);
  return {
    calls,
    update: (next: LiveSession) => view.rerender(<SessionProvider api={api(next)}>{ui}</SessionProvider>),
  };
}

/** The server has no recording of the session (the chair's and the secretariat's consoles ask). */
const answerNoRecordings = () =>
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => Response.json({ recordings: [] })),
  );

const indicator = () => screen.queryByRole('status', { name: /being recorded/ });

describe('the recording indicator', () => {
  it.each(Object.entries(people))(
    'shows on the header of the %s’s console, with the time since the start',
    (_, you) => {
      mount(<ConsoleHeader title="Console" />, session(you, running));
      const shown = indicator();
      expect(shown?.getAttribute('aria-label')).toBe('This session is being recorded, 00:20');
      expect(shown?.textContent).toContain('Recording');
      expect(shown?.textContent).toContain('00:20');
    },
  );

  it('is not there while nothing is recorded, and comes and goes with the state', () => {
    const { update } = mount(<DelegateConsole />, session(people.hod, null));
    expect(indicator()).toBeNull();
    expect(screen.queryByText('Recording')).toBeNull();
    update(session(people.hod, running));
    expect(indicator()).not.toBeNull();
    update(session(people.hod, null));
    expect(indicator()).toBeNull();
  });

  it('counts hours past the first', () => {
    mount(<ChairConsole />, session(people.chair, { ...running, startedAt: now - 3_723_000 }));
    expect(indicator()?.getAttribute('aria-label')).toBe('This session is being recorded, 1:02:03');
  });
});

describe('starting and stopping', () => {
  it('lets the chair start a recording from the chair panel', () => {
    answerNoRecordings();
    const { calls } = mount(<ChairConsole />, session(people.chair, null));
    const chair = screen.getByRole('region', { name: 'Chair' });
    fireEvent.click(within(chair).getByRole('button', { name: 'Start recording' }));
    expect(calls).toEqual([{ name: 'recording:start', payload: {} }]);
  });

  it('offers no start while the session is neither open nor suspended', () => {
    answerNoRecordings();
    const { update } = mount(<ChairConsole />, session(people.chair, null, 'scheduled'));
    const start = () => screen.getByRole('button', { name: 'Start recording' }) as HTMLButtonElement;
    expect(start().disabled).toBe(true);
    update(session(people.chair, null, 'suspended'));
    expect(start().disabled).toBe(false);
    update(session(people.chair, null, 'closed'));
    expect(start().disabled).toBe(true);
  });

  it('stops only on a second, confirming click; cancel keeps it running', () => {
    answerNoRecordings();
    const { calls } = mount(<ChairConsole />, session(people.chair, running));
    expect(screen.queryByRole('button', { name: 'Start recording' })).toBeNull();
    expect(screen.getByText('Recording, started by Viet Nam.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Stop recording' }));
    expect(calls).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Stop recording' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: stop recording' }));
    expect(calls).toEqual([{ name: 'recording:stop', payload: {} }]);
  });

  it('gives the secretariat the same buttons in its console', () => {
    answerNoRecordings();
    const { calls } = mount(<DelegateConsole />, session(people.secretariat, null));
    const panel = screen.getByRole('region', { name: 'Recording' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Start recording' }));
    expect(calls).toEqual([{ name: 'recording:start', payload: {} }]);
  });

  it('gives delegations no control and no recordings', () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    mount(<DelegateConsole />, session(people.hod, running));
    expect(screen.queryByRole('button', { name: /recording/i })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Recording' })).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });
});

const composedRecording: RecordingSummary = {
  id: 'r1a2b3c4d',
  startedAt: Date.UTC(2020, 3, 9, 2, 0, 0),
  stoppedAt: Date.UTC(2020, 3, 9, 2, 12, 34),
  stopReason: 'requested',
  composed: 'session.webm',
  composeError: null,
  tracks: [
    {
      name: 'floor-IDN-p1',
      source: 'floor',
      kind: 'audio',
      producerId: 'p1',
      delegation: 'IDN',
      language: null,
      segments: [
        {
          file: 'floor-IDN-p1-1.webm',
          startAt: 0,
          endAt: 10_000,
          packets: 500,
          repaired: 1,
          lost: 0,
          endedBy: 'recorderDied',
        },
        {
          file: 'floor-IDN-p1-2.webm',
          startAt: 14_000,
          endAt: 30_000,
          packets: 800,
          repaired: 0,
          lost: 0,
          endedBy: 'stop',
        },
      ],
    },
    {
      name: 'stage-VNM-p2',
      source: 'stage',
      kind: 'video',
      producerId: 'p2',
      delegation: 'VNM',
      language: null,
      segments: [
        {
          file: 'stage-VNM-p2-1.webm',
          startAt: 0,
          endAt: 30_000,
          packets: 900,
          repaired: 0,
          lost: 0,
          endedBy: 'stop',
        },
      ],
    },
  ],
};

describe('the recordings', () => {
  it('are listed for the secretariat, asked for with its token', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      Response.json({ recordings: [composedRecording] }),
    );
    vi.stubGlobal('fetch', fetch);
    mount(<DelegateConsole />, session(people.secretariat, null));
    const list = await screen.findByRole('list', { name: 'Recordings of this session' });

    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/summits/asean-2020/sessions/som/recordings');
    expect(fetch.mock.calls[0]?.[1]?.headers).toEqual({ Authorization: 'Bearer tok' });
    expect(within(list).getByText(/duration 12:34/)).toBeTruthy();
    expect(within(list).getByRole('button', { name: /^Play the recording started/ })).toBeTruthy();
    const file = within(list).getByRole('link', { name: 'session.webm' });
    expect(file.getAttribute('href')).toBe(
      '/api/v1/summits/asean-2020/sessions/som/recordings/r1a2b3c4d/files/session.webm',
    );
    // One track was written in two goes: the gap is shown, between its two files.
    expect(within(list).getByText('Gaps in 1 track(s): the recorder restarted.')).toBeTruthy();
    expect(within(list).getByText('Floor, Indonesia (audio)')).toBeTruthy();
    expect(within(list).getByText(/^Gap of 00:04, .*: the recorder restarted\.$/)).toBeTruthy();
    expect(within(list).getByRole('link', { name: 'floor-IDN-p1-2.webm' })).toBeTruthy();
  });

  it('are saved through a link the server gives, straight to disk, not through the page', async () => {
    const filePath = '/api/v1/summits/asean-2020/sessions/som/recordings/r1a2b3c4d/files/floor-IDN-p1-2.webm';
    const fetch = vi.fn(async (url: string, _init?: RequestInit) =>
      url === `${filePath}/link`
        ? Response.json({ url: `${filePath}?link=abc.def`, expiresAt: now + 7_200_000 })
        : Response.json({ recordings: [composedRecording] }),
    );
    vi.stubGlobal('fetch', fetch);
    const saved: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
    mount(<DelegateConsole />, session(people.secretariat, null));
    const list = await screen.findByRole('list', { name: 'Recordings of this session' });
    fireEvent.click(within(list).getByRole('link', { name: 'floor-IDN-p1-2.webm' }));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({ href: `${filePath}?link=abc.def`, download: 'floor-IDN-p1-2.webm' });
    const asked = fetch.mock.calls.find(([url]) => url === `${filePath}/link`);
    expect(asked?.[1]).toMatchObject({ method: 'POST', headers: { Authorization: 'Bearer tok' } });
    vi.restoreAllMocks();
  });

  it('are listed for the chair, beside the chair panel', async () => {
    answerNoRecordings();
    mount(<ChairConsole />, session(people.chair, null));
    const panel = screen.getByRole('region', { name: 'Recording' });
    expect(await within(panel).findByText('This session has not been recorded yet.')).toBeTruthy();
    // The chair's buttons are in the chair panel, not twice.
    expect(within(panel).queryByRole('button', { name: 'Start recording' })).toBeNull();
  });

  it('say why there is no file when composing failed', async () => {
    const failed = { ...composedRecording, composed: null, composeError: 'no stage video' };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json({ recordings: [failed] })),
    );
    mount(<DelegateConsole />, session(people.secretariat, null));
    expect(
      await screen.findByText(
        'The recording’s file could not be made (no stage video). The separate tracks are kept.',
      ),
    ).toBeTruthy();
  });

  it('are asked for again at the stop, then every 2 s until the file is composed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const stopped = { ...composedRecording, composed: null };
    const answers = [[], [stopped], [stopped], [composedRecording]];
    const fetch = vi.fn(async () => Response.json({ recordings: answers.shift() ?? [composedRecording] }));
    vi.stubGlobal('fetch', fetch);
    const settle = () => act(async () => await vi.advanceTimersByTimeAsync(0));

    const { update } = mount(<DelegateConsole />, session(people.secretariat, running));
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);

    update(session(people.secretariat, null));
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(screen.getByText('The recording’s file is being prepared…')).toBeTruthy();

    await act(async () => await vi.advanceTimersByTimeAsync(2000));
    expect(fetch).toHaveBeenCalledTimes(3);
    await act(async () => await vi.advanceTimersByTimeAsync(2000));
    expect(fetch).toHaveBeenCalledTimes(4);
    expect(screen.getByRole('link', { name: 'session.webm' })).toBeTruthy();

    // Composed: no more asking.
    await act(async () => await vi.advanceTimersByTimeAsync(10_000));
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('stop being asked for a minute after the stop, composed or not', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const stopped = { ...composedRecording, composed: null };
    const fetch = vi.fn(async () => Response.json({ recordings: [stopped] }));
    vi.stubGlobal('fetch', fetch);
    const { update } = mount(<DelegateConsole />, session(people.secretariat, running));
    await act(async () => await vi.advanceTimersByTimeAsync(0));
    update(session(people.secretariat, null));
    await act(async () => await vi.advanceTimersByTimeAsync(120_000));
    // The one at the stop, then one every 2 s for 60 s.
    expect(fetch.mock.calls.length).toBeGreaterThanOrEqual(30);
    expect(fetch.mock.calls.length).toBeLessThanOrEqual(32);
  });
});
