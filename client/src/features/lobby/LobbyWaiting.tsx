import { useTranslation } from 'react-i18next';
import { useMediaState } from '../media/hooks.js';
import type { MediaControls } from '../media/MediaSession.js';
import { VideoView } from '../media/VideoView.js';

/** What a participant sees in the lobby: that it waits, and its camera as the staff see it. */
export function LobbyWaiting({ media }: { media: MediaControls | null }) {
  const { t } = useTranslation();
  const state = useMediaState(media);
  const track = state?.camera.track ?? null;
  return (
    <main className="screen lobby-wait" aria-busy="true">
      <h1>{t('lobby.waitingTitle')}</h1>
      <p className="screen__lead">{t('lobby.waitingLead')}</p>
      {track && (
        <figure className="lobby-wait__camera">
          <VideoView track={track} mirrored />
          <figcaption>{t('lobby.yourCamera')}</figcaption>
        </figure>
      )}
    </main>
  );
}

/** What a participant the staff did not admit sees. */
export function LobbyRefused() {
  const { t } = useTranslation();
  return (
    <main className="screen">
      <h1>{t('lobby.refusedTitle')}</h1>
      <p className="screen__lead">{t('lobby.refusedLead')}</p>
    </main>
  );
}
