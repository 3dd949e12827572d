import { can, type RecordItem } from '@summit-bridge/protocol';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { formatMoment } from '../../shared/time.js';
import type { DocumentsSource } from '../proceedings/documentsApi.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { RecordingPlayer } from './RecordingFiles.js';
import { composedFileOf, type RecordingPointer, recordingPointerOf } from './recordingPointer.js';
import { type RecordingUrls, useRecordingUrls } from './recordingUrls.js';
import { formatElapsed } from './recordingView.js';
import { type RecordingsView, useRecordings } from './useRecordings.js';

/** What the record's Play buttons share: the recordings list, to find each file, and the files fetched. */
export interface RecordPlayback {
  source: DocumentsSource;
  recordings: RecordingsView;
  urls: RecordingUrls;
}

/**
 * Playback for the record on screen; null for those who may not read recordings, or when no
 * intervention in it was recorded (then the list is not asked for).
 */
export function useRecordPlayback(items: readonly RecordItem[]): RecordPlayback | null {
  const { live, documents } = useSession();
  const recorded = useMemo(() => items.some((item) => recordingPointerOf(item) !== null), [items]);
  const source = recorded && can(live.you.role, 'record.read') ? documents : null;
  const recordings = useRecordings(source, live.state.recording?.id ?? null);
  const urls = useRecordingUrls();
  return source ? { source, recordings, urls } : null;
}

/**
 * An intervention's Play button and, once pressed, its player from where it starts, or why there
 * is none. `opened` counts the presses that opened it: a new press starts it again.
 */
export function InterventionPlayback({
  item,
  pointer,
  playback,
  opened,
  onOpen,
}: {
  item: RecordItem;
  pointer: RecordingPointer;
  playback: RecordPlayback;
  /** Null: closed. */
  opened: number | null;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  const nameOf = useDelegationName();
  const offset = formatElapsed(pointer.offsetMs);
  const label =
    item.delegation === null
      ? t('recording.playChairStatement', { offset })
      : t('recording.playStatementOf', { delegation: nameOf(item.delegation), offset });
  const press = () => {
    // Not composed when the list was read: it may be by now.
    const found = composedFileOf(playback.recordings.recordings, pointer.recordingId).state;
    if (found === 'preparing' || found === 'missing') playback.recordings.refresh();
    onOpen();
  };
  return (
    <>
      {' '}
      <button type="button" className="button button--small" aria-label={label} onClick={press}>
        {t('recording.playIntervention')}
      </button>
      {opened !== null && <InterventionPlayer key={opened} pointer={pointer} playback={playback} />}
    </>
  );
}

function InterventionPlayer({ pointer, playback }: { pointer: RecordingPointer; playback: RecordPlayback }) {
  const { t, i18n } = useTranslation();
  const { recordings, error } = playback.recordings;
  const found = composedFileOf(recordings, pointer.recordingId);
  switch (found.state) {
    case 'ready':
      return (
        <RecordingPlayer
          source={playback.source}
          urls={playback.urls}
          recordingId={pointer.recordingId}
          file={found.file}
          started={formatMoment(found.startedAt, i18n.language)}
          startMs={pointer.offsetMs}
        />
      );
    case 'loading':
      return error === null ? (
        <p className="hint" aria-busy="true">
          {t('recording.loading')}
        </p>
      ) : (
        <p className="recordings__error">{errorText(t, error)}</p>
      );
    case 'preparing':
      return <p className="hint">{t('recording.stillPreparing')}</p>;
    case 'failed':
      return <p className="recordings__error">{t('recording.composeFailed', { reason: found.reason })}</p>;
    case 'missing':
      return <p className="recordings__error">{t('recording.notListed')}</p>;
  }
}
