import { RecordingFileLink, RecordingList, type RecordingSummary } from '@summit-bridge/protocol';
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
 * A link to one file that needs no token: a `<video src>` streams it by range as it plays and
 * seeks, and a download goes to disk instead of through the page's memory (a session's file runs
 * to hundreds of megabytes). It names that file only and expires (`expiresAt`).
 */
export async function fetchRecordingLink(
  source: DocumentsSource,
  recordingId: string,
  file: string,
): Promise<RecordingFileLink> {
  const response = await fetch(`${recordingFilePath(source, recordingId, file)}/link`, {
    method: 'POST',
    headers: auth(source),
    cache: 'no-store',
  });
  return RecordingFileLink.parse(await (await checked(response)).json());
}
