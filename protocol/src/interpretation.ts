import { z } from 'zod';
import { ParticipantId } from './ids.js';

/**
 * A language spoken in a session: an ISO 639 code, lowercase (en, vi, zh, ja, ko, th, id, ms,
 * lo, km, my, fil). Not the consoles' own interface language (`Language`).
 */
export const SpokenLanguage = z
  .string()
  .regex(/^[a-z]{2,3}$/, 'a spoken language is an ISO 639 code such as en, vi or fil');
export type SpokenLanguage = z.infer<typeof SpokenLanguage>;

/**
 * A session's interpretation: the floor's working language, and one booth per language offered,
 * interpreting into it. Listeners choose "floor" or one of the booths' languages.
 */
export const SessionInterpretation = z
  .strictObject({
    floor: SpokenLanguage,
    booths: z.array(SpokenLanguage).min(1).max(24),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.booths.forEach((language, i) => {
      if (seen.has(language))
        ctx.addIssue({ code: 'custom', path: ['booths', i], message: `booth ${language} is listed twice` });
      seen.add(language);
      if (language === value.floor)
        ctx.addIssue({
          code: 'custom',
          path: ['booths', i],
          message: `${language} is the floor's own language: it needs no booth`,
        });
    });
  });
export type SessionInterpretation = z.infer<typeof SessionInterpretation>;

/** What a booth interprets from: the floor, or another booth's output (relay, through a pivot). */
export const BoothInput = z.union([z.literal('floor'), SpokenLanguage]);
export type BoothInput = z.infer<typeof BoothInput>;

/**
 * A change of interpreter being prepared, seen by both: the live interpreter offers to hand over,
 * or the partner asks to take over. The other one's button completes it.
 */
export const Handover = z.object({
  kind: z.enum(['offer', 'request']),
  by: ParticipantId,
  at: z.number(),
});
export type Handover = z.infer<typeof Handover>;

/** One booth of a session, as every console sees it. */
export const BoothState = z.object({
  language: SpokenLanguage,
  input: BoothInput,
  /** The interpreter on air, whose producer alone the SFU forwards; null: the booth is silent. */
  live: ParticipantId.nullable(),
  liveSince: z.number().nullable(),
  /** The live interpreter holds the cough button: nothing is forwarded meanwhile. */
  coughing: z.boolean(),
  handover: Handover.nullable(),
  /** The last live interpreter who dropped off air without handing over, and when. */
  dropped: z.object({ participantId: ParticipantId, at: z.number() }).nullable(),
});
export type BoothState = z.infer<typeof BoothState>;

/** What a listener hears: the floor, or a booth's language (with the floor underneath). */
export const ListeningChoice = z.union([z.literal('floor'), SpokenLanguage]);
export type ListeningChoice = z.infer<typeof ListeningChoice>;

/** A short text between boothmates and the technicians: "mic too low", "taking over at :30". */
export const BoothMessage = z.object({
  booth: SpokenLanguage,
  from: ParticipantId,
  name: z.string(),
  role: z.string(),
  text: z.string(),
  at: z.number(),
});
export type BoothMessage = z.infer<typeof BoothMessage>;

/** The longest booth message: a note, not a document. */
export const BOOTH_MESSAGE_MAX = 500;
