import { can, mayPresent } from '@summit-bridge/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { presentationOf } from '../gallery/seats.js';
import { useMediaState } from '../media/hooks.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';

/** What a shared screen asks of the browser: a screen, a window or a tab, its sound if offered. */
const displayRequest: DisplayMediaStreamOptions = { video: { frameRate: { max: 15 } }, audio: true };

/**
 * Share a screen while this delegation may present (it holds the floor, or the chair allows it);
 * stop sharing. The chair stops anyone's presentation from here too.
 */
export function PresentationControls() {
  const { t } = useTranslation();
  const { live, media, notices, request } = useSession();
  const state = useMediaState(media);
  const nameOf = useDelegationName();
  const heading = useId();
  const { role, delegation } = live.you;
  const shown = presentationOf(live);
  const presenting = state?.presentation != null;
  const mayShare =
    media !== null && can(role, 'media.publishVideo') && mayPresent(live.state, delegation) && !presenting;
  const chairMayStop = can(role, 'presentation.control') && shown !== null && !presenting;
  if (!presenting && !mayShare && !chairMayStop) return null;

  const share = async () => {
    if (!media) return;
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia(displayRequest);
      await media.startPresenting(stream);
    } catch (error) {
      // Cancelled in the browser's picker: nothing to say.
      if (error instanceof DOMException && error.name === 'NotAllowedError') return;
      notices.show(t('presentation.failed', { message: errorText(t, error) }));
    }
  };

  return (
    <section className="panel presentation-controls" aria-labelledby={heading}>
      <h2 id={heading} className="visually-hidden">
        {t('presentation.region')}
      </h2>
      {presenting && <p role="status">{t('presentation.youPresent')}</p>}
      {mayShare && <p className="hint">{t('presentation.mayPresent')}</p>}
      <div className="button-row">
        {mayShare && (
          <button type="button" className="button" onClick={() => void share()}>
            {t('presentation.share')}
          </button>
        )}
        {presenting && (
          <button type="button" className="button button--off" onClick={() => void media?.stopPresenting()}>
            {t('presentation.stop')}
          </button>
        )}
        {chairMayStop && (
          <button
            type="button"
            className="button button--danger"
            onClick={() => void request('presentation:stop', {})}
          >
            {t('presentation.chairStop', { delegation: nameOf(shown.delegation ?? '') })}
          </button>
        )}
      </div>
    </section>
  );
}
