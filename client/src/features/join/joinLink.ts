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

/** Which TURN relay the diagnostic switch forces: any of them, or one transport to the relay. */
export type RelayChoice = 'any' | 'udp' | 'tcp' | 'tls';

/**
 * The diagnostic switch `relay=any|udp|tcp|tls` in the fragment (`/join#token=…&relay=tls`): the
 * media goes through the TURN relay only (`iceTransportPolicy: 'relay'`), over that transport, as
 * on a network that lets nothing else out. For technicians and the browser tests; null when absent.
 */
export function readRelaySwitch(hash: string): RelayChoice | null {
  const value = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get('relay');
  const choices: readonly RelayChoice[] = ['any', 'udp', 'tcp', 'tls'];
  return choices.find((c) => c === value) ?? null;
}

/** The switch of the page's own URL. */
export const pageRelaySwitch = (): RelayChoice | null => readRelaySwitch(globalThis.location?.hash ?? '');
