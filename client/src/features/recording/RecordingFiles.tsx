import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { type DocumentsSource, download } from '../proceedings/documentsApi.js';
import { useSession } from '../session/SessionContext.js';
import { fetchRecordingFile, recordingFilePath } from './recordingsApi.js';

/**
 * A recording's file as a download link. The address is the file's own, but it needs the token:
 * a click fetches it with the token and hands it to the browser, as the record of the meeting does.
 */
export function RecordingFileLink({
  source,
  recordingId,
  file,
}: {
  source: DocumentsSource;
  recordingId: string;
  file: string;
}) {
  const { t } = useTranslation();
  const { notices } = useSession();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (busy) return;
    setBusy(true);
    try {
      download(await fetchRecordingFile(source, recordingId, file), file);
    } catch (error) {
      notices.show(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <a
      href={recordingFilePath(source, recordingId, file)}
      download={file}
      aria-busy={busy}
      onClick={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {file}
    </a>
  );
}

/**
 * The composed file in a player. It is fetched only when asked for: a session's file runs to
 * hundreds of megabytes, and with the token it can only come whole, as a blob.
 */
export function RecordingPlayer({
  source,
  recordingId,
  file,
  started,
}: {
  source: DocumentsSource;
  recordingId: string;
  file: string;
  /** When the recording started, as shown: it tells one recording's player from another's. */
  started: string;
}) {
  const { t } = useTranslation();
  const { notices } = useSession();
  const [url, setUrl] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const pending = useRef<AbortController | null>(null);

  // A player that goes stops its download and lets the browser free the bytes.
  useEffect(() => () => pending.current?.abort(), []);
  useEffect(() => (url ? () => URL.revokeObjectURL(url) : undefined), [url]);

  const load = async () => {
    const controller = new AbortController();
    pending.current = controller;
    setLoading(true);
    try {
      const blob = await fetchRecordingFile(source, recordingId, file, controller.signal);
      if (!controller.signal.aborted) setUrl(URL.createObjectURL(blob));
    } catch (error) {
      if (!controller.signal.aborted) notices.show(errorText(t, error));
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  };

  if (url) {
    return (
      // biome-ignore lint/a11y/useMediaCaption: the recorded floor has no caption track to offer
      <video
        className="recordings__video"
        controls
        preload="metadata"
        src={url}
        aria-label={t('recording.videoOf', { time: started })}
      />
    );
  }
  return (
    <div className="button-row">
      <button
        type="button"
        className="button"
        disabled={loading}
        aria-label={loading ? undefined : t('recording.playOf', { time: started })}
        onClick={() => void load()}
      >
        {loading ? t('recording.loadingVideo') : t('recording.play')}
      </button>
    </div>
  );
}
