import { randomBytes } from 'node:crypto';
import type { Grants, InvitationRequest, InvitationResponse, SummitDocument } from '@summit-bridge/protocol';
import { RequestError } from '@summit-bridge/protocol';
import { signParticipantToken } from '../auth/tokens.js';
import { admission } from '../domain/summit.js';
import type { StateStore } from '../store/StateStore.js';

export interface InvitationDeps {
  jwtSecret: string;
  tokenTtlSec: number;
  /** Base of join links, e.g. https://summit.example.org */
  publicUrl: string;
  store: StateStore;
}

function participantIdFor(request: InvitationRequest): string {
  const prefix = (request.delegation ?? request.role).toLowerCase().replaceAll('_', '-');
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Signs a participant's token and records the invitation. A token that could not join one of
 * its sessions (a chair of a delegation that does not chair it…) is refused here, not at the door.
 */
export async function issueInvitation(
  deps: InvitationDeps,
  doc: SummitDocument,
  request: InvitationRequest,
): Promise<InvitationResponse> {
  const participantId = request.participantId ?? participantIdFor(request);
  const claims = {
    sub: participantId,
    name: request.name,
    summit: doc.id,
    sessions: request.sessions,
    delegation: request.delegation,
    role: request.role,
  };
  for (const sessionId of request.sessions) {
    const probe: Grants = { ...claims, jti: 'probe-only', iat: 0, exp: 0 };
    const admitted = admission(doc, probe, sessionId);
    if (!admitted.ok)
      throw new RequestError('invalid_payload', `${sessionId}: ${admitted.error.message}`, 'sessions');
  }
  const { token, jti, expiresAt } = signParticipantToken(claims, {
    secret: deps.jwtSecret,
    ttlSec: request.ttlSec ?? deps.tokenTtlSec,
  });
  await deps.store.putInvitation(doc.id, {
    id: participantId,
    name: request.name,
    ...(request.title ? { title: request.title } : {}),
    delegation: request.delegation,
    role: request.role,
    sessions: request.sessions,
    jti,
    issuedAt: Date.now(),
    expiresAt,
    revoked: false,
  });
  return {
    ok: true,
    participantId,
    jti,
    token,
    // The token travels in the fragment: browsers never send it to a server or write it to a log.
    joinUrl: `${deps.publicUrl}/join#token=${token}`,
    expiresAt,
  };
}
