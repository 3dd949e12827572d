// The chair's (or the secretariat's) recording requests: session commands, audited with the floor's.
import type { RequestName } from '@summit-bridge/protocol';
import type { RecordingService } from '../recording/RecordingService.js';
import type { Handlers } from './context.js';

type RecordingRequest = Extract<RequestName, `recording:${string}`>;

export function recordingHandlers(recordings: RecordingService): Handlers<RecordingRequest> {
  return {
    'recording:start': (conn) => recordings.start(conn.key, conn.actor),
    'recording:stop': (conn) => recordings.stop(conn.key, conn.actor),
  };
}
