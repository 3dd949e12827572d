import { z } from 'zod';
import { DelegationCode, ParticipantId, SessionId, SummitId } from './ids.js';
import { SpokenLanguage } from './interpretation.js';
import { Role } from './roles.js';

/**
 * What a participant's token grants: one summit, some of its sessions, a role, and the
 * delegation spoken for (none for technicians and secretariat staff). Signed by the server.
 */
export const Grants = z.object({
  sub: ParticipantId,
  name: z.string().min(1).max(120),
  summit: SummitId,
  sessions: z.array(SessionId).min(1),
  delegation: DelegationCode.nullable(),
  role: Role,
  /** An interpreter's booth: the language it interprets into. */
  booth: SpokenLanguage.optional(),
  jti: z.string().min(8).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type Grants = z.infer<typeof Grants>;
