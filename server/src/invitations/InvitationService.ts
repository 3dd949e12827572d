import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  Grants,
  Invitation,
  InvitationRequest,
  InvitationResponse,
  SummitDocument,
} from '@summit-bridge/protocol';
import { RequestError } from '@summit-bridge/protocol';
import type { AuditLog } from '../audit/AuditLog.js';
import { signParticipantToken } from '../auth/tokens.js';
import { admission } from '../domain/summit.js';
import type { InvitationStore } from '../store/StateStore.js';

export interface InvitationSettings {
  jwtSecret: string;
  tokenTtlSec: number;
  /** Base of join links, e.g. https://summit.example.org */
  publicUrl: string;
}

interface InvitationEvents {
  /** A token was revoked: its live connections must end, on every instance. */
  revoked: [jti: string];
}

function participantIdFor(request: InvitationRequest): string {
  const prefix = (request.delegation ?? request.role).toLowerCase().replaceAll('_', '-');
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Issues participants' tokens (invitations), lists them, and revokes them. */
export class InvitationService extends EventEmitter<InvitationEvents> {
  constructor(
    private readonly settings: InvitationSettings,
    private readonly store: InvitationStore,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  /**
   * Signs a participant's token and records the invitation. A token that could not join one of
   * its sessions (a chair of a delegation that does not chair it…) is refused here, not at the door.
   */
  async issue(doc: SummitDocument, request: InvitationRequest): Promise<InvitationResponse> {
    const participantId = request.participantId ?? participantIdFor(request);
    const claims = {
      sub: participantId,
      name: request.name,
      summit: doc.id,
      sessions: request.sessions,
      delegation: request.delegation,
      role: request.role,
      ...(request.booth ? { booth: request.booth } : {}),
    };
    for (const sessionId of request.sessions) {
      const probe: Grants = { ...claims, jti: 'probe-only', iat: 0, exp: 0 };
      const admitted = admission(doc, probe, sessionId);
      if (!admitted.ok)
        throw new RequestError('invalid_payload', `${sessionId}: ${admitted.error.message}`, 'sessions');
    }
    const { token, jti, expiresAt } = signParticipantToken(claims, {
      secret: this.settings.jwtSecret,
      ttlSec: request.ttlSec ?? this.settings.tokenTtlSec,
    });
    await this.store.putInvitation(doc.id, {
      id: participantId,
      name: request.name,
      ...(request.title ? { title: request.title } : {}),
      delegation: request.delegation,
      role: request.role,
      sessions: request.sessions,
      ...(request.booth ? { booth: request.booth } : {}),
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
      joinUrl: `${this.settings.publicUrl}/join#token=${token}`,
      expiresAt,
    };
  }

  list(summitId: string): Promise<Invitation[]> {
    return this.store.listInvitations(summitId);
  }

  /**
   * Revokes an invitation's token: refused from now on (until it would have expired anyway),
   * marked revoked in the list, written to the audit trail, and its live connections told to end.
   */
  async revoke(summitId: string, jti: string): Promise<void> {
    const invitation = (await this.store.listInvitations(summitId)).find((i) => i.jti === jti);
    if (!invitation) throw new RequestError('not_found', `no invitation ${jti}`);
    await this.store.revokeToken(invitation.jti, invitation.expiresAt);
    await this.store.putInvitation(summitId, { ...invitation, revoked: true });
    await this.audit.append(summitId, {
      sessionId: null,
      type: 'invitationRevoked',
      actor: null,
      delegation: invitation.delegation,
      detail: { jti: invitation.jti, participantId: invitation.id },
    });
    this.emit('revoked', invitation.jti);
  }
}
