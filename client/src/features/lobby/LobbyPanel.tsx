import { can, type LobbyEntry, type ProducerInfo } from '@summit-bridge/protocol';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../shared/store.js';
import { formatClock } from '../../shared/time.js';
import { useMediaState, useTileDemand, useTileView } from '../media/hooks.js';
import { VideoView } from '../media/VideoView.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import type { LobbyFeed } from './LobbyFeed.js';

/** The cameras of those waiting, as producers the media session may consume for this console. */
const camerasOf = (waiting: readonly LobbyEntry[]): ProducerInfo[] =>
  waiting.flatMap((w) =>
    w.cameraProducerId
      ? [
          {
            producerId: w.cameraProducerId,
            participantId: w.participantId,
            delegation: w.delegation,
            kind: 'video' as const,
            source: 'camera' as const,
            paused: false,
          },
        ]
      : [],
  );

function LobbyCamera({ entry }: { entry: LobbyEntry }) {
  const { t } = useTranslation();
  const { media } = useSession();
  const state = useMediaState(media);
  const ref = useRef<HTMLDivElement>(null);
  const view = useTileView(ref);
  const producerId = entry.cameraProducerId;
  // A look at who it is: the smallest stream, at a low frame rate.
  useTileDemand(media, producerId, view.visible ? { spatialLayer: 0, temporalLayer: 1 } : null);
  const track = producerId ? (state?.remote[producerId] ?? null) : null;
  return (
    <div ref={ref} className="lobby__camera" role="img" aria-label={t('lobby.camera', { name: entry.name })}>
      {track && view.visible && <VideoView track={track} />}
    </div>
  );
}

/** Who waits to be let in: name, delegation, camera; admit or refuse (secretariat, technicians). */
export function LobbyPanel({ feed }: { feed: LobbyFeed }) {
  const { t, i18n } = useTranslation();
  const { live, media, request } = useSession();
  const waiting = useStore(feed.store);
  const nameOf = useDelegationName();
  const manages = can(live.you.role, 'lobby.manage');

  useEffect(() => {
    void feed.load();
  }, [feed]);
  useEffect(() => {
    media?.setLobbyCameras(camerasOf(waiting));
  }, [media, waiting]);
  useEffect(() => () => media?.setLobbyCameras([]), [media]);

  const delegations = [...new Set(waiting.map((w) => w.delegation).filter((d): d is string => d !== null))];
  return (
    <section className="panel lobby" aria-label={t('lobby.region')}>
      <h2>{t('lobby.region')}</h2>
      {waiting.length === 0 ? (
        <p>{t('lobby.nobody')}</p>
      ) : (
        <ul className="lobby__list">
          {waiting.map((entry) => (
            <li key={entry.connectionId} className="lobby__entry">
              <LobbyCamera entry={entry} />
              <div className="lobby__who">
                <strong>{entry.name}</strong>
                <span>
                  {[
                    entry.delegation ? nameOf(entry.delegation) : null,
                    t(`roles.${entry.role}`),
                    entry.delegationInside ? t('lobby.secondDevice') : null,
                    t('lobby.waitingSince', { time: formatClock(entry.since, i18n.language) }),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </div>
              {manages && (
                <div className="lobby__actions">
                  <button
                    type="button"
                    onClick={() => void request('lobby:admit', { connectionId: entry.connectionId })}
                  >
                    {t('lobby.admit', { name: entry.name })}
                  </button>
                  <button
                    type="button"
                    onClick={() => void request('lobby:refuse', { connectionId: entry.connectionId })}
                  >
                    {t('lobby.refuse', { name: entry.name })}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {manages &&
        delegations.map((delegation) => (
          <button
            key={delegation}
            type="button"
            onClick={() => void request('lobby:admitDelegation', { delegation })}
          >
            {t('lobby.admitDelegation', { delegation: nameOf(delegation) })}
          </button>
        ))}
    </section>
  );
}
