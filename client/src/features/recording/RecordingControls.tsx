import { can } from '@summit-bridge/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { mayStartRecording } from './recordingView.js';

/**
 * Start and stop the session's recording (chairs, the secretariat). Stopping asks for a second
 * click, as closing the session does. A refusal (already recorded, session not open, not allowed)
 * comes back typed and is shown by `request` as a notice.
 */
export function RecordingControls({ className }: { className?: string }) {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const nameOf = useDelegationName();
  const heading = useId();
  // Confirming the stop of this recording, by id: a later recording starts unconfirmed.
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!can(live.you.role, 'recording.control')) return null;
  const { status, recording } = live.state;

  const send = async (name: 'recording:start' | 'recording:stop') => {
    setConfirming(null);
    setBusy(true);
    try {
      await request(name, {});
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={className ?? 'recording-controls'} aria-labelledby={heading}>
      <h3 id={heading}>{t('recording.controls')}</h3>
      {recording === null ? (
        <>
          {!mayStartRecording(status, recording) && <p className="hint">{t('recording.startHint')}</p>}
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={busy || !mayStartRecording(status, recording)}
              onClick={() => void send('recording:start')}
            >
              {t('recording.start')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p>
            {recording.by === null
              ? t('recording.startedBySecretariat')
              : t('recording.startedBy', { delegation: nameOf(recording.by) })}
          </p>
          <div className="button-row">
            {confirming === recording.id ? (
              <>
                <button
                  type="button"
                  className="button button--danger"
                  disabled={busy}
                  onClick={() => void send('recording:stop')}
                >
                  {t('recording.confirmStop')}
                </button>
                <button type="button" className="button" onClick={() => setConfirming(null)}>
                  {t('recording.cancel')}
                </button>
              </>
            ) : (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => setConfirming(recording.id)}
              >
                {t('recording.stop')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
