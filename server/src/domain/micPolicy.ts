// The microphone policy, whole: which delegations the SFU forwards, and whether one producer is
// held back. Pure; the media service applies it to the node.
import { type MediaKind, mayPresent, type ProducerInfo, type SessionState } from '@summit-bridge/protocol';
import { type Booths, onAir } from './booths.js';
import type { SessionContext } from './sessionMachine.js';

/**
 * The delegations whose microphones the SFU forwards. Floor mode: the chairs and the floor
 * holder; open mode: every delegation. Muted delegations never; nobody once the session is closed.
 */
export function audibleDelegations(state: SessionState, ctx: SessionContext): Set<string> {
  if (state.status === 'closed') return new Set();
  const { micPolicy, current, muted } = state.floor;
  const heard =
    micPolicy === 'open' ? ctx.delegations : [...ctx.chairs, ...(current ? [current.delegation] : [])];
  return new Set(heard.filter((d) => !muted.includes(d)));
}

/**
 * Whether the server must hold a producer back at the SFU: in floor mode only the chairs and the
 * floor holder are heard, a muted delegation never is. Video is never held back by the floor.
 * `carried` is what the producer's codecs carry (`kindCarried`), never the kind it claimed.
 */
export function heldBackByFloor(
  carried: MediaKind,
  delegation: string | null,
  audible: ReadonlySet<string>,
): boolean {
  if (carried === 'video') return false;
  return delegation === null || !audible.has(delegation);
}

/** What decides whether the SFU forwards a session's producers, read once per policy pass. */
export interface ForwardingPolicy {
  audible: ReadonlySet<string>;
  /** Whose presentation sound is forwarded (`presentingDelegations`). */
  presenting: ReadonlySet<string>;
  booths: Booths;
}

export function forwardingPolicy(state: SessionState, ctx: SessionContext): ForwardingPolicy {
  return {
    audible: audibleDelegations(state, ctx),
    presenting: presentingDelegations(state, ctx),
    booths: state.booths,
  };
}

/**
 * The delegations whose presentation sound (`screenAudio`) the SFU forwards: those who may
 * present now (the floor holder, those the chair allows), unless muted.
 */
export function presentingDelegations(state: SessionState, ctx: SessionContext): Set<string> {
  return new Set(ctx.delegations.filter((d) => mayPresent(state, d) && !state.floor.muted.includes(d)));
}

/**
 * Whether the server holds a producer back. An interpreter's voice follows its booth alone (on
 * air and not coughing), never the floor; everything else follows the floor. `info.kind` is
 * what its codecs carry: the media service reads it, never takes a claim.
 */
export function heldBack(
  info: Pick<ProducerInfo, 'kind' | 'source' | 'delegation' | 'participantId' | 'channel'>,
  policy: ForwardingPolicy,
): boolean {
  if (info.source === 'interpretation')
    return info.channel === undefined || !onAir(policy.booths, info.channel, info.participantId);
  // A presentation's sound is heard while its delegation may present; a microphone by the floor.
  const heard = info.source === 'screenAudio' ? policy.presenting : policy.audible;
  return heldBackByFloor(info.kind, info.delegation, heard);
}
