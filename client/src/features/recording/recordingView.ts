import type {
  RecordedSegment,
  RecordingState,
  RecordingSummary,
  SessionStatus,
} from '@summit-bridge/protocol';

// What the recording features compute, apart from React: the elapsed clock, when a stopped
// recording's composed file is still worth waiting for, and the gaps a restarted recorder left.

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** Time since a recording started: "04:07" under an hour, "1:02:03" beyond; never negative. */
export function formatElapsed(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0
    ? `${hours}:${twoDigits(minutes)}:${twoDigits(seconds)}`
    : `${twoDigits(minutes)}:${twoDigits(seconds)}`;
}

/** A gap's length, rounded up: a gap of 300 ms is still a gap, so never "00:00". */
export function formatGap(ms: number): string {
  return formatElapsed(Math.ceil(Math.max(0, ms) / 1000) * 1000);
}

/** How long a recording ran; null while it runs. */
export function durationOf(recording: Pick<RecordingSummary, 'startedAt' | 'stoppedAt'>): number | null {
  return recording.stoppedAt === null ? null : Math.max(0, recording.stoppedAt - recording.startedAt);
}

/** The server refuses a start unless the session is open or suspended, and not recorded already. */
export function mayStartRecording(status: SessionStatus, recording: RecordingState | null): boolean {
  return recording === null && (status === 'open' || status === 'suspended');
}

/** After a stop, the list is asked again this often, for this long, until the composed file is named. */
export const composePoll = { everyMs: 2000, forMs: 60_000 } as const;

/** A recording that just stopped, and when this console saw it stop (its own clock). */
export interface StoppedRecording {
  recordingId: string;
  seenAt: number;
}

/**
 * Whether the composed file of this recording may still come: the server has not listed the
 * recording yet (it writes it as it stops), or lists it with neither a file nor a failure.
 */
export function awaitingComposition(recordings: readonly RecordingSummary[], recordingId: string): boolean {
  const recording = recordings.find((r) => r.id === recordingId);
  return recording === undefined || (recording.composed === null && recording.composeError === null);
}

/** Ask for the list again: the composed file is still to come and the minute since the stop is not over. */
export function shouldPollAgain(
  recordings: readonly RecordingSummary[],
  stopped: StoppedRecording | null,
  now: number,
): boolean {
  if (stopped === null || now - stopped.seenAt >= composePoll.forMs) return false;
  return awaitingComposition(recordings, stopped.recordingId);
}

/** Where a track's recording stopped and started again: between segment `after` and the next. */
export interface RecordingGap {
  after: number;
  from: number | null;
  to: number | null;
  /** Null when either end's wall-clock time is unknown. */
  ms: number | null;
}

/**
 * Where the recorder lost time: after a segment that ended because its recorder died (a pause of
 * the microphone ends a segment too, but that silence is the meeting's, not a gap). Each such
 * boundary is kept as it is (the files are never joined), even when its times are not known.
 */
export function gapsOf(segments: readonly RecordedSegment[]): RecordingGap[] {
  const gaps: RecordingGap[] = [];
  segments.slice(1).forEach((next, i) => {
    const before = segments[i];
    if (before?.endedBy !== 'recorderDied') return;
    const from = before.endAt;
    const to = next.startAt;
    gaps.push({ after: i, from, to, ms: from !== null && to !== null ? Math.max(0, to - from) : null });
  });
  return gaps;
}
