// A session's lobby: a connection with a valid token waits, seeing nothing of the session, until
// the secretariat or a technician admits it, having seen its name and its camera; or refuses it.
// Waiting sockets may be on any instance: the lobby is read through the adapter, and an admission
// is carried out by the instance that holds the socket.
import {
  bypassesLobby,
  can,
  type Grants,
  type LobbyEntry,
  type LobbyView,
  RequestError,
  type RequestName,
  type SummitDocument,
} from '@summit-bridge/protocol';
import type { AuditLog } from '../audit/AuditLog.js';
import { type SessionKey, sessionKeyId } from '../domain/sessionKey.js';
import { findSession } from '../domain/summit.js';
import type { Logger } from '../log.js';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { AdmissionStore } from '../store/StateStore.js';
import { type Connection, type Handlers, type SignalingServer, sessionRoom } from './context.js';

type LobbyRequest = Extract<RequestName, `lobby:${string}`>;

/** Where waiting sockets are. */
export const lobbyRoom = (key: SessionKey) => `lobby:${sessionKeyId(key)}`;
/** Who sees the lobby of a session (staff and chairs): `lobby:updated` goes there. */
export const lobbyWatchers = (key: SessionKey) => `lobby-watchers:${sessionKeyId(key)}`;

export interface LobbyDeps {
  admissions: AdmissionStore;
  audit: AuditLog;
  media: MediaSessions;
  clustered: boolean;
  log: Logger;
}

export class Lobby {
  /** How to let each waiting socket of this instance in, by connection id. */
  private readonly entries = new Map<string, () => Promise<void>>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly io: SignalingServer,
    private readonly deps: LobbyDeps,
  ) {
    io.on('lobby:admit', (connectionId: string) => void this.enterHere(connectionId));
    deps.media.on('lobbyCameras', (key) => this.changed(key));
  }

  /**
   * Whether a new connection waits: the session has a lobby, the role does not run the session,
   * and the participant was not let in before, or is already inside on another device.
   */
  async mustWait(doc: SummitDocument, grants: Grants, key: SessionKey): Promise<boolean> {
    if (!findSession(doc, key.sessionId)?.lobby || bypassesLobby(grants.role)) return false;
    if (!(await this.deps.admissions.isAdmitted(key.summitId, key.sessionId, grants.sub))) return true;
    const inside = await this.io.in(sessionRoom(key)).fetchSockets();
    return inside.some((s) => s.data.grants.sub === grants.sub);
  }

  /** A connection starts waiting; `enter` is what admitting it will do. */
  wait(conn: Connection, enter: () => Promise<void>): void {
    this.entries.set(conn.socket.id, enter);
    void conn.socket.join(lobbyRoom(conn.key));
    conn.socket.emit('lobby:status', { state: 'waiting' });
    this.changed(conn.key);
  }

  /** A waiting connection went away. */
  left(conn: Connection): void {
    this.entries.delete(conn.socket.id);
    this.changed(conn.key);
  }

  /** Who waits, from the sockets themselves (across instances). */
  async view(key: SessionKey): Promise<LobbyView> {
    const [waiting, inside, producers] = await Promise.all([
      this.io.in(lobbyRoom(key)).fetchSockets(),
      this.io.in(sessionRoom(key)).fetchSockets(),
      this.deps.media.lobbyCameras(key),
    ]);
    const delegationsInside = new Set(inside.map((s) => s.data.grants.delegation).filter((d) => d !== null));
    const entries: LobbyEntry[] = waiting
      .filter((s) => s.data.waiting)
      .map(({ id, data: { grants, since } }) => ({
        connectionId: id,
        participantId: grants.sub,
        name: grants.name,
        role: grants.role,
        delegation: grants.delegation,
        since,
        delegationInside: grants.delegation !== null && delegationsInside.has(grants.delegation),
        cameraProducerId: producers.get(id) ?? null,
      }));
    return { waiting: entries.sort((a, b) => a.since - b.since) };
  }

  handlers(): Handlers<LobbyRequest> {
    return {
      'lobby:list': (conn) => this.view(conn.key),
      'lobby:admit': async (conn, { connectionId }) => {
        await this.admit(conn, await this.waiting(conn.key, connectionId));
        return {};
      },
      'lobby:refuse': async (conn, { connectionId }) => {
        const entry = await this.waiting(conn.key, connectionId);
        await this.record(conn, 'lobbyRefused', entry);
        this.io.to(connectionId).emit('lobby:status', { state: 'refused' });
        this.io.in(connectionId).disconnectSockets(true);
        this.changed(conn.key);
        return {};
      },
      'lobby:admitDelegation': async (conn, { delegation }) => {
        const entries = (await this.view(conn.key)).waiting.filter((e) => e.delegation === delegation);
        for (const entry of entries) await this.admit(conn, entry);
        return { admitted: entries.length };
      },
    };
  }

  /** Those who may see the lobby hear of it as it changes (coalesced, one push a moment). */
  changed(key: SessionKey): void {
    const id = sessionKeyId(key);
    if (this.pending.has(id)) return;
    this.pending.add(id);
    setTimeout(async () => {
      this.pending.delete(id);
      const view = await this.view(key).catch(() => null);
      if (view) this.io.to(lobbyWatchers(key)).emit('lobby:updated', view);
    }, 100).unref();
  }

  /** A connection entering the session that may see its lobby listens to it. */
  watchIfAllowed(conn: Connection): void {
    if (can(conn.grants.role, 'lobby.read')) void conn.socket.join(lobbyWatchers(conn.key));
  }

  private async waiting(key: SessionKey, connectionId: string): Promise<LobbyEntry> {
    const entry = (await this.view(key)).waiting.find((e) => e.connectionId === connectionId);
    if (!entry) throw new RequestError('not_found', 'nobody with that connection waits in this lobby');
    return entry;
  }

  private async admit(by: Connection, entry: LobbyEntry): Promise<void> {
    await this.deps.admissions.admit(by.key.summitId, by.key.sessionId, entry.participantId);
    await this.record(by, 'lobbyAdmitted', entry);
    // The instance that holds the socket lets it in.
    if (this.entries.has(entry.connectionId)) await this.enterHere(entry.connectionId);
    else if (this.deps.clustered) this.io.serverSideEmit('lobby:admit', entry.connectionId);
    this.changed(by.key);
  }

  private async enterHere(connectionId: string): Promise<void> {
    const enter = this.entries.get(connectionId);
    if (!enter) return;
    this.entries.delete(connectionId);
    await enter().catch((err) => this.deps.log.error({ err }, 'admitting from the lobby failed'));
  }

  private record(by: Connection, type: string, entry: LobbyEntry): Promise<void> {
    return this.deps.audit.append(by.key.summitId, {
      sessionId: by.key.sessionId,
      type,
      actor: by.actor,
      delegation: entry.delegation,
      detail: {
        participantId: entry.participantId,
        name: entry.name,
        role: entry.role,
        connectionId: entry.connectionId,
        delegationInside: entry.delegationInside,
      },
    });
  }
}
