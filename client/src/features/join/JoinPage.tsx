import { can, type MeResponse } from '@summit-bridge/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../shared/store.js';
import { stopTracks } from '../devices/acquire.js';
import { SessionController } from '../session/SessionController.js';
import type { Refusal } from '../session/sessionReducer.js';
import { TechnicianRoom } from '../tech/TechnicianRoom.js';
import type { JoinLink } from './joinLink.js';
import { fetchMe, type MeResult, problemOf } from './me.js';
import { type Entry, PreJoinCheck } from './PreJoinCheck.js';
import { SessionChoice } from './SessionChoice.js';
import { SessionRoom } from './SessionRoom.js';
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

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the "try again" button
  useEffect(() => {
    let current = true;
    setMe(null);
    void fetchMe(link.token).then((result) => current && setMe(result));
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
  const linked = link.sessionId && sessions.some((s) => s.id === link.sessionId) ? link.sessionId : null;
  const sessionId = chosen ?? linked ?? (sessions.length === 1 ? (sessions[0]?.id ?? null) : null);
  if (!sessionId)
    return <SessionChoice me={me.me} notInvited={link.sessionId !== null && !linked} onChoose={setChosen} />;
  return <SessionEntry key={sessionId} me={me.me} token={link.token} sessionId={sessionId} />;
}

/** Admission to one session, then the pre-join check, then the console. */
function SessionEntry({ me, token, sessionId }: { me: MeResponse; token: string; sessionId: string }) {
  const { t } = useTranslation();
  const [controller, setController] = useState<SessionController | null>(null);
  const [admission, setAdmission] = useState<'pending' | 'admitted' | Refusal>('pending');

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
  return <Admitted controller={controller} me={me} token={token} />;
}

function Admitted({
  controller,
  me,
  token,
}: {
  controller: SessionController;
  me: MeResponse;
  token: string;
}) {
  const [entry, setEntry] = useState<Entry | null>(null);
  const { refusal } = useStore(controller.store);

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
  if (!entry) {
    return (
      <PreJoinCheck
        controller={controller}
        publish={{ audio: can(role, 'media.publishAudio'), video: can(role, 'media.publishVideo') }}
        onEnter={setEntry}
      />
    );
  }
  return <SessionRoom controller={controller} entry={entry} participantId={me.participant.id} />;
}
