import { z } from 'zod';
import { DelegationCode } from './ids.js';

// Presentations: a delegation shares a screen, a window or a tab (producers of source `screen`
// and `screenAudio`). The floor holder may; so may a delegation the chair allows. The schemas of
// the chair's two requests; what is produced goes through media:produce.

/** The chair allows a delegation to present without the floor, or withdraws the allowance. */
export const AllowPresenter = z.strictObject({ delegation: DelegationCode, allowed: z.boolean() });
export type AllowPresenter = z.infer<typeof AllowPresenter>;

/** The chair stops every presentation of the session now. */
export const StopPresentation = z.strictObject({});
export const PresentationsStopped = z.object({ stopped: z.number().int().min(0) });
