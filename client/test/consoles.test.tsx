// @vitest-environment jsdom
import type { RequestName, RequestPayload } from '@summit-bridge/protocol';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChairConsole, DelegateConsole } from '../src/features/consoles/Consoles.js';
import type { MediaControls, MediaState } from '../src/features/media/MediaSession.js';
import { type SessionApi, SessionProvider } from '../src/features/session/SessionContext.js';
import { fromSnapshot, type LiveSession } from '../src/features/session/sessionReducer.js';
import { changeLanguage, initI18n } from '../src/i18n/index.js';
import { Notices } from '../src/shared/notices.js';
import { Store } from '../src/shared/store.js';
import { intervention, participant, producer, snapshot, state } from './fixtures.js';

beforeAll(() => {
  initI18n('en');
});
afterEach(() => {
  cleanup();
});

type Call = { name: RequestName; payload: unknown };

const now = 1_000_000 + 20_000;
const requests = (...codes: string[]) =>
  codes.map((delegation, i) => ({ delegation, kind: 'speak' as const, requestedAt: i }));

function liveSession(overrides: Parameters<typeof snapshot>[0] = {}): LiveSession {
  return fromSnapshot(snapshot(overrides));
}

/** A console over a session view, with every request it makes recorded. */
function mount(ui: React.ReactElement, live: LiveSession, extra: Partial<Omit<SessionApi, 'lobby'>> = {}) {
  const calls: Call[] = [];
  const notices = new Notices();
  const api = (session: LiveSession): SessionApi => ({
    live: session,
    link: 'connected',
    now: () => now,
    request: async <N extends RequestName>(name: N, payload: RequestPayload<N>) => {
      calls.push({ name, payload });
      return null;
    },
    media: null,
    notices,
    lobby: null,
    desk: null,
    proceedings: null,
    documents: null,
    ...extra,
  });
  const view = render(<SessionProvider api={api(live)}>{ui}</SessionProvider>);
  return {
    calls,
    update: (next: LiveSession) => view.rerender(<SessionProvider api={api(next)}>{ui}</SessionProvider>),
  };
}

const fakeTrack = (kind: 'audio' | 'video') =>
  ({ id: `${kind}-1`, kind, getSettings: () => ({ deviceId: 'default' }) }) as unknown as MediaStreamTrack;

function fakeMedia(
  micProducerId: string,
): MediaControls & { toggles: [string, boolean][]; shared: MediaStream[]; stops: number } {
  const toggles: [string, boolean][] = [];
  const shared: MediaStream[] = [];
  const store = new Store<MediaState>({
    mic: { track: fakeTrack('audio'), producerId: micProducerId, pausedByYou: false },
    camera: { track: null, producerId: null, pausedByYou: false },
    presentation: null,
    remote: {},
    transports: { send: 'connected', recv: 'connected' },
  });
  const media = {
    store,
    toggles,
    shared,
    stops: 0,
    setEnabled: async (source: string, on: boolean) => {
      toggles.push([source, on]);
    },
    replaceTrack: async () => undefined,
    startPresenting: async (stream: MediaStream) => {
      shared.push(stream);
      store.update((s) => ({ ...s, presentation: { track: fakeTrack('video'), producerId: 'mine' } }));
    },
    stopPresenting: async () => {
      media.stops++;
      store.update((s) => ({ ...s, presentation: null }));
    },
    setDemand: () => undefined,
    setLobbyCameras: () => undefined,
    setChannels: () => undefined,
  };
  return media;
}

