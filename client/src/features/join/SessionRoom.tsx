import { isChairRole } from '@summit-bridge/protocol';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { Notices } from '../../shared/notices.js';
import { useStore } from '../../shared/store.js';
import { ChairConsole, DelegateConsole } from '../consoles/Consoles.js';
import { MediaSession } from '../media/MediaSession.js';
import { wireMedia } from '../media/wiring.js';
import { type SessionApi, SessionProvider } from '../session/SessionContext.js';
import type { SessionController } from '../session/SessionController.js';
import { useShownRequest } from '../session/useShownRequest.js';
import type { Entry } from './PreJoinCheck.js';

declare global {
  interface Window {
    /** Read-only diagnostics for technicians and the browser tests: bytes received per producer. */
    summitBridge?: { inboundStats: MediaSession['inboundStats'] };
  }
}

/** Inside the session: the media running, the console of the participant's role. */
export function SessionRoom({
  controller,
  entry,
  participantId,
}: {
  controller: SessionController;
  entry: Entry;
  participantId: string;
}) {
  const { t } = useTranslation();
  const view = useStore(controller.store);
  const notices = useMemo(() => new Notices(), []);
  const [media, setMedia] = useState<MediaSession | null>(null);

  useEffect(() => () => notices.close(), [notices]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the media lives as long as the room, whatever the language
  useEffect(() => {
    const problem = (error: unknown) =>
      notices.show(t('devices.publishFailed', { message: errorText(t, error) }));
    const session = new MediaSession({
      signaling: controller.signaling,
      participantId,
      forceTcp: entry.forceTcp,
      tracks: entry.tracks,
      onProblem: problem,
    });
    const unwire = wireMedia(controller, session, problem);
    session.start().catch(problem);
    setMedia(session);
    window.summitBridge = { inboundStats: () => session.inboundStats() };
    return () => {
      unwire();
      session.close();
      delete window.summitBridge;
    };
  }, [controller, entry, participantId, notices]);

  const request = useShownRequest(controller, notices);

  const live = view.live;
  if (!live) {
    return (
      <main className="screen" aria-busy="true">
        <p className="screen__lead">{t('join.connecting')}</p>
      </main>
    );
  }
  const api: SessionApi = { live, link: view.link, now: controller.clock.now, request, media, notices };
  return (
    <SessionProvider api={api}>
      {isChairRole(live.you.role) ? <ChairConsole /> : <DelegateConsole />}
    </SessionProvider>
  );
}
