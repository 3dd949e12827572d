// Where summits, session states, invitations and revocations, the audit trail and telemetry live,
// one interface per concern. Two backends implement them all and pass one contract suite:
// MemoryStore (embedded default) and RedisStore.
import type {
  Alert,
  AuditEntry,
  Invitation,
  ProceedingsState,
  SessionState,
  SummitDocument,
} from '@summit-bridge/protocol';
import type { MinutePoint, RawPoint, SitePoint } from '../domain/telemetry/series.js';

/**
 * A change to one session's state, applied under the store's serialization: it sees the latest
 * state (null if none) and returns the next one, or the very same object for "no change".
 * It must be pure and synchronous: the store may call it again after losing a race.
 */
export type SessionChange<T> = (state: SessionState | null) => { state: SessionState | null; result: T };

export interface AuditQuery {
  /** Entries strictly after this id (as returned by the store); from the oldest kept if absent. */
  after?: string | undefined;
  limit: number;
}

/** Summit documents, as the secretariat wrote them. */
export interface SummitStore {
  putSummit(doc: SummitDocument): Promise<void>;
  getSummit(summitId: string): Promise<SummitDocument | null>;
  /** Summit ids, sorted. */
  listSummits(): Promise<string[]>;
}

/** Each session's live state: status, floor, speakers list, timer. */
export interface SessionStateStore {
  getSessionState(summitId: string, sessionId: string): Promise<SessionState | null>;
  /**
   * Serialized read-modify-write of one session: two concurrent updates never lose each other's
   * change. A changed state must carry a higher `version` than the one it replaces.
   */
  updateSessionState<T>(summitId: string, sessionId: string, change: SessionChange<T>): Promise<T>;
}

/** Issued tokens and the revoked ones. */
export interface InvitationStore {
  /** Records an issued token (keyed by its jti: putting the same jti again replaces it). */
  putInvitation(summitId: string, invitation: Invitation): Promise<void>;
  /** In issue order. */
  listInvitations(summitId: string): Promise<Invitation[]>;
  /** Remembers a revoked jti until `expiresAt` (ms), after which the token is refused anyway. */
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}

/** Who each session's lobby has let in, by participant: a reconnect does not wait again. */
export interface AdmissionStore {
  admit(summitId: string, sessionId: string, participantId: string): Promise<void>;
  isAdmitted(summitId: string, sessionId: string, participantId: string): Promise<boolean>;
}

/** A signaling instance's last sign of life, and the sessions it then held connections in. */
export interface InstanceRecord {
  instanceId: string;
  /** Milliseconds since the epoch. */
  seenAt: number;
  /** Session key ids (`<summit>/<session>`). */
  sessions: string[];
}

/**
 * The signaling instances alive, so that when one dies without a word (a crash, a host lost) the
 * others can close what its connections held open: their periods of attendance.
 */
export interface InstanceStore {
  /** This instance is alive now, with connections in these sessions (replaces its last record). */
  instanceAlive(record: InstanceRecord): Promise<void>;
  /** Every instance's last record. */
  instances(): Promise<InstanceRecord[]>;
  /**
   * Takes an instance's record away if it is still the one seen at `seenAt`; true for the one
   * caller that did (so that one survivor tells), false if the instance spoke again meanwhile.
   */
  dropInstance(instanceId: string, seenAt: number): Promise<boolean>;
}

