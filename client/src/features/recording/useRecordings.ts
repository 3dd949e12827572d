import type { RecordingSummary } from '@summit-bridge/protocol';
import { useEffect, useMemo, useState } from 'react';
import type { DocumentsSource } from '../proceedings/documentsApi.js';
import { fetchRecordings } from './recordingsApi.js';
import { composePoll, type StoppedRecording, shouldPollAgain } from './recordingView.js';

export interface RecordingsView {
  /** Null until the first answer. */
  recordings: RecordingSummary[] | null;
  /** Why the last attempt failed; cleared by the next answer. */
  error: unknown;
  refresh: () => void;
}

/**
 * The session's recordings, asked again whenever a recording starts or stops. The composed file
 * comes a few seconds after the stop: until the list names it (or its failure), the list is asked
 * again every 2 s, for a minute at most.
 */
export function useRecordings(source: DocumentsSource | null, current: string | null): RecordingsView {
  const [recordings, setRecordings] = useState<RecordingSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);
  // The console's `documents` is a new object at every render: only a change of its values counts.
  const { token, summitId, sessionId } = source ?? {};
  const from = useMemo(
    () => (token && summitId && sessionId ? { token, summitId, sessionId } : null),
    [token, summitId, sessionId],
  );

  // A recording going (non-null, then null or another) is the one whose composed file to wait for.
  const [seen, setSeen] = useState(current);
  const [stopped, setStopped] = useState<StoppedRecording | null>(null);
  if (seen !== current) {
    setSeen(current);
    if (seen !== null) setStopped({ recordingId: seen, seenAt: Date.now() });
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: a recording that starts or stops, or the Refresh button, loads the list again
  useEffect(() => {
    if (!from) return;
    let over = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const list = await fetchRecordings(from);
        if (over) return;
        setRecordings(list);
        setError(null);
        if (shouldPollAgain(list, stopped, Date.now())) timer = setTimeout(load, composePoll.everyMs);
      } catch (failure) {
        // Not asked again by itself: a refusal would only repeat; the Refresh button tries again.
        if (!over) setError(failure);
      }
    };
    void load();
    return () => {
      over = true;
      clearTimeout(timer);
    };
  }, [from, current, stopped, reloads]);

  return { recordings, error, refresh: () => setReloads((n) => n + 1) };
}
