import { useTranslation } from 'react-i18next';
import { useNow } from '../floor/useNow.js';
import { useSession } from '../session/SessionContext.js';
import { formatElapsed } from './recordingView.js';

/**
 * "Recording" with a red dot and the time since it started, on every console while the session is
 * recorded. The status region stays in the page, empty when nothing is recorded, so that a screen
 * reader announces the start (a live region inserted with its text is often not announced).
 */
export function RecordingIndicator() {
  const { t } = useTranslation();
  const { live, now } = useSession();
  const recording = live.state.recording;
  const time = useNow(now, recording !== null, 1000);
  const elapsed = recording ? formatElapsed(time - recording.startedAt) : null;
  return (
    <div
      className="recording-slot"
      role="status"
      aria-label={elapsed === null ? undefined : t('recording.indicatorLabel', { elapsed })}
    >
      {elapsed !== null && (
        <p className="recording-indicator">
          <span className="recording-indicator__dot" aria-hidden="true" />
          <span>{t('recording.indicator')}</span>{' '}
          {/* The clock changes every second: kept out of what is announced, read in the name instead. */}
          <span className="recording-indicator__clock" aria-hidden="true">
            {elapsed}
          </span>
        </p>
      )}
    </div>
  );
}
