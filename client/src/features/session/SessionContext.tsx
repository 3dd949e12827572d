import type { RequestName, RequestPayload, ResponseOf } from '@summit-bridge/protocol';
import { createContext, type ReactNode, useContext } from 'react';
import type { Notices } from '../../shared/notices.js';
import type { InterpretationDesk } from '../interpretation/InterpretationDesk.js';
import type { LobbyFeed } from '../lobby/LobbyFeed.js';
import type { MediaControls } from '../media/MediaSession.js';
import type { DocumentsSource } from '../proceedings/documentsApi.js';
import type { ProceedingsFeed } from '../proceedings/ProceedingsFeed.js';
import type { Link, LiveSession } from './sessionReducer.js';

/** Everything a console needs: the live session, the server clock, requests, the media. */
export interface SessionApi {
  live: LiveSession;
  link: Link;
  /** Server time now, by the measured clock offset. */
  now: () => number;
  /** Sends a request; a failure is shown to the participant and resolves to null. */
  request: <N extends RequestName>(name: N, payload: RequestPayload<N>) => Promise<ResponseOf<N> | null>;
  /** Null for a participant who neither sends nor receives media (and in tests without WebRTC). */
  media: MediaControls | null;
  notices: Notices;
  /** Who waits in the lobby: for those who may see it, null for everyone else. */
  lobby: LobbyFeed | null;
  /** What this participant listens to, and the booth's texts; null in a session without interpretation. */
  desk: InterpretationDesk | null;
  /** Documents, adoption, votes: null where there is no server to ask (tests of other features). */
  proceedings: ProceedingsFeed | null;
  /** Where documents and the record are fetched over HTTP, with this participant's token. */
  documents: DocumentsSource | null;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ api, children }: { api: SessionApi; children: ReactNode }) {
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside a SessionProvider');
  return api;
}
