// Links to one recording file that a `<video src>` can carry. A reader's token cannot ride in the
// requests a media element makes, and a session's file runs to hundreds of megabytes: fetched
// whole before it plays, it keeps the reader waiting minutes. A link names one file of one
// recording, reads only, expires, and dies with the token that asked for it (`by`, checked
// against the revocations on every use). It is signed with a key derived from the server's
// secret for this use alone: a link is never a participant token, nor a token ever a link.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** How long a link plays for (a day's session); a player whose link expired asks for another. */
export const FILE_LINK_TTL_MS = 2 * 60 * 60 * 1000;

export interface FileTarget {
  summitId: string;
  sessionId: string;
  recordingId: string;
  file: string;
}

const LinkClaims = z
  .object({
    summitId: z.string(),
    sessionId: z.string(),
    recordingId: z.string(),
    file: z.string(),
    /** Milliseconds since the epoch. */
    exp: z.number().int(),
    /** The jti of the participant token that asked; null for the admin token. */
    by: z.string().nullable(),
  })
  .strict();
export type FileLinkClaims = z.infer<typeof LinkClaims>;

export type FileLinkCheck =
  | { ok: true; claims: FileLinkClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'another_file' };

// Derived once per secret: every range request a player makes is checked.
const linkKeys = new Map<string, Buffer>();
function linkKey(secret: string): Buffer {
  let key = linkKeys.get(secret);
  if (!key) {
    key = createHmac('sha256', secret).update('summit-bridge recording file link').digest();
    linkKeys.set(secret, key);
  }
  return key;
}

const mac = (secret: string, body: string) => createHmac('sha256', linkKey(secret)).update(body).digest();

export function signFileLink(claims: FileLinkClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(LinkClaims.parse(claims))).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

export function verifyFileLink(
  link: string,
  secret: string,
  target: FileTarget,
  now: number = Date.now(),
): FileLinkCheck {
  const [body, signature, extra] = link.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  let claims: FileLinkClaims;
  try {
    claims = LinkClaims.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.exp <= now) return { ok: false, reason: 'expired' };
  const same =
    claims.summitId === target.summitId &&
    claims.sessionId === target.sessionId &&
    claims.recordingId === target.recordingId &&
    claims.file === target.file;
  return same ? { ok: true, claims } : { ok: false, reason: 'another_file' };
}
