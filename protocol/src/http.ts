import { z } from 'zod';
import { DelegationCode, LocalizedText, ParticipantId, SessionId, SummitId, TimeZone } from './ids.js';
import { SpokenLanguage } from './interpretation.js';
import { Role } from './roles.js';
import { Schedule, SessionKind, SessionStatus } from './summit.js';

// Bodies of the HTTP API (/api/v1). Failures use the same ErrorBody as the socket API.

/** GET /api/v1/me with a participant token: who you are and which sessions you may join. */
export const MeResponse = z.object({
  ok: z.literal(true),
  participant: z.object({
    id: ParticipantId,
    name: z.string(),
    role: Role,
    delegation: DelegationCode.nullable(),
    booth: SpokenLanguage.optional(),
  }),
  summit: z.object({ id: SummitId, title: LocalizedText, hostTimeZone: TimeZone }),
  sessions: z.array(
    z.object({
      id: SessionId,
      title: LocalizedText,
      kind: SessionKind,
      schedule: Schedule,
      status: SessionStatus,
    }),
  ),
});
export type MeResponse = z.infer<typeof MeResponse>;

/** POST /api/v1/summits/:summitId/invitations (admin): one participant's token and join link. */
export const InvitationRequest = z.strictObject({
  participantId: ParticipantId.optional(),
  name: z.string().min(1).max(120),
  title: z.string().max(200).optional(),
  delegation: DelegationCode.nullable(),
  role: Role,
  sessions: z.array(SessionId).min(1),
  /** An interpreter's booth (required for an interpreter): the language it interprets into. */
  booth: SpokenLanguage.optional(),
  /** Lifetime of the token; the server's default (TOKEN_TTL_SEC) if absent. */
  ttlSec: z
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .optional(),
});
export type InvitationRequest = z.infer<typeof InvitationRequest>;

export const InvitationResponse = z.object({
  ok: z.literal(true),
  participantId: ParticipantId,
  jti: z.string(),
  token: z.string(),
  joinUrl: z.string(),
  expiresAt: z.number(),
});
export type InvitationResponse = z.infer<typeof InvitationResponse>;

/** PATCH /api/v1/summits/:summitId/sessions/:sessionId (admin): the fields that may change. */
export const SessionUpdate = z
  .strictObject({
    title: LocalizedText,
    schedule: Schedule,
    delegations: z.array(DelegationCode).min(1),
    chairs: z.array(DelegationCode).min(1).max(2),
    speakingLimitSec: z.number().int().min(10).max(3600).nullable(),
    lobby: z.boolean(),
  })
  .partial();
export type SessionUpdate = z.infer<typeof SessionUpdate>;
