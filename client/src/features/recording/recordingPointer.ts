import { type RecordItem, RecordingId, type RecordingSummary } from '@summit-bridge/protocol';
import { z } from 'zod';

// Where the record of the meeting points into a recording, apart from React: the pointer an
// intervention carries in its loosely typed detail, and whether its composed file can be played.

/** Where an intervention starts in a recording's composed file. */
export interface RecordingPointer {
  recordingId: string;
  offsetMs: number;
}

const Pointer = z.object({ recordingId: RecordingId, offsetMs: z.number().finite().min(0) });

/**
 * The recording an intervention of the record points into; null for any other item, or a pointer
 * of another shape (the detail is an audit line's facts, typed only as a record of unknowns).
 */
export function recordingPointerOf(item: Pick<RecordItem, 'kind' | 'detail'>): RecordingPointer | null {
  if (item.kind !== 'intervention') return null;
  const pointer = Pointer.safeParse(item.detail.recording);
  return pointer.success ? pointer.data : null;
}

/** A recording's composed file as the list has it: not asked yet, playable, or why not. */
export type ComposedFile =
  | { state: 'loading' }
  | { state: 'ready'; file: string; startedAt: number }
  /** Still recording, or stopped and being composed. */
  | { state: 'preparing' }
  | { state: 'failed'; reason: string }
  /** The list does not have it (it changed since it was read, or the recording is gone). */
  | { state: 'missing' };

export function composedFileOf(
  recordings: readonly RecordingSummary[] | null,
  recordingId: string,
): ComposedFile {
  if (recordings === null) return { state: 'loading' };
  const recording = recordings.find((r) => r.id === recordingId);
  if (!recording) return { state: 'missing' };
  if (recording.composed !== null) {
    return { state: 'ready', file: recording.composed, startedAt: recording.startedAt };
  }
  if (recording.composeError !== null) return { state: 'failed', reason: recording.composeError };
  return { state: 'preparing' };
}
