import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { Notices } from '../../shared/notices.js';
import { useStore } from '../../shared/store.js';
import { useInterpretationDesk } from '../interpretation/useInterpretationDesk.js';
import { useLobbyFeed } from '../lobby/useLobbyFeed.js';
import { MediaSession } from '../media/MediaSession.js';
import { wireMediaPath } from '../media/wiring.js';
import { type SessionApi, SessionProvider } from '../session/SessionContext.js';
import type { SessionController } from '../session/SessionController.js';
import { useShownRequest } from '../session/useShownRequest.js';
import { TechnicianConsole } from './TechnicianConsole.js';
import { TelemetryFeed } from './TelemetryFeed.js';

/**
 * A technician in a session: no media of their own, the session's view, and its telemetry; and,
 * where the session has a lobby, the cameras of those waiting in it (received, nothing sent).
 */
export function TechnicianRoom({ controller, token }: { controller: SessionController; token: string }) {
  const { t } = useTranslation();
  const view = useStore(controller.store);
  const notices = useMemo(() => new Notices(), []);
  const feed = useMemo(() => new TelemetryFeed(controller), [controller]);

  useEffect(() => () => notices.close(), [notices]);
  useEffect(() => {
    void feed.load();
    return () => feed.close();
  }, [feed]);

  const request = useShownRequest(controller, notices);
  const lobby = useLobbyFeed(controller, view.live?.you.role);
  const sessionHasLobby = view.live?.session.lobby ?? false;
  const [media, setMedia] = useState<MediaSession | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the media lives as long as the lobby, whatever the language
  useEffect(() => {
    if (!sessionHasLobby || !lobby) return;
    const problem = (error: unknown) => notices.show(errorText(t, error));
    const session = new MediaSession({
      signaling: controller.signaling,
      participantId: view.live?.you.participantId ?? '',
      forceTcp: false,
      tracks: { mic: null, camera: null },
      onProblem: problem,
    });
    const unwire = wireMediaPath(controller, session, problem);
    session.start().catch(problem);
    setMedia(session);
    return () => {
      unwire();
      session.close();
      setMedia(null);
    };
  }, [controller, sessionHasLobby, lobby, notices]);

  const desk = useInterpretationDesk(controller, view.live, media);
  const live = view.live;
  const summitId = live?.summit.id;
  const sessionId = live?.session.id;
  // One object for as long as the session is the same, so the charts do not load again at each push.
  const source = useMemo(
    () => (summitId && sessionId ? { token, summitId, sessionId } : null),
    [token, summitId, sessionId],
  );
  if (!live || !source) {
    return (
      <main className="screen" aria-busy="true">
        <p className="screen__lead">{t('join.connecting')}</p>
      </main>
    );
  }
  const api: SessionApi = {
    live,
    link: view.link,
    now: controller.clock.now,
    request,
    media,
    notices,
    lobby,
    desk,
    // Technicians watch links: the documents are read elsewhere.
    proceedings: null,
    documents: source,
  };
  return (
    <SessionProvider api={api}>
      <TechnicianConsole feed={feed} source={source} lobby={lobby} />
    </SessionProvider>
  );
}
