// Signs of life between signaling instances. Each says, every few seconds, which sessions it
// holds connections in. One whose sign is older than `lostAfterMs` died without a word (a crash,
// a host lost: no leave line was written for its connections), and the first survivor to notice
// writes `instanceLost` into the audit trail of each session it held, with when it was last seen:
// the record of the meeting closes those connections' periods of attendance there.
import type { AuditLog } from '../audit/AuditLog.js';
import { sessionKeyId, sessionKeyOf } from '../domain/sessionKey.js';
import type { Logger } from '../log.js';
import type { InstanceStore } from '../store/StateStore.js';
import type { SignalingServer } from './context.js';

export interface InstanceWatchOptions {
  instanceId: string;
  store: InstanceStore;
  audit: AuditLog;
  log: Logger;
  /** How often this instance says it is alive, and looks for the dead. */
  heartbeatMs?: number;
  /** Silent this long, an instance is dead: several heartbeats, so a slow one is not buried. */
  lostAfterMs?: number;
  now?: () => number;
}

export const DEFAULT_HEARTBEAT_MS = 5_000;
export const DEFAULT_LOST_AFTER_MS = 30_000;

export function watchInstances(
  io: SignalingServer,
  options: InstanceWatchOptions,
): { close(): Promise<void> } {
  const { instanceId, store, audit, log } = options;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const lostAfterMs = options.lostAfterMs ?? DEFAULT_LOST_AFTER_MS;
  const now = options.now ?? Date.now;

  /** The sessions this instance's connections are in (not those waiting in a lobby). */
  const heldSessions = () => {
    const held = new Set<string>();
    for (const socket of io.of('/').sockets.values()) {
      if (socket.data.key && !socket.data.waiting) held.add(sessionKeyId(socket.data.key));
    }
    return [...held].sort();
  };

  const tick = async () => {
    await store.instanceAlive({ instanceId, seenAt: now(), sessions: heldSessions() });
    for (const record of await store.instances()) {
      if (record.instanceId === instanceId || now() - record.seenAt < lostAfterMs) continue;
      // Only the survivor that takes the record away writes: one line per session, not one per survivor.
      if (!(await store.dropInstance(record.instanceId, record.seenAt))) continue;
      log.warn({ instance: record.instanceId, lastSeen: record.seenAt }, 'a signaling instance was lost');
      for (const id of record.sessions) {
        const key = sessionKeyOf(id);
        if (!key) continue;
        await audit.append(key.summitId, {
          sessionId: key.sessionId,
          type: 'instanceLost',
          actor: null,
          delegation: null,
          detail: { instance: record.instanceId, lastSeen: record.seenAt },
        });
      }
    }
  };

  let running: Promise<void> | null = null;
  const run = () => {
    // A store slower than the beat: skip a beat rather than pile ticks up.
    if (running) return;
    running = tick()
      .catch((err) => log.warn({ err }, 'instance heartbeat failed'))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, heartbeatMs);
  timer.unref();
  return {
    // Stopping cleanly (its connections closed, their leave lines written): the last sign holds no
    // session, so whoever later finds it silent has nothing to close.
    close: async () => {
      clearInterval(timer);
      await running;
      await store
        .instanceAlive({ instanceId, seenAt: now(), sessions: heldSessions() })
        .catch((err) => log.warn({ err }, 'the last instance heartbeat failed'));
    },
  };
}
