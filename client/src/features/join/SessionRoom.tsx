import { type ClientReport, isChairRole, type ProducerCloseReason } from '@summit-bridge/protocol';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { Notices } from '../../shared/notices.js';
import { useStore } from '../../shared/store.js';
import { ChairConsole, DelegateConsole, InterpreterConsole } from '../consoles/Consoles.js';
import { useInterpretationDesk } from '../interpretation/useInterpretationDesk.js';
import { LobbyRefused, LobbyWaiting } from '../lobby/LobbyWaiting.js';
import { useLobbyFeed } from '../lobby/useLobbyFeed.js';
import { linkReport } from '../media/linkReport.js';
import { MediaSession } from '../media/MediaSession.js';
import { wireMedia } from '../media/wiring.js';
import { useProceedingsFeed } from '../proceedings/useProceedings.js';
import { type SessionApi, SessionProvider } from '../session/SessionContext.js';
import type { SessionController } from '../session/SessionController.js';
import { useShownRequest } from '../session/useShownRequest.js';
import type { Entry } from './PreJoinCheck.js';
import type { RememberedDevices } from './rememberedEntry.js';

/** The devices in use now, and whether the participant turned them off. */
export type DevicesNow = Omit<RememberedDevices, 'forceTcp' | 'at'>;

declare global {
  interface Window {
    /** Read-only diagnostics for technicians and the browser tests: bytes received per producer. */
    summitBridge?: {
      inboundStats: MediaSession['inboundStats'];
      /** Each transport's selected path (candidate type, protocol, relay protocol). */
      linkPaths(): Promise<ClientReport['transports']>;
    };
  }
}

/** Inside the session: the media running, the console of the participant's role. */
export function SessionRoom({
  controller,
  entry,
  participantId,
  token,
  onDevices,
}: {
  controller: SessionController;
  entry: Entry;
  participantId: string;
  /** For what goes over HTTP (documents, the record of the meeting). */
  token: string;
  /** Told of every change of device or on/off, and as the page goes: what a reload comes back with. */
  onDevices?: (devices: DevicesNow) => void;
}) {
  const { t } = useTranslation();
  const view = useStore(controller.store);
  const notices = useMemo(() => new Notices(), []);
  const [media, setMedia] = useState<MediaSession | null>(null);
  const lobby = useLobbyFeed(controller, view.live?.you.role);
  // Media starts once the server said where this connection stands: inside (a snapshot came), or
  // waiting in the lobby (then it only shows its camera to the staff, until admitted).
  const inLobby = view.lobby === 'waiting';
  const mediaMayStart = inLobby || view.live !== null;
  const [startedInLobby, setStartedInLobby] = useState<boolean | null>(null);
  const proceedings = useProceedingsFeed(controller, notices, view.live !== null && !inLobby);
  if (mediaMayStart && startedInLobby === null) setStartedInLobby(inLobby);

  useEffect(() => () => notices.close(), [notices]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the media lives as long as the room, whatever the language
  useEffect(() => {
    if (startedInLobby === null) return;
    const problem = (error: unknown) =>
      notices.show(t('devices.publishFailed', { message: errorText(t, error) }));
    // An interpreter speaks into its booth's channel, and shows no camera.
    const interpreter = Boolean(controller.store.get().live?.you.booth);
    const session = new MediaSession({
      signaling: controller.signaling,
      participantId,
      forceTcp: entry.forceTcp,
      tracks: interpreter ? { mic: entry.tracks.mic, camera: null } : entry.tracks,
      voiceSource: interpreter ? 'interpretation' : 'mic',
      startPaused: entry.paused,
      onProblem: problem,
      waitingInLobby: startedInLobby,
    });
    const ended = (reason: ProducerCloseReason | null) =>
      notices.show(
        reason === 'stoppedByChair' ? t('presentation.endedByChair') : t('presentation.endedFloorMoved'),
      );
    const unwire = wireMedia(controller, session, problem, ended);
    session.start().catch(problem);
    setMedia(session);
    window.summitBridge = {
      inboundStats: () => session.inboundStats(),
      linkPaths: async () => linkReport(await session.linkStats(), null).report.transports,
    };
    return () => {
      unwire();
      session.close();
      delete window.summitBridge;
    };
  }, [controller, entry, participantId, notices, startedInLobby]);

  // Let in: the session is this participant's to see and hear now.
  const admitted = view.lobby === null && view.live !== null;
  useEffect(() => {
    if (media && admitted) void media.admitted();
  }, [media, admitted]);

  useRememberedDevices(media, onDevices);
  const desk = useInterpretationDesk(controller, view.live, media);
  const request = useShownRequest(controller, notices);

  if (view.lobby === 'refused') return <LobbyRefused />;
  if (inLobby) return <LobbyWaiting media={media} />;
  const live = view.live;
  if (!live) {
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
    proceedings,
    documents: { token, summitId: live.summit.id, sessionId: live.session.id },
  };
  const consoleOfRole = isChairRole(live.you.role) ? (
    <ChairConsole />
  ) : live.you.booth ? (
    <InterpreterConsole />
  ) : (
    <DelegateConsole />
  );
  return <SessionProvider api={api}>{consoleOfRole}</SessionProvider>;
}

const deviceOf = (track: MediaStreamTrack | null) => track?.getSettings().deviceId ?? null;

function useRememberedDevices(
  media: MediaSession | null,
  onDevices: ((devices: DevicesNow) => void) | undefined,
): void {
  useEffect(() => {
    if (!media || !onDevices) return;
    let last = '';
    const save = (always: boolean) => {
      const { mic, camera } = media.store.get();
      const now: DevicesNow = {
        micId: deviceOf(mic.track),
        cameraId: deviceOf(camera.track),
        micOff: mic.pausedByYou,
        cameraOff: camera.pausedByYou,
      };
      const text = JSON.stringify(now);
      if (!always && text === last) return; // the media store also changes with every remote track
      last = text;
      onDevices(now);
    };
    const onPageHide = () => save(true);
    save(true);
    const stop = media.store.subscribe(() => save(false));
    window.addEventListener('pagehide', onPageHide);
    return () => {
      stop();
      window.removeEventListener('pagehide', onPageHide);
    };
  }, [media, onDevices]);
}
