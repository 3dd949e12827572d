import { z } from 'zod';

// Identifiers travel in URLs, Redis keys and logs: keep them short, lowercase-safe and printable.
const slug = (what: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, `${what} must be lowercase letters, digits and dashes`);

export const SummitId = slug('summit id');
export const SessionId = slug('session id');
export const ParticipantId = slug('participant id');

/** A delegation's code: ISO 3166 alpha-3 for states (VNM), a short tag for organisations (ASEC). */
export const DelegationCode = z
  .string()
  .min(2)
  .max(8)
  .regex(/^[A-Z][A-Z0-9]*$/, 'delegation code must be uppercase letters and digits');

/** mediasoup object ids (UUIDs) as the client sees them. */
export const MediaId = z.string().min(1).max(64);

export const Language = z.enum(['en', 'vi']);
export type Language = z.infer<typeof Language>;

/** Text shown to people, English required, other languages optional. */
export const LocalizedText = z.object({
  en: z.string().min(1).max(200),
  vi: z.string().min(1).max(200).optional(),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Asia/Ho_Chi_Minh' },
);
