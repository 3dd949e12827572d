import { z } from 'zod';
import { DelegationCode, LocalizedText, ParticipantId, SessionId, SummitId, TimeZone } from './ids.js';
import { SessionInterpretation, SpokenLanguage } from './interpretation.js';
import { Role } from './roles.js';

export const DelegationKind = z.enum(['member', 'secretariat', 'partner', 'observer']);
export type DelegationKind = z.infer<typeof DelegationKind>;

export const Delegation = z.strictObject({
  code: DelegationCode,
  name: LocalizedText,
  kind: DelegationKind,
  /** Protocol order: lower comes first on every screen and in every roll call. */
  precedence: z.number().int().min(0).max(10_000),
  /** ISO 3166-1 alpha-2 code of the flag shown on the nameplate; none for organisations. */
  flag: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  /**
   * Where the delegation connects from, as media nodes name their regions (MEDIA_NODE_REGION):
   * its receive transports go to a node of that region when there is one.
   */
  region: z.string().min(1).max(64).optional(),
  /** The language the delegation speaks in: shown to interpreters while it holds the floor. */
  language: SpokenLanguage.optional(),
});
export type Delegation = z.infer<typeof Delegation>;

export const SessionKind = z.enum(['senior_officials', 'ministerial', 'summit', 'dialogue', 'other']);
export const SessionStatus = z.enum(['scheduled', 'open', 'suspended', 'closed']);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const Schedule = z
  .strictObject({
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    /** The host's time zone; viewers also see their own. */
    timeZone: TimeZone,
  })
  .refine((s) => Date.parse(s.end) > Date.parse(s.start), {
    message: 'end must be after start',
    path: ['end'],
  });

export const Session = z.strictObject({
  id: SessionId,
  kind: SessionKind,
  title: LocalizedText,
  schedule: Schedule,
  /** The delegations taking part, by code; seating follows their precedence, not this order. */
  delegations: z.array(DelegationCode).min(1),
  /** Chair delegation(s): two for a co-chaired session. */
  chairs: z.array(DelegationCode).min(1).max(2),
  status: SessionStatus.default('scheduled'),
  /** Default time limit of an intervention, none if absent. */
  speakingLimitSec: z.number().int().min(10).max(3600).optional(),
  /**
   * Admission control: a participant with a valid token waits until the secretariat or a
   * technician admits it, having seen its name and its camera. Staff and chairs go straight in.
   */
  lobby: z.boolean().optional(),
  /** Simultaneous interpretation: the floor's language and the booths, one per language offered. */
  interpretation: SessionInterpretation.optional(),
});
export type Session = z.infer<typeof Session>;

export const Participant = z.strictObject({
  id: ParticipantId,
  name: z.string().min(1).max(120),
  title: z.string().max(200).optional(),
  delegation: DelegationCode.nullable(),
  role: Role,
  sessions: z.array(SessionId).min(1),
  /** An interpreter's booth: the language it interprets into, in each of its sessions. */
  booth: SpokenLanguage.optional(),
});
export type Participant = z.infer<typeof Participant>;

/**
 * An issued participant token as the server records it (the token itself is shown once and never
 * stored). Times in milliseconds since the epoch.
 */
export const Invitation = Participant.extend({
  jti: z.string().min(8).max(64),
  issuedAt: z.number().int(),
  expiresAt: z.number().int(),
  revoked: z.boolean(),
});
export type Invitation = z.infer<typeof Invitation>;

function duplicates<T>(values: T[]): Set<T> {
  const seen = new Set<T>();
  const twice = new Set<T>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return twice;
}

/**
 * Why a participant's booth does not fit (an interpreter needs one, offered in each of its
 * sessions; nobody else has one), or null.
 */
export function boothIssue(
  participant: Pick<Participant, 'role' | 'booth' | 'sessions'>,
  sessions: readonly Pick<Session, 'id' | 'interpretation'>[],
): string | null {
  if (participant.role !== 'interpreter')
    return participant.booth === undefined ? null : 'only an interpreter has a booth';
  if (participant.booth === undefined)
    return 'an interpreter needs a booth (the language it interprets into)';
  for (const id of participant.sessions) {
    const session = sessions.find((s) => s.id === id);
    if (session && !session.interpretation?.booths.includes(participant.booth))
      return `session ${id} has no ${participant.booth} booth`;
  }
  return null;
}

/** A whole summit as the secretariat imports it; cross-references are checked with the bad path. */
export const SummitDocument = z
  .strictObject({
    id: SummitId,
    title: LocalizedText,
    host: z.strictObject({ delegation: DelegationCode, timeZone: TimeZone }),
    delegations: z.array(Delegation).min(1).max(500),
    sessions: z.array(Session).min(1).max(100),
    participants: z.array(Participant).max(5000).default([]),
  })
  .superRefine((doc, ctx) => {
    const codes = new Set(doc.delegations.map((d) => d.code));
    const sessionIds = new Set(doc.sessions.map((s) => s.id));
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });

    for (const code of duplicates(doc.delegations.map((d) => d.code)))
      issue(['delegations'], `delegation ${code} is listed twice`);
    for (const id of duplicates(doc.sessions.map((s) => s.id)))
      issue(['sessions'], `session ${id} is listed twice`);
    for (const id of duplicates(doc.participants.map((p) => p.id)))
      issue(['participants'], `participant ${id} is listed twice`);
    if (!codes.has(doc.host.delegation))
      issue(['host', 'delegation'], `unknown delegation ${doc.host.delegation}`);

    doc.sessions.forEach((session, i) => {
      const members = new Set(session.delegations);
      session.delegations.forEach((code, j) => {
        if (!codes.has(code)) issue(['sessions', i, 'delegations', j], `unknown delegation ${code}`);
      });
      for (const code of duplicates(session.delegations))
        issue(['sessions', i, 'delegations'], `${code} is listed twice`);
      session.chairs.forEach((code, j) => {
        if (!members.has(code))
          issue(['sessions', i, 'chairs', j], `chair ${code} does not take part in the session`);
      });
    });

    doc.participants.forEach((p, i) => {
      if (p.delegation !== null && !codes.has(p.delegation))
        issue(['participants', i, 'delegation'], `unknown delegation ${p.delegation}`);
      p.sessions.forEach((id, j) => {
        if (!sessionIds.has(id)) issue(['participants', i, 'sessions', j], `unknown session ${id}`);
      });
      const boothProblem = boothIssue(p, doc.sessions);
      if (boothProblem) issue(['participants', i, 'booth'], boothProblem);
    });
  });
export type SummitDocument = z.infer<typeof SummitDocument>;
export type SummitDocumentInput = z.input<typeof SummitDocument>;

/** Delegations in protocol order: precedence, then code so that ties never depend on input order. */
export function inPrecedenceOrder<T extends Pick<Delegation, 'code' | 'precedence'>>(
  delegations: readonly T[],
): T[] {
  return [...delegations].sort(
    (a, b) => a.precedence - b.precedence || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