describe('delegate console', () => {
  const during = (list: string[]) =>
    liveSession({
      state: state(4, {
        speakersList: requests(...list),
        current: intervention({ delegation: 'IDN', limitMs: 180_000 }),
      }),
    });

  it('shows who holds the floor and the time left, in the region named Floor', () => {
    mount(<DelegateConsole />, during([]));
    const floor = screen.getByRole('region', { name: 'Floor' });
    expect(within(floor).getByText('Indonesia has the floor')).toBeTruthy();
    expect(within(floor).getByRole('timer', { name: 'Speaking time' }).textContent).toContain('2:40 left');
  });

  it('says that a delegation called without asking speaks at the chair’s invitation', () => {
    mount(
      <DelegateConsole />,
      liveSession({ state: state(5, { current: intervention({ delegation: 'IDN', kind: 'chair' }) }) }),
    );
    const floor = screen.getByRole('region', { name: 'Floor' });
    expect(within(floor).getByText('Indonesia has the floor').textContent).toContain(
      'At the chair’s invitation',
    );
  });

  it('shows the speakers list in the server’s order, not by precedence', () => {
    mount(<DelegateConsole />, during(['LAO', 'BRN']));
    const list = screen.getByRole('list', { name: 'Speakers list' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Lao PDR', 'Brunei Darussalam']);
  });

  it('requests the floor, then shows its place and withdraws', () => {
    const { calls, update } = mount(<DelegateConsole />, during(['LAO']));
    fireEvent.click(screen.getByRole('button', { name: 'Request the floor' }));
    expect(calls).toEqual([{ name: 'floor:request', payload: { kind: 'speak' } }]);

    update(during(['LAO', 'KHM']));
    expect(screen.queryByRole('button', { name: 'Request the floor' })).toBeNull();
    expect(screen.getByText('You are number 2 in the speakers list')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw request' }));
    expect(calls.at(-1)).toEqual({ name: 'floor:withdraw', payload: {} });
  });

  it('says when the delegation holds the floor, with nothing left to request', () => {
    mount(
      <DelegateConsole />,
      liveSession({ state: state(6, { current: intervention({ delegation: 'KHM' }) }) }),
    );
    expect(
      within(screen.getByRole('region', { name: 'Floor' })).getByText('You have the floor'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Request the floor' })).toBeNull();
  });

  it('seats every delegation in order, the absent ones as empty seats', () => {
    mount(<DelegateConsole />, during([]));
    const gallery = screen.getByRole('region', { name: 'Gallery' });
    const seats = within(gallery).getAllByRole('listitem');
    expect(seats).toHaveLength(11);
    expect(seats[0]?.textContent).toContain('Brunei Darussalam');
    expect(seats[0]?.textContent).toContain('Not connected');
    expect(seats[10]?.textContent).toContain('ASEAN Secretariat');
    expect(seats[1]?.textContent).toContain('Cambodia');
    expect(seats[1]?.textContent).not.toContain('Not connected');
  });

  it('says why a seat is silent: its own choice, the floor policy, or still joining', () => {
    const live = liveSession({
      producers: [
        producer('mic-khm', 'hod-khm', 'KHM', 'mic', true),
        producer('mic-vnm', 'chair', 'VNM', 'mic', true),
      ],
    });
    mount(<DelegateConsole />, live);
    const seat = (name: string) => screen.getAllByRole('figure').find((f) => f.textContent?.includes(name));
    expect(seat('Cambodia')?.textContent).toContain('Microphone closed by floor policy');
    expect(seat('Viet Nam')?.textContent).toContain('Microphone off by the delegation');
    expect(seat('Indonesia')?.textContent).toContain('Joining…');
    expect(screen.queryByText(/No microphone/)).toBeNull();
  });

  it('offers no chair control', () => {
    mount(<DelegateConsole />, during(['LAO']));
    expect(screen.queryByRole('button', { name: 'Give the floor to the next speaker' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Take back the floor' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Start tour de table' })).toBeNull();
  });

  it('tells a microphone closed by floor policy from one muted by its owner', () => {
    const live = liveSession({ producers: [producer('mic-khm', 'hod-khm', 'KHM', 'mic', true)] });
    const media = fakeMedia('mic-khm');
    mount(<DelegateConsole />, live, { media });
    const devices = screen.getByRole('region', { name: 'Your microphone and camera' });
    expect(within(devices).getByText('Microphone closed by floor policy')).toBeTruthy();
    fireEvent.click(within(devices).getByRole('button', { name: 'Turn off microphone' }));
    expect(media.toggles).toEqual([['mic', false]]);
    act(() => media.store.update((s) => ({ ...s, mic: { ...s.mic, pausedByYou: true } })));
    expect(within(devices).getByText('Microphone off (muted by you)')).toBeTruthy();
    expect(within(devices).getByRole('button', { name: 'Turn on microphone' })).toBeTruthy();
  });

  it('gives an observer the floor and the gallery, but nothing to press', () => {
    const live = liveSession({
      you: { participantId: 'obs', name: 'Observer', role: 'observer', delegation: null },
      state: state(2, { speakersList: requests('LAO') }),
    });
    mount(<DelegateConsole />, live, { media: fakeMedia('none') });
    expect(screen.getByRole('region', { name: 'Floor' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Request the floor' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Your microphone and camera' })).toBeNull();
  });

  it('offers to share a screen only while the delegation may present, and stops sharing', async () => {
    const media = fakeMedia('mic-khm');
    const capture = { getTracks: () => [] } as unknown as MediaStream;
    const asked: unknown[] = [];
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: {
        getDisplayMedia: async (options: unknown) => {
          asked.push(options);
          return capture;
        },
      },
    });
    const { update } = mount(<DelegateConsole />, during(['LAO']), { media });
    expect(screen.queryByRole('button', { name: 'Share your screen' })).toBeNull();
    update(liveSession({ state: state(3, { current: intervention({ delegation: 'KHM' }) }) }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Share your screen' }));
    });
    expect(asked).toEqual([{ video: { frameRate: { max: 15 } }, audio: true }]);
    expect(media.shared).toEqual([capture]);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Stop sharing' }));
    });
    expect(media.stops).toBe(1);
    // Allowed by the chair without the floor: offered too.
    update(liveSession({ state: state(4, { presenters: ['KHM'] }) }));
    expect(screen.getByRole('button', { name: 'Share your screen' })).toBeTruthy();
  });

  it('shows a presentation large on the stage, named for its delegation', () => {
    mount(
      <DelegateConsole />,
      liveSession({
        state: state(3, { current: intervention({ delegation: 'IDN' }) }),
        producers: [producer('slides', 'hod-idn', 'IDN', 'screen')],
      }),
    );
    const stage = screen.getByRole('region', { name: 'Stage' });
    expect(within(stage).getByRole('figure', { name: 'Presentation by Indonesia' })).toBeTruthy();
    // A delegate cannot stop someone else's presentation.
    expect(screen.queryByRole('button', { name: /Stop the presentation/ })).toBeNull();
  });

  it('says when it is reconnecting', () => {
    mount(<DelegateConsole />, during([]), { link: 'reconnecting' });
    expect(screen.getByText('Reconnecting…')).toBeTruthy();
  });

  it('speaks Vietnamese, names and all', async () => {
    mount(<DelegateConsole />, during(['LAO']));
    await act(() => changeLanguage('vi'));
    try {
      expect(screen.getByRole('button', { name: 'Đăng ký phát biểu' })).toBeTruthy();
      expect(screen.getByRole('region', { name: 'Quyền phát biểu' })).toBeTruthy();
      expect(screen.getByRole('list', { name: 'Danh sách phát biểu' }).textContent).toContain('Lào');
      expect(screen.getByText('In-đô-nê-xi-a đang phát biểu')).toBeTruthy();
    } finally {
      await act(() => changeLanguage('en'));
    }
  });

  it('offers the pass when its turn in the tour de table comes', () => {
    const live = liveSession({
      state: state(3, { tour: { order: ['BRN', 'KHM', 'IDN'], position: 1, passed: [] } }),
    });
    const { calls } = mount(<DelegateConsole />, live);
    expect(screen.getByText('Your turn in the tour de table')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Pass' }));
    expect(calls).toEqual([{ name: 'floor:pass', payload: {} }]);
  });
});

describe('chair console', () => {
  const chairView = (floorOverrides: Parameters<typeof state>[1] = {}) =>
    liveSession({
      you: { participantId: 'chair-vnm', name: 'Chair', role: 'chair', delegation: 'VNM' },
      presence: {
        observers: 0,
        participants: [
          participant('chair-vnm', 'VNM', 'chair'),
          participant('hod-tha', 'THA', 'head_of_delegation'),
        ],
      },
      state: state(5, floorOverrides),
    });

  it('gives the floor to the next speaker and takes it back', () => {
    const { calls } = mount(
      <ChairConsole />,
      chairView({ speakersList: requests('LAO'), current: intervention({ delegation: 'IDN' }) }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Give the floor to the next speaker' }));
    fireEvent.click(screen.getByRole('button', { name: 'Take back the floor' }));
    expect(calls).toEqual([
      { name: 'floor:give', payload: {} },
      { name: 'floor:takeBack', payload: {} },
    ]);
  });

  it('cannot give the floor to nobody or take back a floor nobody holds', () => {
    mount(<ChairConsole />, chairView());
    expect(
      screen.getByRole('button', { name: 'Give the floor to the next speaker' }).hasAttribute('disabled'),
    ).toBe(true);
    expect(screen.getByRole('button', { name: 'Take back the floor' }).hasAttribute('disabled')).toBe(true);
  });

  it('answers the keyboard shortcuts it lists', () => {
    const { calls } = mount(
      <ChairConsole />,
      chairView({ speakersList: requests('LAO'), current: intervention({ delegation: 'IDN' }) }),
    );
    const shortcuts = screen.getByRole('region', { name: 'Keyboard shortcuts' });
    for (const key of ['N', 'B', 'P', 'T']) expect(within(shortcuts).getByText(key)).toBeTruthy();
    for (const key of ['n', 'b', 'p', 't']) fireEvent.keyDown(document.body, { key });
    expect(calls.map((c) => c.name)).toEqual([
      'floor:give',
      'floor:takeBack',
      'floor:pauseTimer',
      'floor:startTour',
    ]);
    fireEvent.keyDown(screen.getByRole('spinbutton', { name: 'Time limit in seconds' }), { key: 'n' });
    expect(calls).toHaveLength(4);
  });

  it('reorders and removes requests from the keyboard', () => {
    const { calls } = mount(<ChairConsole />, chairView({ speakersList: requests('LAO', 'BRN', 'SGP') }));
    const first = screen.getByRole('button', { name: 'Move Lao PDR' });
    fireEvent.keyDown(first, { key: 'ArrowUp', altKey: true }); // already first: nothing to do
    fireEvent.keyDown(first, { key: 'ArrowDown', altKey: true });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Move Singapore' }), {
      key: 'ArrowUp',
      altKey: true,
    });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Move Brunei Darussalam' }), { key: 'Delete' });
    fireEvent.click(screen.getByRole('button', { name: 'Remove Singapore from the speakers list' }));
    expect(calls).toEqual([
      { name: 'floor:move', payload: { delegation: 'LAO', position: 1 } },
      { name: 'floor:move', payload: { delegation: 'SGP', position: 1 } },
      { name: 'floor:remove', payload: { delegation: 'BRN' } },
      { name: 'floor:remove', payload: { delegation: 'SGP' } },
    ]);
  });

  it('reorders by drag and drop, and keeps the server’s order on screen until it answers', () => {
    const { calls } = mount(<ChairConsole />, chairView({ speakersList: requests('LAO', 'BRN', 'SGP') }));
    const list = screen.getByRole('list', { name: 'Speakers list' });
    const items = within(list).getAllByRole('listitem');
    const data = new Map<string, string>();
    const dataTransfer = {
      effectAllowed: 'none',
      setData: (type: string, value: string) => data.set(type, value),
      getData: (type: string) => data.get(type) ?? '',
    };
    fireEvent.dragStart(items[2] as HTMLElement, { dataTransfer });
    fireEvent.dragOver(items[0] as HTMLElement, { dataTransfer });
    fireEvent.drop(items[0] as HTMLElement, { dataTransfer });
    expect(calls).toEqual([{ name: 'floor:move', payload: { delegation: 'SGP', position: 0 } }]);
    expect(within(list).getAllByRole('listitem')[0]?.textContent).toContain('Lao PDR');
  });

  it('gives the floor to any delegation and mutes one', () => {
    const { calls } = mount(<ChairConsole />, chairView({ muted: ['KHM'] }));
    const delegations = screen.getByRole('list', { name: 'Delegations' });
    fireEvent.click(within(delegations).getByRole('button', { name: 'Give the floor to Thailand' }));
    fireEvent.click(within(delegations).getByRole('button', { name: 'Mute Thailand' }));
    fireEvent.click(within(delegations).getByRole('button', { name: 'Unmute Cambodia' }));
    expect(calls).toEqual([
      { name: 'floor:give', payload: { delegation: 'THA' } },
      { name: 'floor:mute', payload: { delegation: 'THA', muted: true } },
      { name: 'floor:mute', payload: { delegation: 'KHM', muted: false } },
    ]);
  });

  it('runs the timer, the tour de table, the microphone policy and the session', () => {
    const { calls, update } = mount(
      <ChairConsole />,
      chairView({ current: intervention({ pausedAt: 1_010_000 }) }),
    );
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Time limit in seconds' }), {
      target: { value: '120' },
    });
    fireEvent.click(screen.getByRole('radio', { name: 'Every intervention from now on' }));
    fireEvent.click(screen.getByRole('button', { name: 'Set the limit' }));
    fireEvent.click(screen.getByRole('button', { name: 'Resume the timer' }));
    fireEvent.click(screen.getByRole('button', { name: 'Start tour de table' }));
    fireEvent.click(screen.getByRole('radio', { name: /^Open/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Suspend the session' }));
    fireEvent.click(screen.getByRole('button', { name: 'Close the session' }));
    expect(calls.map((c) => c.name)).not.toContain('session:setStatus:closed');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: close the session for everyone' }));
    expect(calls).toEqual([
      { name: 'floor:setLimit', payload: { limitSec: 120, scope: 'default' } },
      { name: 'floor:resumeTimer', payload: {} },
      { name: 'floor:startTour', payload: {} },
      { name: 'floor:setMicPolicy', payload: { policy: 'open' } },
      { name: 'session:setStatus', payload: { status: 'suspended' } },
      { name: 'session:setStatus', payload: { status: 'closed' } },
    ]);

    update(chairView({ tour: { order: ['BRN', 'KHM'], position: 0, passed: [] } }));
    fireEvent.click(screen.getByRole('button', { name: 'Next delegation in the tour' }));
    fireEvent.click(screen.getByRole('button', { name: 'End tour de table' }));
    expect(calls.slice(-2).map((c) => c.name)).toEqual(['floor:nextInTour', 'floor:endTour']);
  });

  it('stops a presentation, and allows a delegation to present or withdraws it', () => {
    const live = liveSession({
      you: { participantId: 'chair-vnm', name: 'Chair', role: 'chair', delegation: 'VNM' },
      state: state(5, { current: intervention({ delegation: 'IDN' }), presenters: ['KHM'] }),
      producers: [producer('slides', 'hod-idn', 'IDN', 'screen')],
    });
    const { calls } = mount(<ChairConsole />, live);
    fireEvent.click(screen.getByRole('button', { name: 'Stop the presentation of Indonesia' }));
    const delegations = screen.getByRole('list', { name: 'Delegations' });
    fireEvent.click(within(delegations).getByRole('button', { name: 'Allow Thailand to present' }));
    fireEvent.click(
      within(delegations).getByRole('button', { name: 'Withdraw Cambodia’s permission to present' }),
    );
    expect(calls).toEqual([
      { name: 'presentation:stop', payload: {} },
      { name: 'presentation:allow', payload: { delegation: 'THA', allowed: true } },
      { name: 'presentation:allow', payload: { delegation: 'KHM', allowed: false } },
    ]);
  });

  it('shows the overrun to the chair as to everyone', () => {
    mount(
      <ChairConsole />,
      chairView({ current: intervention({ startedAt: now - 200_000, limitMs: 180_000, overran: true }) }),
    );
    const timer = screen.getByRole('timer', { name: 'Speaking time' });
    expect(timer.className).toContain('countdown--overrun');
    expect(timer.textContent).toContain('Over time by 0:20');
  });
});
