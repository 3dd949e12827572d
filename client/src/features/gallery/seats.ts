import type { Delegation, PresentParticipant, ProducerInfo, Role } from '@summit-bridge/protocol';
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
  chairs: boolean;
  holdsFloor: boolean;
  speaking: boolean;
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
    return {
      delegation,
      members,
      connected: members.length > 0,
      camera: mainProducer(producers, roles, 'camera'),
      mic: mainProducer(producers, roles, 'mic'),
      mutedByChair: floor.muted.includes(delegation.code),
      chairs: live.session.chairs.includes(delegation.code),
      holdsFloor: floor.current?.delegation === delegation.code,
      speaking: live.activeSpeaker === delegation.code,
    };
  });
}

export interface StageLayout {
  /** Shown large: the floor holder, or the chair while nobody holds the floor. */
  main: Seat | null;
  /** The chair(s) beside it. */
  beside: Seat[];
}

export function stageOf(seats: readonly Seat[]): StageLayout {
  const holder = seats.find((s) => s.holdsFloor) ?? null;
  const chairs = seats.filter((s) => s.chairs);
  const main = holder ?? chairs[0] ?? null;
  return { main, beside: chairs.filter((s) => s !== main) };
}
