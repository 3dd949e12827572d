import type { RecordingFileLink as FileLink } from '@summit-bridge/protocol';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../shared/errorText.js';
import type { DocumentsSource } from '../proceedings/documentsApi.js';
import { useSession } from '../session/SessionContext.js';
import { fetchRecordingLink, recordingFilePath } from './recordingsApi.js';
import { type RecordingUrls, useRecordingUrls } from './recordingUrls.js';

/**
 * A recording's file as a download link. The address is the file's own, but it needs the token: a
 * click asks for a link to it that needs none, and the browser saves from there, straight to disk.
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
      const link = document.createElement('a');
      link.href = (await fetchRecordingLink(source, recordingId, file)).url;
      link.download = file;
      link.click();
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
 * The composed file in a player that streams it from the server (by range, through a link that
 * needs no token), from the first Play. Given `startMs`, the player was opened by a Play elsewhere
 * (an intervention in the record): it loads at once, then starts from there. A link that expires
 * while the player is open is replaced when the player next fails on it, where it was.
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
  /** Links the players of one view share; without it, the player keeps its own. */
  urls?: RecordingUrls;
}) {
  const { t } = useTranslation();
  const { notices } = useSession();
  const own = useRecordingUrls();
  const links = urls ?? own;
  const [link, setLink] = useState<FileLink | null>(null);
  const [loading, setLoading] = useState(false);
  /** Where to go once the (new) source's metadata is in: the start asked for, or where it failed. */
  const resumeAt = useRef<number | undefined>(startMs);
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
      const loaded = await links.get(source, recordingId, file);
      if (mounted.current) setLink(loaded);
    } catch (error) {
      if (mounted.current) notices.show(errorText(t, error));
    } finally {
      if (mounted.current) setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a player opened to play from somewhere loads once, when it opens
  useEffect(() => {
    if (startMs !== undefined) void load();
  }, []);

  if (link) {
    return (
      // biome-ignore lint/a11y/useMediaCaption: the recorded floor has no caption track to offer
      <video
        className="recordings__video"
        controls
        preload="metadata"
        src={link.url}
        aria-label={t('recording.videoOf', { time: started })}
        onLoadedMetadata={(event) => {
          const at = resumeAt.current;
          resumeAt.current = undefined;
          if (at !== undefined) playFrom(event.currentTarget, at);
        }}
        onError={(event) => {
          if (!links.expired(link)) return notices.show(t('recording.playbackFailed'));
          resumeAt.current = event.currentTarget.currentTime * 1000;
          void load();
        }}
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
