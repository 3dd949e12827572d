import { useTranslation } from 'react-i18next';
import { useMediaState } from '../media/hooks.js';
import { useSession } from '../session/SessionContext.js';

const troubled = (state: string | null) => state === 'disconnected' || state === 'failed';

/** Says plainly when the link is down and that the page is recovering by itself. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const { link, media } = useSession();
  const state = useMediaState(media);
  const signalingDown = link !== 'connected';
  const mediaDown = state !== null && (troubled(state.transports.send) || troubled(state.transports.recv));
  return (
    <div className="banner-slot" role="status" aria-live="assertive">
      {(signalingDown || mediaDown) && (
        <div className="banner">
          <strong>{signalingDown ? t('console.reconnecting') : t('console.restoringMedia')}</strong>
          {signalingDown && <span> {t('console.reconnectingDetail')}</span>}
        </div>
      )}
    </div>
  );
}
