// TURN credentials in the TURN REST API scheme that coturn's `use-auth-secret` checks: the
// username is `<expiry>:<participant>`, the password base64(HMAC-SHA1(secret, username)). coturn
// recomputes the HMAC with the shared secret and refuses a username whose expiry has passed, so
// nothing is stored and a credential leaked from a browser is worthless after its lifetime.
import { createHmac } from 'node:crypto';
import type { IceServers } from '@summit-bridge/protocol';

export interface TurnConfig {
  /** turn: and turns: URLs, given to every client as one ICE server. */
  urls: string[];
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** How long a credential holds. */
  ttlSec: number;
}

export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** The ICE servers for one participant at `nowMs`; none when TURN is not configured. */
export function iceServersFor(
  turn: TurnConfig | undefined,
  participantId: string,
  nowMs: number,
): IceServers {
  if (!turn) return { iceServers: [], validForSec: 24 * 3600 };
  const username = `${Math.floor(nowMs / 1000) + turn.ttlSec}:${participantId}`;
  return {
    iceServers: [{ urls: turn.urls, username, credential: turnPassword(turn.secret, username) }],
    validForSec: turn.ttlSec,
  };
}
