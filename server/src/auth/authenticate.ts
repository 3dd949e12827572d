import type { ErrorCode, Grants } from '@summit-bridge/protocol';
import { RequestError, truncate } from '@summit-bridge/protocol';
import jwt from 'jsonwebtoken';
import type { AuditLog } from '../audit/AuditLog.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { InvitationStore } from '../store/StateStore.js';
import { tokenFailure, verifyParticipantToken } from './tokens.js';

/** A participant's token checked at the door: signature, expiry, schema, then revocation. */
export async function authenticateParticipant(
  token: string | undefined,
  secret: string,
  store: Pick<InvitationStore, 'isRevoked'>,
): Promise<Grants> {
  const verified = verifyParticipantToken(token, secret);
  if (!verified.ok) throw new RequestError('unauthenticated', verified.error.message);
  if (await store.isRevoked(verified.grants.jti))
    throw new RequestError('unauthenticated', tokenFailure('revoked').error.message);
  return verified.grants;
}

export interface AuthFailure {
  code: ErrorCode;
  message: string;
  address: string;
  via: 'socket' | 'http';
  /** The session asked for, when the handshake named a valid one. */
  sessionId?: string;
}

/**
 * Records a refused participant token in the audit trail of the summit it claims to be for. The
 * claims are unverified: they only decide where the line goes (only an existing summit gets it),
 * and the claimed participant is cut short and marked as a claim.
 */
export async function auditAuthFailure(
  summits: SummitCatalog,
  audit: AuditLog,
  token: string | undefined,
  failure: AuthFailure,
): Promise<void> {
  const claims = token ? jwt.decode(token) : null;
  const summitId =
    claims && typeof claims === 'object' && typeof claims.summit === 'string' ? claims.summit : null;
  if (!summitId || summitId.length > 64 || !(await summits.get(summitId).catch(() => null))) return;
  await audit.append(summitId, {
    sessionId: failure.sessionId ?? null,
    type: 'authFailed',
    actor: null,
    delegation: null,
    detail: {
      code: failure.code,
      message: truncate(failure.message, 200),
      address: failure.address,
      via: failure.via,
      unverifiedParticipant: typeof claims?.sub === 'string' ? truncate(claims.sub, 64) : null,
    },
  });
}

/**
 * Counts failed authentications per client address; past `limit` in `windowMs` the address gets
 * rate_limited before its token is even looked at, so guessing tokens is slow.
 */
export class AuthFailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(address: string): boolean {
    return this.recent(address).length >= this.limit;
  }

  record(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.prune();
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(address) ?? []).filter((t) => t > since);
  }

  private prune(): void {
    for (const address of this.failures.keys()) {
      if (this.recent(address).length === 0) this.failures.delete(address);
    }
  }
}
