import type { Presence, PresentParticipant } from '@summit-bridge/protocol';
import type { SignalingServer } from './context.js';

/**
 * Who is connected to a session, from the sockets themselves (across instances through the
 * adapter), so nothing stale survives a crashed instance. One entry per participant.
 */
export async function presenceOf(io: SignalingServer, room: string): Promise<Presence> {
  const sockets = await io.in(room).fetchSockets();
  const participants = new Map<string, PresentParticipant>();
  const observers = new Set<string>();
  for (const { data } of sockets) {
    const { grants } = data;
    if (grants.role === 'observer') {
      observers.add(grants.sub);
      continue;
    }
    participants.set(grants.sub, {
      participantId: grants.sub,
      name: grants.name,
      role: grants.role,
      delegation: grants.delegation,
    });
  }
  return {
    participants: [...participants.values()].sort((a, b) => a.participantId.localeCompare(b.participantId)),
    observers: observers.size,
  };
}
