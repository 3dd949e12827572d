import { z } from 'zod';
import { DelegationCode, MediaId } from './ids.js';

// Recording a session: the chair (or the secretariat) starts and stops it; while it runs, every
// console shows it. The media nodes write each track without re-encoding; after the stop, one file
// per recording mixes the floor audio and follows the stage video. Files are read through the HTTP
// API by the secretariat and the session's chairs only.

export const RecordingId = z.string().regex(/^r[0-9a-z]{6,24}$/, 'a recording id looks like r1a2b3c4d');
export type RecordingId = z.infer<typeof RecordingId>;

/** The recording under way in a session (in its state, so every console shows it). */
export const RecordingState = z.object({
  id: RecordingId,
  startedAt: z.number(),
  /** The delegation of whoever started it (null: the secretariat). */
  by: DelegationCode.nullable(),
});
export type RecordingState = z.infer<typeof RecordingState>;

/** Why a recording stopped. */
export const RecordingStopReason = z.enum(['requested', 'diskFull', 'sessionClosed']);
export type RecordingStopReason = z.infer<typeof RecordingStopReason>;

export const StartRecording = z.strictObject({});
export const StopRecording = z.strictObject({});
export const RecordingStarted = z.object({ recordingId: RecordingId, version: z.number().int() });

/** What a track holds: the floor (a delegation's or the chair's microphone), a booth, the stage. */
export const RecordedSource = z.enum(['floor', 'interpretation', 'stage']);
export type RecordedSource = z.infer<typeof RecordedSource>;

/**
 * One stretch of a track in one file. `startAt` is the wall-clock time of its first sample, from
 * the RTP timestamps and the media node's sender reports (not from arrival); a recorder that died
 * leaves a gap before the next segment, and the gap is kept, never closed up.
 */
export const RecordedSegment = z.object({
  file: z.string(),
  startAt: z.number().nullable(),
  endAt: z.number().nullable(),
  /** Packets written, packets lost on the way and recovered by NACK, packets lost for good. */
  packets: z.number().int(),
  repaired: z.number().int(),
  lost: z.number().int(),
  /**
   * Why it ended: the recording stopped; `silence` — nothing came for a while (a microphone held
   * back) and the next segment starts with the next sound; `recorderDied` — a gap the recorder
   * did not choose. Null while it is being written.
   */
  endedBy: z.enum(['stop', 'silence', 'recorderDied']).nullable().default(null),
});
export type RecordedSegment = z.infer<typeof RecordedSegment>;

export const RecordedTrack = z.object({
  /** File-name stem, unique in the recording: `floor-IDN-<producer>`, `interpretation-vi-…`. */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/),
  source: RecordedSource,
  kind: z.enum(['audio', 'video']),
  producerId: MediaId,
  delegation: DelegationCode.nullable(),
  /** The booth's language of an interpretation channel. */
  language: z.string().nullable(),
  segments: z.array(RecordedSegment),
});
export type RecordedTrack = z.infer<typeof RecordedTrack>;

/** A recording as the secretariat finds it: its tracks, its gaps and its composed file. */
export const RecordingSummary = z.object({
  id: RecordingId,
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  stopReason: RecordingStopReason.nullable(),
  tracks: z.array(RecordedTrack),
  /** The one file: floor audio mixed, stage video; null until composed. */
  composed: z.string().nullable(),
  /** Composition failed: why (the tracks are kept). */
  composeError: z.string().nullable(),
});
export type RecordingSummary = z.infer<typeof RecordingSummary>;

export const RecordingList = z.object({ recordings: z.array(RecordingSummary) });

/** A link to one file that a media element can play or a browser save without the token. */
export const RecordingFileLink = z.object({
  /** Path and query on this server. */
  url: z.string(),
  /** Milliseconds since the epoch: after it, ask for another. */
  expiresAt: z.number(),
});
export type RecordingFileLink = z.infer<typeof RecordingFileLink>;
