import {
  can,
  type Delegation,
  type PresentParticipant,
  type ProducerInfo,
  type Role,
} from '@summit-bridge/protocol';
import { closedByFloor } from '../floor/floorView.js';
import type { LiveSession } from '../session/sessionReducer.js';

/** One delegation's place at the table: who is connected, what it sends, how it is heard. */
export interface Seat {
  delegation: Delegation;
  members: PresentParticipant[];
  connected: boolean;
  /** The seat's studio camera and microphone: one of each, whatever the number of members. */
  camera: ProducerInfo | null;
  mic: ProducerInfo | null;
  mutedByChair: boolean;
  /** What its microphone is doing, and why, as far as this page can tell. */
  micState: SeatMic;
  chairs: boolean;
  holdsFloor: boolean;
  speaking: boolean;
  /** It shares a screen now (shown on the stage). */
  presenting: boolean;
}

/**
 * A seat's microphone: on; off by the delegation's own choice; closed by the floor policy; muted
 * by the chair; not there at all; or not known yet — connected, but still in its pre-join check
 * (or setting up its media), so nothing is sent yet.
 */
export type SeatMic = 'on' | 'off' | 'closedByFloor' | 'mutedByChair' | 'none' | 'joining';

function seatMic(
  mic: ProducerInfo | null,
  sending: boolean,
  members: readonly PresentParticipant[],
  closed: { byChair: boolean; byFloor: boolean },
): SeatMic {
  if (closed.byChair) return 'mutedByChair';
  if (mic) {
    if (!mic.paused) return 'on';
    // The server's pause is the truth; the floor rules say why (the producer does not).
    return closed.byFloor ? 'closedByFloor' : 'off';
  }
  // Nothing sent yet by members who could: they are still on their way in.
  return !sending && members.some((m) => can(m.role, 'media.publishAudio')) ? 'joining' : 'none';
}

// The head of delegation sits in the main seat; a chair's console speaks for a chairing delegation.
const seatRank: Partial<Record<Role, number>> = { head_of_delegation: 0, chair: 1, co_chair: 1, delegate: 2 };

function mainProducer(
  producers: readonly ProducerInfo[],
  roles: ReadonlyMap<string, Role>,
  source: ProducerInfo['source'],
): ProducerInfo | null {
  let best: ProducerInfo | null = null;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const producer of producers) {
    if (producer.source !== source) continue;
    const role = roles.get(producer.participantId);
    const rank = (role && seatRank[role]) ?? 3;
    // Ties go to the newest producer: after a reconnect it replaces the old one.
    if (rank <= bestRank) {
      best = producer;
      bestRank = rank;
    }
  }
  return best;
}

/** Every delegation of the session, in the server's precedence order, one seat each. */
export function seatsOf(live: LiveSession): Seat[] {
  const roles = new Map(live.presence.participants.map((p) => [p.participantId, p.role]));
  const floor = live.state.floor;
  return live.delegations.map((delegation) => {
    const members = live.presence.participants.filter((p) => p.delegation === delegation.code);
    const producers = live.producers.filter((p) => p.delegation === delegation.code);
    const mic = mainProducer(producers, roles, 'mic');
    const mutedByChair = floor.muted.includes(delegation.code);
    const chairs = live.session.chairs.includes(delegation.code);
    const byFloor = closedByFloor(floor, delegation.code, chairs);
    return {
      delegation,
      members,
      connected: members.length > 0,
      camera: mainProducer(producers, roles, 'camera'),
      mic,
      mutedByChair,
      micState: seatMic(mic, producers.length > 0, members, { byChair: mutedByChair, byFloor }),
      chairs,
      holdsFloor: floor.current?.delegation === delegation.code,
      speaking: live.activeSpeaker === delegation.code,
      presenting: producers.some((p) => p.source === 'screen'),
    };
  });
}

export interface StageLayout {
  /** A shared screen, shown large when there is one (the newest, if ever two). */
  presentation: ProducerInfo | null;
  /** Shown large without a presentation: the floor holder, or the chair while nobody holds the floor. */
  main: Seat | null;
  /** Beside it: the presenter and the floor holder during a presentation, and the chair(s). */
  beside: Seat[];
}

/** The shared screen the stage shows: the newest one of a delegation of the session. */
export function presentationOf(live: LiveSession): ProducerInfo | null {
  return live.producers.filter((p) => p.source === 'screen' && p.delegation !== null).at(-1) ?? null;
}

export function stageOf(seats: readonly Seat[], presentation: ProducerInfo | null = null): StageLayout {
  const holder = seats.find((s) => s.holdsFloor) ?? null;
  const chairs = seats.filter((s) => s.chairs);
  if (presentation) {
    // The slides large, the speaker beside them, then the chair(s): each seat once.
    const presenter = seats.find((s) => s.delegation.code === presentation.delegation) ?? null;
    const beside = [presenter, holder, ...chairs].filter((s): s is Seat => s !== null);
    return { presentation, main: null, beside: beside.filter((s, i) => beside.indexOf(s) === i) };
  }
  const main = holder ?? chairs[0] ?? null;
  return { presentation: null, main, beside: chairs.filter((s) => s !== main) };
}
