import type { RecordedTrack, RecordingSummary } from '@summit-bridge/protocol';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock, formatMoment } from '../../shared/time.js';
import { useLanguageName } from '../interpretation/languageName.js';
import type { DocumentsSource } from '../proceedings/documentsApi.js';
import { useDelegationName } from '../session/useNames.js';
import { RecordingFileLink, RecordingPlayer } from './RecordingFiles.js';
import { durationOf, formatElapsed, formatGap, gapsOf, type RecordingGap } from './recordingView.js';

/** One recording: when, how long, its composed file in a player, and each track's files with their gaps. */
export function RecordingItem({
  recording,
  source,
}: {
  recording: RecordingSummary;
  source: DocumentsSource;
}) {
  const { t, i18n } = useTranslation();
  const duration = durationOf(recording);
  const started = formatMoment(recording.startedAt, i18n.language);
  const withGaps = recording.tracks.filter((track) => track.segments.length > 1).length;
  return (
    <li className="recordings__item">
      <p>
        <strong>{t('recording.startedAt', { time: started })}</strong>
        {' · '}
        {duration === null
          ? t('recording.inProgress')
          : t('recording.duration', { duration: formatElapsed(duration) })}
      </p>
      {recording.stopReason !== null && recording.stopReason !== 'requested' && (
        <p className="hint">{t(`recording.stopReason.${recording.stopReason}`)}</p>
      )}
      <ComposedFile recording={recording} source={source} started={started} />
      {withGaps > 0 && (
        <p className="recordings__gap">{t('recording.tracksWithGaps', { count: withGaps })}</p>
      )}
      {recording.tracks.length > 0 && (
        <details className="recordings__tracks">
          <summary>{t('recording.tracks', { count: recording.tracks.length })}</summary>
          <ul>
            {recording.tracks.map((track) => (
              <TrackFiles key={track.name} recordingId={recording.id} track={track} source={source} />
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

/** The one file (floor audio mixed, stage video): a player once composed, else why there is none yet. */
function ComposedFile({
  recording,
  source,
  started,
}: {
  recording: RecordingSummary;
  source: DocumentsSource;
  started: string;
}) {
  const { t } = useTranslation();
  if (recording.composed !== null) {
    return (
      <>
        <RecordingPlayer
          source={source}
          recordingId={recording.id}
          file={recording.composed}
          started={started}
        />
        <p>
          {t('recording.download')}{' '}
          <RecordingFileLink source={source} recordingId={recording.id} file={recording.composed} />
        </p>
      </>
    );
  }
  if (recording.composeError !== null) {
    return (
      <p className="recordings__error">{t('recording.composeFailed', { reason: recording.composeError })}</p>
    );
  }
  // Still recording: nothing to compose yet (the header says it is being recorded).
  if (recording.stoppedAt === null) return null;
  return (
    <p className="hint" aria-busy="true">
      {t('recording.composing')}
    </p>
  );
}

/** A track's files in order; between two, the gap a restarted recorder left. */
function TrackFiles({
  recordingId,
  track,
  source,
}: {
  recordingId: string;
  track: RecordedTrack;
  source: DocumentsSource;
}) {
  const gaps = gapsOf(track.segments);
  return (
    <li className="recordings__track">
      <TrackName track={track} />
      <ul className="recordings__files">
        {track.segments.map((segment, i) => {
          const gap = gaps[i];
          return (
            <Fragment key={segment.file}>
              <li>
                <RecordingFileLink source={source} recordingId={recordingId} file={segment.file} />
              </li>
              {gap && (
                <li className="recordings__gap">
                  <GapNote gap={gap} />
                </li>
              )}
            </Fragment>
          );
        })}
      </ul>
    </li>
  );
}

/** What a track holds: "Floor, Indonesia (audio)", "Interpretation, Vietnamese (audio)". */
function TrackName({ track }: { track: RecordedTrack }) {
  const { t } = useTranslation();
  const nameOf = useDelegationName();
  const languageName = useLanguageName();
  const source = t(`recording.source.${track.source}`);
  const kind = t(`recording.kind.${track.kind}`);
  const who = track.language
    ? languageName(track.language)
    : track.delegation
      ? nameOf(track.delegation)
      : null;
  return (
    <span>
      {who ? t('recording.trackOf', { source, who, kind }) : t('recording.track', { source, kind })}
    </span>
  );
}

function GapNote({ gap }: { gap: RecordingGap }) {
  const { t, i18n } = useTranslation();
  if (gap.ms === null || gap.from === null || gap.to === null) return <>{t('recording.gapUnknown')}</>;
  return (
    <>
      {t('recording.gap', {
        duration: formatGap(gap.ms),
        from: formatClock(gap.from, i18n.language),
        to: formatClock(gap.to, i18n.language),
      })}
    </>
  );
}
