// @vitest-environment jsdom
// The proceedings in the consoles: documents, putting one to adoption, objecting, voting — each
// control found by its accessible name, each action a request to the server.
import type { ProceedingsState, RequestName, RequestPayload } from '@summit-bridge/protocol';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChairConsole, DelegateConsole } from '../src/features/consoles/Consoles.js';
import { newVersions, type ProceedingsFeed } from '../src/features/proceedings/ProceedingsFeed.js';
import { type SessionApi, SessionProvider } from '../src/features/session/SessionContext.js';
import { fromSnapshot } from '../src/features/session/sessionReducer.js';
import { initI18n } from '../src/i18n/index.js';
import { Notices } from '../src/shared/notices.js';
import { Store } from '../src/shared/store.js';
import { snapshot } from './fixtures.js';

beforeAll(() => initI18n('en'));
afterEach(() => cleanup());

const file = {
  language: 'en',
  format: 'pdf' as const,
  bytes: 10,
  sha256: 'a'.repeat(64),
  uploadedAt: 0,
  uploadedBy: 'sec',
};
const base: ProceedingsState = {
  sessionId: 'som',
  version: 3,
  documents: [
    {
      id: 'd1',
      title: 'Recommendations',
      symbol: 'ACC/2020/REC.1',
      versions: [{ version: 1, tabledAt: 0, files: [file] }],
    },
  ],
  onScreen: null,
  adoptions: [],
  votes: [],
};

function mount(ui: React.ReactElement, proceedings: ProceedingsState, you: 'chair' | 'hod') {
  const calls: { name: RequestName; payload: unknown }[] = [];
  const live = fromSnapshot(
    snapshot(
      you === 'chair'
        ? { you: { participantId: 'chair-vnm', name: 'Chair', role: 'chair', delegation: 'VNM' } }
        : {
            you: {
              participantId: 'hod-idn',
              name: 'Indonesia',
              role: 'head_of_delegation',
              delegation: 'IDN',
            },
          },
    ),
  );
  const api: SessionApi = {
    live,
    link: 'connected',
    now: () => 1_000,
    request: async <N extends RequestName>(name: N, payload: RequestPayload<N>) => {
      calls.push({ name, payload });
      return null;
    },
    media: null,
    notices: new Notices(),
    lobby: null,
    desk: null,
    proceedings: { store: new Store<ProceedingsState | null>(proceedings) } as unknown as ProceedingsFeed,
    documents: { token: 't', summitId: 'asean-2020', sessionId: 'som' },
  };
  render(<SessionProvider api={api}>{ui}</SessionProvider>);
  return calls;
}

describe('proceedings in the consoles', () => {
  it('lists the documents and lets the chair put one to adoption', () => {
    const calls = mount(<ChairConsole />, base, 'chair');
    const list = screen.getByRole('list', { name: 'Documents' });
    const item = within(list).getByRole('listitem');
    expect(item.textContent).toContain('ACC/2020/REC.1');
    fireEvent.click(within(item).getByRole('button', { name: 'Put to adoption' }));
    expect(calls).toEqual([
      {
        name: 'proceedings:openAdoption',
        payload: { documentId: 'd1', version: 1, mode: 'in_session', durationSec: 60 },
      },
    ]);
    expect(screen.getByRole('link', { name: 'Record of the meeting' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Call a vote' })).toBeTruthy();
  });

  it('lets a head of delegation object for its own delegation, and vote', () => {
    const adopting: ProceedingsState = {
      ...base,
      adoptions: [
        {
          id: 'a1',
          documentId: 'd1',
          version: 1,
          mode: 'in_session',
          openedAt: 0,
          deadline: 61_000,
          objections: [],
          status: 'open',
          closedAt: null,
        },
      ],
    };
    const calls = mount(<DelegateConsole />, adopting, 'hod');
    expect(screen.queryByRole('button', { name: 'Put to adoption' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Record of the meeting' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Object' }));
    expect(calls).toEqual([{ name: 'proceedings:object', payload: { adoptionId: 'a1', delegation: 'IDN' } }]);
    cleanup();

    const voting: ProceedingsState = {
      ...base,
      votes: [
        {
          id: 'v1',
          question: 'Adopt?',
          documentId: null,
          version: null,
          majority: 'simple',
          openedAt: 0,
          deadline: null,
          ballots: [],
          status: 'open',
          closedAt: null,
          tally: null,
        },
      ],
    };
    const votes = mount(<DelegateConsole />, voting, 'hod');
    const group = screen.getByRole('radiogroup', { name: 'Your vote' });
    fireEvent.click(within(group).getByRole('radio', { name: 'Abstain' }));
    expect(votes).toEqual([
      { name: 'proceedings:castBallot', payload: { voteId: 'v1', delegation: 'IDN', choice: 'abstain' } },
    ]);
    expect(screen.queryByRole('button', { name: 'Close the vote' })).toBeNull();
  });

  it('announces a new version, and a new document, once', () => {
    const next: ProceedingsState = {
      ...base,
      version: 4,
      documents: [
        {
          ...base.documents[0],
          versions: [...(base.documents[0]?.versions ?? []), { version: 2, tabledAt: 1, files: [file] }],
        } as ProceedingsState['documents'][number],
        {
          id: 'd2',
          title: 'Declaration',
          symbol: 'DEC.1',
          versions: [{ version: 1, tabledAt: 1, files: [file] }],
        },
      ],
    };
    expect(newVersions(base, next).map((n) => `${n.document.symbol}:${n.version}`)).toEqual([
      'ACC/2020/REC.1:2',
      'DEC.1:1',
    ]);
    expect(newVersions(next, next)).toEqual([]);
  });
});
