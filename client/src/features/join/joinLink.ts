/** What a join link carries in its fragment (never sent to a server): the token, maybe a session. */
export interface JoinLink {
  token: string;
  sessionId: string | null;
}

export function readJoinLink(hash: string): JoinLink | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token')?.trim();
  if (!token) return null;
  return { token, sessionId: params.get('session')?.trim() || null };
}
