import { ErrorBody, MeetingRecord, RequestError } from '@summit-bridge/protocol';

/** Whose session, and who asks: the participant's own token as a bearer. */
export interface DocumentsSource {
  token: string;
  summitId: string;
  sessionId: string;
}

export const sessionPath = (s: DocumentsSource) => `/api/v1/summits/${s.summitId}/sessions/${s.sessionId}`;

/** The response if it succeeded; else the server's typed error (or one made from the status). */
export async function checked(response: Response): Promise<Response> {
  if (response.ok) return response;
  const error = ErrorBody.safeParse(
    ((await response.json().catch(() => null)) as { error?: unknown } | null)?.error,
  );
  throw error.success
    ? new RequestError(error.data.code, error.data.message, error.data.path)
    : new RequestError(
        response.status === 413 ? 'invalid_payload' : 'unavailable',
        `HTTP ${response.status}`,
      );
}

export const auth = (s: DocumentsSource) => ({ Authorization: `Bearer ${s.token}` });

/** A document's bytes, with the type the server found in them. */
export async function fetchDocument(
  source: DocumentsSource,
  documentId: string,
  version: number,
  language: string,
): Promise<Blob> {
  const url = `${sessionPath(source)}/documents/${documentId}/versions/${version}/files/${language}`;
  return (await checked(await fetch(url, { headers: auth(source), cache: 'no-store' }))).blob();
}

/** Tables a document (no `documentId`) or a new version of one. */
export async function uploadDocument(
  source: DocumentsSource,
  file: Blob,
  what: { documentId?: string; title?: string; symbol?: string; language: string; markdown: boolean },
): Promise<void> {
  const query = new URLSearchParams({ language: what.language, format: what.markdown ? 'markdown' : 'text' });
  if (!what.documentId) {
    query.set('title', what.title ?? '');
    query.set('symbol', what.symbol ?? '');
  }
  const path = what.documentId ? `/documents/${what.documentId}/versions` : '/documents';
  await checked(
    await fetch(`${sessionPath(source)}${path}?${query}`, {
      method: 'POST',
      headers: { ...auth(source), 'Content-Type': 'application/octet-stream' },
      body: file,
    }),
  );
}

export async function fetchRecord(source: DocumentsSource): Promise<MeetingRecord> {
  const response = await checked(
    await fetch(`${sessionPath(source)}/record`, { headers: auth(source), cache: 'no-store' }),
  );
  return MeetingRecord.parse(((await response.json()) as { record: unknown }).record);
}

export const recordHtmlPath = (source: DocumentsSource) => `${sessionPath(source)}/record.html`;

export async function fetchRecordHtml(source: DocumentsSource): Promise<Blob> {
  const response = await fetch(recordHtmlPath(source), {
    headers: auth(source),
    cache: 'no-store',
  });
  return (await checked(response)).blob();
}

/** Hands a blob to the browser as a download. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
