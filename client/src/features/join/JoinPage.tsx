import { can, type MeResponse } from '@summit-bridge/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../shared/store.js';
import { stopTracks } from '../devices/acquire.js';
import { SessionController } from '../session/SessionController.js';
import type { Refusal } from '../session/sessionReducer.js';
import { TechnicianRoom } from '../tech/TechnicianRoom.js';
import type { JoinLink } from './joinLink.js';
import { fetchMe, type MeResult, problemOf } from './me.js';
import { type Entry, PreJoinCheck } from './PreJoinCheck.js';
import {
  type Remembered,
  type RememberedDevices,
  readRemembered,
  remember,
  restoreEntry,
  tabStorage,
} from './rememberedEntry.js';
import { SessionChoice } from './SessionChoice.js';
import { type DevicesNow, SessionRoom } from './SessionRoom.js';
import { TokenProblemScreen } from './TokenProblemScreen.js';

function Waiting({ text }: { text: string }) {
  return (
    <main className="screen" aria-busy="true">
      <p className="screen__lead">{text}</p>
    </main>
  );
}

/** From a join link to a console: the token checked, a session chosen, the pre-join check, the role's console. */
export function JoinPage({ link }: { link: JoinLink }) {
  const { t } = useTranslation();
  const [me, setMe] = useState<MeResult | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [chosen, setChosen] = useState<string | null>(null);
  // Read once, as the page opens: where this tab was before a reload.
  const [remembered, setRemembered] = useState<Remembered | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the "try again" button
  useEffect(() => {
    let current = true;
    setMe(null);
    void fetchMe(link.token).then((result) => {
      if (!current) return;
      setRemembered(result.ok ? readRemembered(tabStorage(), result.me.participant.id) : null);
      setMe(result);
    });
    return () => {
      current = false;
    };
  }, [link.token, attempt]);

  if (me === null) return <Waiting text={t('join.checkingLink')} />;
  if (!me.ok)
    return (
      <TokenProblemScreen
        problem={me.problem}
        message={me.message}
        onRetry={() => setAttempt((a) => a + 1)}
      />
    );
  const sessions = me.me.sessions;
  const invited = (id: string | null | undefined) => (id && sessions.some((s) => s.id === id) ? id : null);
  const linked = invited(link.sessionId);
  const sessionId =
    chosen ??
    linked ??
    invited(remembered?.sessionId) ??
    (sessions.length === 1 ? (sessions[0]?.id ?? null) : null);
  const participantId = me.me.participant.id;
  if (!sessionId) {
    const choose = (id: string) => {
      remember(tabStorage(), participantId, { sessionId: id, devices: null });
      setChosen(id);
    };
    return <SessionChoice me={me.me} notInvited={link.sessionId !== null && !linked} onChoose={choose} />;
  }
  return (
    <SessionEntry
      key={sessionId}
      me={me.me}
      token={link.token}
      sessionId={sessionId}
      remembered={remembered?.sessionId === sessionId ? remembered.devices : null}
    />
  );
}

/** Admission to one session, then the pre-join check (unless a reload remembers it), then the console. */
function SessionEntry({
  me,
  token,
  sessionId,
  remembered,
}: {
  me: MeResponse;
  token: string;
  sessionId: string;
  remembered: RememberedDevices | null;
}) {
  const { t } = useTranslation();
  const [controller, setController] = useState<SessionController | null>(null);
  const [admission, setAdmission] = useState<'pending' | 'admitted' | Refusal>('pending');
  const participantId = me.participant.id;
  const onDevices = useCallback(
    (devices: RememberedDevices) => remember(tabStorage(), participantId, { sessionId, devices }),
    [participantId, sessionId],
  );

  useEffect(() => {
    const created = new SessionController({ token, sessionId });
    setController(created);
    setAdmission('pending');
    created.start().then(
      () => setAdmission('admitted'),
      (refusal: Refusal) => setAdmission(refusal),
    );
    return () => created.close();
  }, [token, sessionId]);

  if (!controller || admission === 'pending') return <Waiting text={t('join.connecting')} />;
  if (admission !== 'admitted')
    return (
      <TokenProblemScreen
        problem={problemOf(admission.code, admission.message)}
        message={admission.message}
      />
    );
  return (
    <Admitted controller={controller} me={me} token={token} remembered={remembered} onDevices={onDevices} />
  );
}

function Admitted({
  controller,
  me,
  token,
  remembered,
  onDevices,
}: {
  controller: SessionController;
  me: MeResponse;
  token: string;
  remembered: RememberedDevices | null;
  onDevices: (devices: RememberedDevices) => void;
}) {
  const { t } = useTranslation();
  const [entry, setEntry] = useState<Entry | null>(null);
  const [restoring, setRestoring] = useState(remembered !== null);
  const { refusal } = useStore(controller.store);
  const forceTcp = entry?.forceTcp ?? false;
  const onDevicesNow = useCallback(
    (now: DevicesNow) => onDevices({ ...now, forceTcp, at: Date.now() }),
    [forceTcp, onDevices],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: only what the page remembered as it opened
  useEffect(() => {
    if (!remembered) return;
    let current = true;
    void restoreEntry(remembered).then((restored) => {
      if (!current) {
        if (restored) stopTracks(restored.tracks);
        return;
      }
      // A device gone meanwhile: the pre-join check, as on a first visit.
      if (restored) setEntry(restored);
      setRestoring(false);
    });
    return () => {
      current = false;
    };
  }, []);

  // The tracks live as long as the participant is in the session.
  useEffect(() => {
    if (!entry) return;
    return () => stopTracks(entry.tracks);
  }, [entry]);

  // Turned away later (token revoked, session closed to them): say so instead of retrying forever.
  if (refusal)
    return (
      <TokenProblemScreen problem={problemOf(refusal.code, refusal.message)} message={refusal.message} />
    );
  const { role } = me.participant;
  // Technicians watch the links; they neither send nor receive media themselves.
  if (can(role, 'telemetry.act')) return <TechnicianRoom controller={controller} token={token} />;
  if (restoring) return <Waiting text={t('join.connecting')} />;
  if (!entry) {
    return (
      <PreJoinCheck
        controller={controller}
        publish={{ audio: can(role, 'media.publishAudio'), video: can(role, 'media.publishVideo') }}
        onEnter={setEntry}
      />
    );
  }
  return (
    <SessionRoom
      controller={controller}
      entry={entry}
      participantId={me.participant.id}
      token={token}
      onDevices={onDevicesNow}
    />
  );
}
