/** A session of a summit: the key every service and store addresses it by. */
export interface SessionKey {
  summitId: string;
  sessionId: string;
}

/** The one string form of a session key, `<summit>/<session>`: map keys, media node session ids. */
export const sessionKeyId = ({ summitId, sessionId }: SessionKey): string => `${summitId}/${sessionId}`;

export function sameSession(a: SessionKey, b: SessionKey): boolean {
  return a.summitId === b.summitId && a.sessionId === b.sessionId;
}

/** The key back from its string form; null for anything else (an id no session of ours has). */
export function sessionKeyOf(id: string): SessionKey | null {
  const [summitId, sessionId, ...rest] = id.split('/');
  return summitId && sessionId && rest.length === 0 ? { summitId, sessionId } : null;
}
