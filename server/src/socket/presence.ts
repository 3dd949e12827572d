import type { Presence, PresentParticipant } from '@summit-bridge/protocol';
import type { SignalingServer } from './context.js';

/**
 * Who is connected to a session, from the sockets themselves (across instances through the
 * adapter), so nothing stale survives a crashed instance. One entry per participant.
 */
async function presenceOf(io: SignalingServer, room: string): Promise<Presence> {
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
      ...(grants.booth ? { booth: grants.booth } : {}),
    });
  }
  return {
    participants: [...participants.values()].sort((a, b) => a.participantId.localeCompare(b.participantId)),
    observers: observers.size,
  };
}

interface RoomPresence {
  latest: Promise<Presence> | null;
  computedAt: number;
  /** Counts joins and leaves. */
  version: number;
  /** `version` when `latest` began to be read: it holds every change up to that one. */
  latestVersion: number;
  push: NodeJS.Timeout | null;
  size: number;
}

/**
 * Presence per session room, computed at most once per window and pushed at most once per window.
 * Joins come in storms (a session opening, everyone reconnecting after a failure): reading every
 * socket for each join's snapshot and pushing the whole list to everyone on each join is O(N²);
 * here a storm of N joins costs one read and one push per window. The window grows with the room
 * (100 ms for a summit's delegations, about a second for 2,000 observers).
 */
export class PresenceBoard {
  private readonly rooms = new Map<string, RoomPresence>();

  constructor(
    private readonly io: SignalingServer,
    private readonly now: () => number = Date.now,
  ) {}

  /** The room's presence, at most one window old: a push follows any change it lacks. */
  current(room: string): Promise<Presence> {
    const entry = this.entry(room);
    return this.read(room, entry, this.windowMs(entry));
  }

  /** Someone joined or left: one push to the room carries it, with whatever else the window brings. */
  changed(room: string): void {
    const entry = this.entry(room);
    entry.version += 1;
    if (entry.push) return;
    entry.push = setTimeout(async () => {
      entry.push = null;
      // Never older than the last change: a list read for a snapshot earlier in the window would
      // lack the joins after it, and no later push would bring them.
      const presence = await this.read(room, entry, 0).catch(() => null);
      if (presence) this.io.to(room).emit('presence:updated', presence);
      if (presence && presence.participants.length + presence.observers === 0 && !entry.push) {
        this.rooms.delete(room);
      }
    }, this.windowMs(entry));
    entry.push.unref();
  }

  /** `latest` if it holds every change or is younger than `maxAgeMs`; read anew otherwise. */
  private read(room: string, entry: RoomPresence, maxAgeMs: number): Promise<Presence> {
    const upToDate = entry.latestVersion === entry.version;
    if (entry.latest && (upToDate || this.now() - entry.computedAt < maxAgeMs)) return entry.latest;
    entry.latestVersion = entry.version;
    entry.computedAt = this.now();
    const latest = presenceOf(this.io, room).then((presence) => {
      entry.size = presence.participants.length + presence.observers;
      return presence;
    });
    entry.latest = latest;
    latest.catch(() => {
      if (entry.latest === latest) entry.latest = null;
    });
    return latest;
  }

  private windowMs(entry: RoomPresence): number {
    return Math.min(2_000, 100 + entry.size / 2);
  }

  private entry(room: string): RoomPresence {
    let entry = this.rooms.get(room);
    if (!entry) {
      entry = { latest: null, computedAt: 0, version: 1, latestVersion: 0, push: null, size: 0 };
      this.rooms.set(room, entry);
    }
    return entry;
  }
}