/** Each summit's audit trail. */
export interface AuditStore {
  /** Appends to the summit's audit trail; the oldest entries go past the store's bound. */
  appendAudit(summitId: string, entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Oldest first. */
  readAudit(summitId: string, query: AuditQuery): Promise<AuditEntry[]>;
}

/** Link-quality series and alerts, per session and site. */
export interface TelemetryStore {
  /**
   * Appends a sampling round's points (one per site, at most one per site and moment, in time
   * order). Keeps each site's 2-s points for an hour and, as each minute ends, its min/avg/max
   * for 48 hours (`summarizeMinute`), both also bounded by count.
   */
  appendTelemetry(summitId: string, sessionId: string, points: readonly SitePoint[]): Promise<void>;
  /** A site's 2-s points at or after `since`, oldest first. */
  readRawTelemetry(summitId: string, sessionId: string, site: string, since: number): Promise<RawPoint[]>;
  /** A site's finished minutes starting at or after `since`, oldest first. */
  readMinuteTelemetry(
    summitId: string,
    sessionId: string,
    site: string,
    since: number,
  ): Promise<MinutePoint[]>;
  /** Records an alert, replacing the one with the same id; the oldest go past the store's bound. */
  putAlert(summitId: string, sessionId: string, alert: Alert): Promise<void>;
  /** The session's alerts by raise time, oldest first. */
  listAlerts(summitId: string, sessionId: string): Promise<Alert[]>;
}

/** A change to one session's proceedings, under the same rules as a SessionChange. */
export type ProceedingsChange<T> = (state: ProceedingsState | null) => {
  state: ProceedingsState | null;
  result: T;
};

/** A session, as the deadline index names it. */
export interface SessionRef {
  summitId: string;
  sessionId: string;
}

/** Each session's proceedings (documents, adoptions, votes), the document bodies, and their deadlines. */
export interface ProceedingsStore {
  getProceedings(summitId: string, sessionId: string): Promise<ProceedingsState | null>;
  /**
   * Serialized read-modify-write, as updateSessionState. The store also keeps an index of each
   * session's next deadline (`nextProceedingsDeadline`), written with the state in one step, so
   * that whichever instance looks finds every procedure that is due, even with nobody connected.
   */
  updateProceedings<T>(summitId: string, sessionId: string, change: ProceedingsChange<T>): Promise<T>;
  /** Sessions whose next deadline is at or before `now`. */
  dueProceedings(now: number): Promise<SessionRef[]>;
  /** Keeps a document body under its SHA-256 (hex); the same bytes twice are kept once. */
  putDocumentBody(summitId: string, sessionId: string, sha256: string, body: Uint8Array): Promise<void>;
  getDocumentBody(summitId: string, sessionId: string, sha256: string): Promise<Uint8Array | null>;
}

/** Everything a backend keeps; each service depends only on the part it uses. */
export interface StateStore
  extends SummitStore,
    SessionStateStore,
    InvitationStore,
    AdmissionStore,
    AuditStore,
    TelemetryStore,
    ProceedingsStore,
    InstanceStore {
  close(): Promise<void>;
}

/** Alerts kept per session: two days of a bad network's worth. */
export const DEFAULT_ALERTS_MAX = 1_000;

/** Which alerts to drop past the bound: cleared ones first, oldest first. */
export function alertsToDrop(alerts: readonly Alert[], max: number): Alert[] {
  if (alerts.length <= max) return [];
  const byAge = [...alerts].sort(
    (a, b) => Number(a.clearedAt === null) - Number(b.clearedAt === null) || a.raisedAt - b.raisedAt,
  );
  return byAge.slice(0, alerts.length - max);
}

export function byRaiseTime(a: Alert, b: Alert): number {
  return a.raisedAt - b.raisedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The shape of audit ids, for validating an `after` cursor that comes from a request. */
export const auditIdPattern = /^\d+-\d+$/;

/** Audit entries kept per summit unless configured: weeks of a summit's floor actions and joins. */
export const DEFAULT_AUDIT_MAX_LEN = 100_000;

/** Raised when an update keeps losing races for longer than is reasonable. */
export class StoreConflictError extends Error {
  readonly code = 'conflict';
}

/** A changed state must move the version forward: that is what makes check-and-set safe. */
export function checkVersionAdvances(
  before: { version: number } | null,
  after: { version: number; sessionId: string } | null,
): void {
  if (before !== null && after !== null && after.version <= before.version)
    throw new Error(
      `session ${after.sessionId}: a changed state must have a version above ${before.version}, got ${after.version}`,
    );
}

export function inIssueOrder(a: Invitation, b: Invitation): number {
  return a.issuedAt - b.issuedAt || (a.jti < b.jti ? -1 : a.jti > b.jti ? 1 : 0);
}
