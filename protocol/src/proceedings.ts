// Proceedings: the documents of a session, what the chair shows on screen, adoption by consensus
// (no objection), roll-call votes, and the record of the meeting. One aggregate per session with a
// version of its own, pushed whole as `proceedings:updated`.
import { z } from 'zod';
import { DelegationCode, ParticipantId, SummitId } from './ids.js';

/** A document's id within its session ("d1", "d2"…), assigned by the server. */
export const DocumentId = z.string().regex(/^d\d{1,6}$/, 'a document id looks like d1');
/** A procedure's id within its session ("a1" for adoptions, "v1" for votes), assigned by the server. */
export const AdoptionId = z.string().regex(/^a\d{1,6}$/, 'an adoption id looks like a1');
export const VoteId = z.string().regex(/^v\d{1,6}$/, 'a vote id looks like v1');

/** A language version of a document: a BCP 47 tag of a language and an optional region ("en", "zh-CN"). */
export const DocumentLanguage = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'a language tag such as en or zh-CN');
/** What the server found in the bytes: PDF by its signature, text by being UTF-8 without control bytes. */
export const DocumentFormat = z.enum(['pdf', 'markdown', 'text']);
export type DocumentFormat = z.infer<typeof DocumentFormat>;
/** A document symbol as secretariats write them: `ACC/2020/REC.1`. */
export const DocumentSymbol = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9./()_ -]*$/, 'a symbol such as ACC/2020/REC.1');
export const DocumentTitle = z.string().trim().min(1).max(300);

/** One language version of one version of a document. */
export const DocumentFile = z.object({
  language: DocumentLanguage,
  format: DocumentFormat,
  bytes: z.number().int().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  uploadedAt: z.number(),
  uploadedBy: ParticipantId,
});
export type DocumentFile = z.infer<typeof DocumentFile>;

export const DocumentVersion = z.object({
  version: z.number().int().min(1),
  tabledAt: z.number(),
  files: z.array(DocumentFile).min(1),
});
export type DocumentVersion = z.infer<typeof DocumentVersion>;

export const SessionDocument = z.object({
  id: DocumentId,
  title: DocumentTitle,
  symbol: DocumentSymbol,
  /** Oldest first; every version stays readable. */
  versions: z.array(DocumentVersion).min(1),
});
export type SessionDocument = z.infer<typeof SessionDocument>;

/** What the chair shows beside the stage, and where in it: a PDF by page, text by scrolled fraction. */
export const OnScreen = z.object({
  documentId: DocumentId,
  version: z.number().int().min(1),
  language: DocumentLanguage,
  page: z.number().int().min(1).max(10_000),
  scroll: z.number().min(0).max(1),
});
export type OnScreen = z.infer<typeof OnScreen>;

/** In-session (seconds to an hour, with a countdown) or a written silence procedure (hours to days). */
export const AdoptionMode = z.enum(['in_session', 'silence']);
export type AdoptionMode = z.infer<typeof AdoptionMode>;

export const Objection = z.object({
  delegation: DelegationCode,
  participantId: ParticipantId,
  reason: z.string().nullable(),
  at: z.number(),
});
export type Objection = z.infer<typeof Objection>;

export const Adoption = z.object({
  id: AdoptionId,
  documentId: DocumentId,
  version: z.number().int().min(1),
  mode: AdoptionMode,
  openedAt: z.number(),
  deadline: z.number(),
  objections: z.array(Objection),
  /** `not_adopted`: the deadline passed with objections standing. */
  status: z.enum(['open', 'adopted', 'not_adopted', 'withdrawn']),
  closedAt: z.number().nullable(),
});
export type Adoption = z.infer<typeof Adoption>;

export const BallotChoice = z.enum(['yes', 'no', 'abstain', 'not_participating']);
export type BallotChoice = z.infer<typeof BallotChoice>;
/** Of the delegations voting yes or no: more yes than no; two thirds yes; no `no` at all. */
export const MajorityRule = z.enum(['simple', 'two_thirds', 'unanimity']);
export type MajorityRule = z.infer<typeof MajorityRule>;

export const Ballot = z.object({ delegation: DelegationCode, choice: BallotChoice, at: z.number() });
export type Ballot = z.infer<typeof Ballot>;

export const VoteTally = z.object({
  yes: z.number().int(),
  no: z.number().int(),
  abstain: z.number().int(),
  notParticipating: z.number().int(),
  /** Delegations of the session that cast nothing. */
  noBallot: z.number().int(),
  /** Delegations connected at the close or that cast a ballot. */
  present: z.number().int(),
  quorum: z.number().int(),
  quorate: z.boolean(),
  /** Yes votes the rule needed, given the yes and no votes cast. */
  required: z.number().int(),
  carried: z.boolean(),
});
export type VoteTally = z.infer<typeof VoteTally>;

