import { z } from 'zod';
import { DelegationCode } from './ids.js';
import { BoothState } from './interpretation.js';
import { RecordingState } from './recording.js';
import { SessionStatus } from './summit.js';

/** A point of order jumps the queue; a right of reply comes straight after the current speaker. */
export const RequestKind = z.enum(['speak', 'point_of_order', 'right_of_reply']);
export type RequestKind = z.infer<typeof RequestKind>;

export const SpeakerRequest = z.object({
  delegation: DelegationCode,
  kind: RequestKind,
  requestedAt: z.number(),
});
export type SpeakerRequest = z.infer<typeof SpeakerRequest>;

/**
 * The intervention in progress. The timer is data: every client computes the countdown from it
 * with its own clock offset; the server only marks the warning and the overrun when they happen.
 */
export const Intervention = z.object({
  delegation: DelegationCode,
  kind: z.enum(['speak', 'point_of_order', 'right_of_reply', 'tour', 'chair']),
  startedAt: z.number(),
  limitMs: z.number().int().positive().nullable(),
  pausedAt: z.number().nullable(),
  pausedMs: z.number().int().min(0),
  warned: z.boolean(),
  overran: z.boolean(),
});
export type Intervention = z.infer<typeof Intervention>;

export const TourDeTable = z.object({
  /** Every delegation of the session, in precedence order. */
  order: z.array(DelegationCode),
  /** Index in `order` of the delegation whose turn it is. */
  position: z.number().int().min(0),
  passed: z.array(DelegationCode),
});
export type TourDeTable = z.infer<typeof TourDeTable>;

/** floor: only the chair(s) and the floor holder are heard. open: everyone not muted is heard. */
export const MicPolicy = z.enum(['floor', 'open']);
export type MicPolicy = z.infer<typeof MicPolicy>;

export const FloorState = z.object({
  micPolicy: MicPolicy,
  speakersList: z.array(SpeakerRequest),
  current: Intervention.nullable(),
  defaultLimitMs: z.number().int().positive().nullable(),
  /** How long before the limit the warning shows (at most a fifth of the limit: `warningLeadMs`). */
  warningMs: z.number().int().min(0),
  /** Finished interventions' time per delegation. */
  speakingTimeMs: z.record(z.string(), z.number().min(0)),
  tour: TourDeTable.nullable(),
  /** Delegations the chair has muted: not forwarded by the SFU whatever the policy. */
  muted: z.array(DelegationCode),
  /**
   * Delegations the chair allows to present (share a screen) without holding the floor; the
   * floor holder always may. States kept before presentations existed read as none.
   */
  presenters: z.array(DelegationCode).default([]),
});
export type FloorState = z.infer<typeof FloorState>;

/** Everything about a session that changes while it runs; `version` grows by one per change. */
export const SessionState = z.object({
  sessionId: z.string(),
  version: z.number().int().min(0),
  status: SessionStatus,
  floor: FloorState,
  /** Interpretation booths by language (none without interpretation; absent in older states). */
  booths: z.record(z.string(), BoothState).default({}),
  /** The recording under way, shown on every console (absent in older states). */
  recording: RecordingState.nullable().default(null),
});
export type SessionState = z.infer<typeof SessionState>;

/**
 * Whether a delegation may share its screen now: it holds the floor, or the chair allows it, in a
 * session that runs (a suspension keeps the floor where it is, and so its presentation).
 */
export function mayPresent(state: SessionState, delegation: string | null): boolean {
  if (delegation === null || (state.status !== 'open' && state.status !== 'suspended')) return false;
  return state.floor.current?.delegation === delegation || state.floor.presenters.includes(delegation);
}

/** Time spoken so far in an intervention (paused time excluded), never negative. */
export function elapsedMs(intervention: Intervention, now: number): number {
  const end = intervention.pausedAt ?? now;
  return Math.max(0, end - intervention.startedAt - intervention.pausedMs);
}

/** Time left before the limit: negative once overrun; null without a limit. */
export function remainingMs(intervention: Intervention, now: number): number | null {
  return intervention.limitMs === null ? null : intervention.limitMs - elapsedMs(intervention, now);
}

/**
 * How long before the limit the warning shows: the floor's `warningMs`, but at most a fifth of
 * the limit, so that a short intervention is not in warning for most of its time.
 */
export function warningLeadMs(limitMs: number, warningMs: number): number {
  return Math.min(warningMs, Math.floor(limitMs / 5));
}

export type TimerPhase = 'none' | 'running' | 'warning' | 'overrun' | 'paused';

export function timerPhase(intervention: Intervention, warningMs: number, now: number): TimerPhase {
  if (intervention.pausedAt !== null) return 'paused';
  const left = remainingMs(intervention, now);
  if (left === null || intervention.limitMs === null) return 'none';
  if (left < 0) return 'overrun';
  return left <= warningLeadMs(intervention.limitMs, warningMs) ? 'warning' : 'running';
}
