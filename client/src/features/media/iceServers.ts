import type { IceServer } from '@summit-bridge/protocol';
import type { RelayChoice } from '../join/joinLink.js';

// Which of the TURN URLs the server handed out a transport may use, and when to ask for new
// credentials.

const overTcp = (url: string) => /[?&]transport=tcp\b/i.test(url);

/** Does this URL reach the relay over the chosen transport (turns: is TLS, over TCP)? */
function matches(url: string, choice: RelayChoice): boolean {
  if (choice === 'any') return true;
  if (choice === 'tls') return url.startsWith('turns:');
  return url.startsWith('turn:') && overTcp(url) === (choice === 'tcp');
}

/** The servers with only the URLs of the chosen transport (servers left with none are dropped). */
export function relayServers(servers: readonly IceServer[], choice: RelayChoice | null): RTCIceServer[] {
  return servers.flatMap(({ urls, username, credential }) => {
    const kept = urls.filter((url) => matches(url, choice ?? 'any'));
    return kept.length ? [{ urls: kept, username, credential }] : [];
  });
}

/** Credentials are asked for again at half their lifetime: plenty of margin, few requests. */
export const refreshDelayMs = (validForSec: number) => Math.max(5, validForSec / 2) * 1000;
