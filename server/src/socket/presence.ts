import type { Presence, PresentParticipant } from '@summit-bridge/protocol';
import type { Server } from 'socket.io';
import type { SocketData } from './signaling.js';

/**
 * Who is connected to a session, from the sockets themselves (across instances through the
 * adapter), so nothing stale survives a crashed instance. One entry per participant.
 */
export async function presenceOf(io: Server, room: string): Promise<Presence> {
  const sockets = await io.in(room).fetchSockets();
  const participants = new Map<string, PresentParticipant>();
  const observers = new Set<string>();
  for (const socket of sockets) {
    const { grants } = socket.data as SocketData;
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
