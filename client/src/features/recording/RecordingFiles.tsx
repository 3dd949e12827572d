import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import { type DocumentsSource, download } from '../proceedings/documentsApi.js';
import { useSession } from '../session/SessionContext.js';
import { fetchRecordingFile, recordingFilePath } from './recordingsApi.js';
import { isAbort, type RecordingUrls, useRecordingUrls } from './recordingUrls.js';

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
 * hundreds of megabytes, and with the token it can only come whole, as a blob. Given `startMs`, the
 * player was opened by a Play elsewhere (an intervention in the record): it loads at once, then
 * starts from there.
 */
export function RecordingPlayer({
  source,
  recordingId,
  file,
  started,
  startMs,
  urls,
}: {
  source: DocumentsSource;
  recordingId: string;
  file: string;
  /** When the recording started, as shown: it tells one recording's player from another's. */
  started: string;
  /** Where to start playing, in ms into the file. */
  startMs?: number;
  /** Files the players of one view share; without it, the player keeps its own. */
  urls?: RecordingUrls;
}) {
  const { t } = useTranslation();
  const { notices } = useSession();
  const own = useRecordingUrls();
  const files = urls ?? own;
  const [url, setUrl] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const load = async () => {
    setLoading(true);
    try {
      const loaded = await files.get(source, recordingId, file);
      if (mounted.current) setUrl(loaded);
    } catch (error) {
      if (mounted.current && !isAbort(error)) notices.show(errorText(t, error));
    } finally {
      if (mounted.current) setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a player opened to play from somewhere loads once, when it opens
  useEffect(() => {
    if (startMs !== undefined) void load();
  }, []);

  if (url) {
    return (
      // biome-ignore lint/a11y/useMediaCaption: the recorded floor has no caption track to offer
      <video
        className="recordings__video"
        controls
        preload="metadata"
        src={url}
        aria-label={t('recording.videoOf', { time: started })}
        onLoadedMetadata={
          startMs === undefined ? undefined : (event) => playFrom(event.currentTarget, startMs)
        }
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

/** Seeks (only possible once the duration is known) and plays. */
function playFrom(video: HTMLVideoElement, ms: number) {
  video.currentTime = ms / 1000;
  // Refused when the click is too long ago for the browser's autoplay rule: the player stays at
  // the start of the intervention, and its own controls play from there.
  video.play().catch(() => undefined);
}
