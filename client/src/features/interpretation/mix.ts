// What each received voice is played at, pure: a listener hears its chosen booth with the floor
// underneath at its own level, or the floor alone when the speaker speaks its language; an
// interpreter hears its booth's input (the floor, or the pivot booth in a relay).
import type { ProducerInfo, SessionState, Snapshot } from '@summit-bridge/protocol';

export type Hearing =
  /** A delegate, chair or observer: the floor, or a language with the floor at `floorLevel` (0–1). */
  | { kind: 'listener'; channel: 'floor' | string; floorLevel: number }
  /** An interpreter: what its booth interprets from. */
  | { kind: 'interpreter'; input: 'floor' | string };

/** The language spoken on the floor now: the floor holder's, else the session's working language. */
export function floorLanguage(
  state: SessionState,
  delegations: Snapshot['delegations'],
  session: Snapshot['session'],
): string | null {
  const holder = state.floor.current?.delegation;
  const spoken = holder ? delegations.find((d) => d.code === holder)?.language : undefined;
  return spoken ?? session.interpretation?.floor ?? null;
}

/** The volume (0–1) of one received audio producer. */
export function volumeOf(producer: ProducerInfo, hearing: Hearing, spokenOnFloor: string | null): number {
  const channel = producer.channel;
  if (hearing.kind === 'interpreter') {
    if (channel === undefined) return hearing.input === 'floor' ? 1 : 0;
    return channel === hearing.input ? 1 : 0;
  }
  if (hearing.channel === 'floor') return channel === undefined ? 1 : 0;
  // The speaker speaks the listener's language: straight from the floor, no interpretation.
  const direct = spokenOnFloor === hearing.channel;
  if (channel === undefined) return direct ? 1 : hearing.floorLevel;
  return channel === hearing.channel && !direct ? 1 : 0;
}
