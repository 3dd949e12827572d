import { RecordingList, type RecordingSummary } from '@summit-bridge/protocol';
import { auth, checked, type DocumentsSource, sessionPath } from '../proceedings/documentsApi.js';

// The session's recordings over HTTP, with the participant's token as a bearer, as the documents
// are: the server lets only the secretariat and the session's chairs read them.

/** The address of one file of a recording: a track's segment or the composed file. */
export const recordingFilePath = (source: DocumentsSource, recordingId: string, file: string) =>
  `${sessionPath(source)}/recordings/${encodeURIComponent(recordingId)}/files/${encodeURIComponent(file)}`;

/** Every recording of the session, as the server lists them (the newest first). */
export async function fetchRecordings(source: DocumentsSource): Promise<RecordingSummary[]> {
  const response = await checked(
    await fetch(`${sessionPath(source)}/recordings`, { headers: auth(source), cache: 'no-store' }),
  );
  return RecordingList.parse(await response.json()).recordings;
}

/**
 * One file's bytes. The token cannot ride in a `<video src>`, so the whole file comes as a blob
 * (the server's Range support goes unused); `signal` lets a closed player give up the download.
 */
export async function fetchRecordingFile(
  source: DocumentsSource,
  recordingId: string,
  file: string,
  signal?: AbortSignal,
): Promise<Blob> {
  const response = await fetch(recordingFilePath(source, recordingId, file), {
    headers: auth(source),
    cache: 'no-store',
    signal,
  });
  const blob = await (await checked(response)).blob();
  // A server that says nothing of the type would leave the player guessing: these files are WebM.
  return blob.type.startsWith('video/') || blob.type.startsWith('audio/')
    ? blob
    : new Blob([blob], { type: 'video/webm' });
}
