import { z } from 'zod';
import { SessionState } from './floor.js';
import { DelegationCode, LocalizedText, ParticipantId, SummitId, TimeZone } from './ids.js';
import { SpokenLanguage } from './interpretation.js';
import { ProducerInfo } from './media.js';
import { Role } from './roles.js';
import { Delegation, Session } from './summit.js';

export const PresentParticipant = z.object({
  participantId: ParticipantId,
  name: z.string(),
  role: Role,
  delegation: DelegationCode.nullable(),
  /** An interpreter's booth. */
  booth: SpokenLanguage.optional(),
});
export type PresentParticipant = z.infer<typeof PresentParticipant>;

/**
 * Who is connected to the session right now: one entry per participant who takes part (a seat,
 * the chair, staff), and only a count for the observers, who may be hundreds.
 */
export const Presence = z.object({
  participants: z.array(PresentParticipant),
  observers: z.number().int().min(0),
});
export type Presence = z.infer<typeof Presence>;

/** Everything a client needs to draw a session from nothing: on join and after a version gap. */
export const Snapshot = z.object({
  summit: z.object({ id: SummitId, title: LocalizedText, hostTimeZone: TimeZone }),
  session: Session,
  /** The session's delegations in precedence order: every screen shows this order. */
  delegations: z.array(Delegation),
  state: SessionState,
  presence: Presence,
  producers: z.array(ProducerInfo),
  you: z.object({
    participantId: ParticipantId,
    name: z.string(),
    role: Role,
    delegation: DelegationCode.nullable(),
    booth: SpokenLanguage.optional(),
  }),
  serverTime: z.number(),
});
export type Snapshot = z.infer<typeof Snapshot>;
