import { z } from 'zod';
import { DelegationCode, SessionId } from './ids.js';
import { Role } from './roles.js';

/** Who did something: the participant behind a token, or null for the server itself. */
export const AuditActor = z.object({
  participantId: z.string().max(64),
  delegation: DelegationCode.nullable(),
  role: Role,
});
export type AuditActor = z.infer<typeof AuditActor>;

/**
 * One line of a summit's append-only audit trail: joins and leaves, authentication failures and
 * every floor action (who, when, what). Read by secretariat and technicians through the API.
 */
export const AuditEntry = z.object({
  /** Assigned by the store, increasing within a summit ("<ms>-<seq>", a Redis stream id). */
  id: z.string().regex(/^\d+-\d+$/),
  /** Milliseconds since the epoch, on the server that recorded it. */
  at: z.number(),
  sessionId: SessionId.nullable(),
  /** What happened: a floor event type (`floorGiven`…), `join`, `leave`, `authFailed`. */
  type: z.string().min(1).max(64),
  actor: AuditActor.nullable(),
  /** The delegation acted upon (given the floor, muted…), if any. */
  delegation: DelegationCode.nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
