import { can } from '@summit-bridge/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import type { DocumentsSource } from '../proceedings/documentsApi.js';
import { useSession } from '../session/SessionContext.js';
import { RecordingControls } from './RecordingControls.js';
import { RecordingItem } from './RecordingItem.js';
import { useRecordings } from './useRecordings.js';

/**
 * The session's recordings, for those the server lets read them (the secretariat, the session's
 * chairs); with the start and stop buttons where the console has no chair panel to hold them.
 */
export function RecordingsPanel({ withControls }: { withControls: boolean }) {
  const { t } = useTranslation();
  const { live, documents } = useSession();
  const heading = useId();
  const role = live.you.role;
  const controls = withControls && can(role, 'recording.control');
  const source = can(role, 'record.read') ? documents : null;
  if (!controls && !source) return null;
  return (
    <section className="panel recordings" aria-labelledby={heading}>
      <h2 id={heading}>{t('recording.region')}</h2>
      {controls && <RecordingControls />}
      {source && <RecordingList source={source} />}
    </section>
  );
}

function RecordingList({ source }: { source: DocumentsSource }) {
  const { t } = useTranslation();
  const { live } = useSession();
  const { recordings, error, refresh } = useRecordings(source, live.state.recording?.id ?? null);
  const heading = useId();
  return (
    <section className="recordings__list" aria-labelledby={heading}>
      <h3 id={heading}>{t('recording.list')}</h3>
      {error !== null && <p className="recordings__error">{errorText(t, error)}</p>}
      {recordings === null ? (
        error === null && (
          <p className="hint" aria-busy="true">
            {t('recording.loading')}
          </p>
        )
      ) : recordings.length === 0 ? (
        <p className="hint">{t('recording.none')}</p>
      ) : (
        <ul className="recordings__items" aria-labelledby={heading}>
          {recordings.map((recording) => (
            <RecordingItem key={recording.id} recording={recording} source={source} />
          ))}
        </ul>
      )}
      <div className="button-row">
        <button type="button" className="button button--small" onClick={refresh}>
          {t('recording.refresh')}
        </button>
      </div>
    </section>
  );
}