export const Vote = z.object({
  id: VoteId,
  question: z.string(),
  documentId: DocumentId.nullable(),
  version: z.number().int().min(1).nullable(),
  majority: MajorityRule,
  openedAt: z.number(),
  deadline: z.number().nullable(),
  /** One per delegation that voted, in precedence order. */
  ballots: z.array(Ballot),
  status: z.enum(['open', 'closed']),
  closedAt: z.number().nullable(),
  tally: VoteTally.nullable(),
});
export type Vote = z.infer<typeof Vote>;

export const ProceedingsState = z.object({
  sessionId: z.string(),
  /** Increases with every change: a gap means resync (`proceedings:snapshot`). */
  version: z.number().int().min(0),
  documents: z.array(SessionDocument),
  onScreen: OnScreen.nullable(),
  /** Oldest first; at most one open, and never while a vote is open. */
  adoptions: z.array(Adoption),
  votes: z.array(Vote),
});
export type ProceedingsState = z.infer<typeof ProceedingsState>;

// Requests (their permissions are in messages.ts with every other request).
export const ShowDocument = z.strictObject({
  documentId: DocumentId,
  version: z.number().int().min(1),
  language: DocumentLanguage,
  page: z.number().int().min(1).max(10_000).default(1),
});
export const ScrollDocument = z.strictObject({
  page: z.number().int().min(1).max(10_000),
  scroll: z.number().min(0).max(1),
});
export const OpenAdoption = z.strictObject({
  documentId: DocumentId,
  version: z.number().int().min(1),
  mode: AdoptionMode,
  /** In session: 10 s to an hour; silence: from the server's minimum (an hour by default) to 14 days. */
  durationSec: z
    .number()
    .int()
    .min(10)
    .max(14 * 24 * 3600),
});
export const RaiseObjection = z.strictObject({
  adoptionId: AdoptionId,
  /** The delegation objecting: only one's own (a head of delegation speaks for one delegation). */
  delegation: DelegationCode,
  reason: z.string().trim().max(500).optional(),
});
export const CallVote = z.strictObject({
  question: z.string().trim().min(1).max(500),
  documentId: DocumentId.optional(),
  version: z.number().int().min(1).optional(),
  majority: MajorityRule,
  /** None: the chair closes it. */
  durationSec: z
    .number()
    .int()
    .min(10)
    .max(24 * 3600)
    .optional(),
});
export const CastBallot = z.strictObject({
  voteId: VoteId,
  delegation: DelegationCode,
  choice: BallotChoice,
});

// HTTP: a document's bytes are the body (`application/octet-stream`), what it is goes in the query.
export const DocumentUploadQuery = z.strictObject({
  title: DocumentTitle,
  symbol: DocumentSymbol,
  language: DocumentLanguage,
  /** Only tells Markdown from plain text; whether it is a PDF or text at all is read from the bytes. */
  format: z.enum(['markdown', 'text']).optional(),
});
export const VersionUploadQuery = z.strictObject({
  language: DocumentLanguage,
  format: z.enum(['markdown', 'text']).optional(),
});
export const DocumentList = z.object({ documents: z.array(SessionDocument) });

/** Largest document body unless configured (DOCUMENT_MAX_BYTES). */
export const DEFAULT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

// The record of the meeting, as exported (JSON) and shown in the console.
export const RecordTime = z.object({
  /** Milliseconds since the epoch. */
  at: z.number(),
  /** ISO 8601 in UTC. */
  utc: z.string(),
  /** Date and time in the host's time zone, as printed. */
  local: z.string(),
});
export type RecordTime = z.infer<typeof RecordTime>;

export const AttendanceLine = z.object({
  delegation: DelegationCode,
  name: z.string(),
  /** When at least one connection of the delegation was in the session; `to` null: until the record's end. */
  periods: z.array(z.object({ from: RecordTime, to: RecordTime.nullable() })),
});
export type AttendanceLine = z.infer<typeof AttendanceLine>;

export const RecordItem = z.object({
  time: RecordTime,
  kind: z.enum([
    'session',
    'intervention',
    'tour',
    'document',
    'on_screen',
    'adoption',
    'objection',
    'vote',
    'ballot',
    'recording',
  ]),
  delegation: DelegationCode.nullable(),
  /** One sentence a secretariat would write. */
  text: z.string(),
  /**
   * The audit line's facts (durations in ms, outcomes, tallies…). An intervention made while the
   * session was recorded has `recording: {recordingId, offsetMs}`: where it starts in that
   * recording's composed file, so it can be played directly.
   */
  detail: z.record(z.string(), z.unknown()),
});
export type RecordItem = z.infer<typeof RecordItem>;

export const MeetingRecord = z.object({
  format: z.literal('summit-bridge.record/1'),
  summit: z.object({ id: SummitId, title: z.string() }),
  session: z.object({ id: z.string(), title: z.string() }),
  hostTimeZone: z.string(),
  generatedAt: RecordTime,
  attendance: z.array(AttendanceLine),
  /** Everything that happened, in order. */
  items: z.array(RecordItem),
});
export type MeetingRecord = z.infer<typeof MeetingRecord>;
