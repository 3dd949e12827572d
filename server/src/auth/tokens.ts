// Participant tokens: HS256 JWTs carrying the grants. Revocation (by jti) is checked by the caller
// against the store, since it needs I/O.
import { createHash, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Failure, Grants } from '@summit-bridge/protocol';
import jwt from 'jsonwebtoken';

export type TokenProblem = 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'revoked';

export type TokenFailure = Failure & { error: { code: 'unauthenticated' }; reason: TokenProblem };
export type TokenCheck = { ok: true; grants: Grants } | TokenFailure;

const messages: Record<TokenProblem, string> = {
  missing: 'a token is required',
  malformed: 'the token is not a valid participant token',
  bad_signature: 'the token was not signed by this server',
  expired: 'the token has expired: ask the secretariat for a new invitation',
  revoked: 'the token has been revoked',
};

/** The failure for a token problem; `revoked` is for callers that found the jti in the store. */
export function tokenFailure(reason: TokenProblem): TokenFailure {
  return { ok: false, reason, error: { code: 'unauthenticated', message: messages[reason] } };
}

// jsonwebtoken turns a string secret into a key on every call, trying it as a PEM public key first
// and catching the failure: a third of a join's CPU in a reconnect storm. One key per secret.
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

export interface SignOptions {
  secret: string;
  ttlSec: number;
  /** Milliseconds since the epoch; the clock by default. */
  now?: number;
}

export interface SignedToken {
  token: string;
  jti: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export function signParticipantToken(
  grants: Omit<Grants, 'iat' | 'exp' | 'jti'>,
  options: SignOptions,
): SignedToken {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const exp = iat + Math.max(1, Math.floor(options.ttlSec));
  const jti = randomBytes(16).toString('base64url');
  // Parsing first means a token never carries grants the verifier would refuse.
  const payload = Grants.parse({ ...grants, jti, iat, exp });
  const token = jwt.sign(payload, keyOf(options.secret), { algorithm: 'HS256' });
  return { token, jti, expiresAt: exp * 1000 };
}

export function verifyParticipantToken(
  token: string | null | undefined,
  secret: string,
  now: number = Date.now(),
): TokenCheck {
  if (token === undefined || token === null || token === '') return tokenFailure('missing');
  let payload: unknown;
  try {
    payload = jwt.verify(token, keyOf(secret), {
      algorithms: ['HS256'],
      clockTimestamp: Math.floor(now / 1000),
    });
  } catch (err) {
    return tokenFailure(problemOf(err));
  }
  const grants = Grants.safeParse(payload);
  return grants.success ? { ok: true, grants: grants.data } : tokenFailure('malformed');
}

function problemOf(err: unknown): TokenProblem {
  if (err instanceof jwt.TokenExpiredError) return 'expired';
  if (
    err instanceof jwt.JsonWebTokenError &&
    ['invalid signature', 'jwt signature is required', 'invalid algorithm'].includes(err.message)
  )
    return 'bad_signature';
  return 'malformed';
}

/** Compares an admin bearer token in constant time (hashing first hides the length too). */
export function adminTokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given || !expected) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A fresh admin token, for when SUMMIT_ADMIN_TOKEN is unset. */
export function newAdminToken(): string {
  return randomBytes(24).toString('base64url');
}
