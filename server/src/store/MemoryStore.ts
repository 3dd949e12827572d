// The embedded default: everything in this process's memory, gone when it stops. Values are
// copied in and out so that callers never share objects with the store, as with Redis.
import type {
  Alert,
  AuditEntry,
  Invitation,
  ProceedingsState,
  SessionState,
  SummitDocument,
} from '@summit-bridge/protocol';
import { nextProceedingsDeadline } from '../domain/proceedings.js';
import { sessionKeyId } from '../domain/sessionKey.js';
import {
  MINUTE_COLUMNS,
  MINUTE_MAX_POINTS,
  MINUTE_RETENTION_MS,
  type MinutePoint,
  minuteColumns,
  minuteFinishedBy,
  minuteFromColumns,
  minuteOf,
  RAW_COLUMNS,
  RAW_MAX_POINTS,
  RAW_RETENTION_MS,
  type RawPoint,
  rawColumns,
  rawFromColumns,
  type SitePoint,
} from '../domain/telemetry/series.js';
import { PointRing } from './PointRing.js';
import {
  type AuditQuery,
  alertsToDrop,
  byRaiseTime,
  checkVersionAdvances,
  DEFAULT_ALERTS_MAX,
  DEFAULT_AUDIT_MAX_LEN,
  type InstanceRecord,
  inIssueOrder,
  type ProceedingsChange,
  type SessionChange,
  type SessionRef,
  type StateStore,
} from './StateStore.js';

export interface MemoryStoreOptions {
  auditMaxLen?: number;
  alertsMax?: number;
  /** Milliseconds since the epoch, for revocation expiry; the clock by default. */
  now?: () => number;
}

interface SiteSeries {
  raw: PointRing;
  minutes: PointRing;
}

/** Rows at or after `since` that are also within `retentionMs` of the ring's newest. */
function readRing(ring: PointRing | undefined, since: number, retentionMs: number) {
  const newest = ring?.newestAt;
  if (!ring || newest === null || newest === undefined) return [];
  return ring.read(Math.max(since, newest - retentionMs));
}

interface AuditLog {
  entries: AuditEntry[];
  nextSeq: number;
}

export class MemoryStore implements StateStore {
  private readonly summits = new Map<string, SummitDocument>();
  private readonly sessions = new Map<string, SessionState>();
  private readonly invitations = new Map<string, Map<string, Invitation>>();
  private readonly revoked = new Map<string, number>();
  private readonly admitted = new Map<string, Set<string>>();
  private readonly audit = new Map<string, AuditLog>();
  private readonly telemetry = new Map<string, SiteSeries>();
  private readonly alerts = new Map<string, Map<string, Alert>>();
  private readonly proceedings = new Map<string, ProceedingsState>();
  private readonly deadlines = new Map<string, SessionRef & { at: number }>();
  private readonly bodies = new Map<string, Uint8Array>();
  private readonly liveInstances = new Map<string, InstanceRecord>();
  private readonly auditMaxLen: number;
  private readonly alertsMax: number;
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.auditMaxLen = options.auditMaxLen ?? DEFAULT_AUDIT_MAX_LEN;
    this.alertsMax = options.alertsMax ?? DEFAULT_ALERTS_MAX;
    this.now = options.now ?? Date.now;
  }

  async putSummit(doc: SummitDocument): Promise<void> {
    this.summits.set(doc.id, structuredClone(doc));
  }

  async getSummit(summitId: string): Promise<SummitDocument | null> {
    const doc = this.summits.get(summitId);
    return doc ? structuredClone(doc) : null;
  }

  async listSummits(): Promise<string[]> {
    return [...this.summits.keys()].sort();
  }

  async getSessionState(summitId: string, sessionId: string): Promise<SessionState | null> {
    const state = this.sessions.get(sessionKey(summitId, sessionId));
    return state ? structuredClone(state) : null;
  }

  async updateSessionState<T>(summitId: string, sessionId: string, change: SessionChange<T>): Promise<T> {
    // Read, change and write happen in one synchronous stretch: nothing can interleave.
    const key = sessionKey(summitId, sessionId);
    const stored = this.sessions.get(key) ?? null;
    const before = stored && structuredClone(stored);
    const { state, result } = change(before);
    if (state === before) return result;
    checkVersionAdvances(stored, state);
    if (state === null) this.sessions.delete(key);
    else this.sessions.set(key, structuredClone(state));
    return result;
  }

  async putInvitation(summitId: string, invitation: Invitation): Promise<void> {
    const bySummit = this.invitations.get(summitId) ?? new Map<string, Invitation>();
    bySummit.set(invitation.jti, structuredClone(invitation));
    this.invitations.set(summitId, bySummit);
  }

  async listInvitations(summitId: string): Promise<Invitation[]> {
    const all = [...(this.invitations.get(summitId)?.values() ?? [])].map((i) => structuredClone(i));
    return all.sort(inIssueOrder);
  }

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    const now = this.now();
    // Forget revocations of tokens that have expired since: they are refused anyway.
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    if (expiresAt > now) this.revoked.set(jti, expiresAt);
  }

  async isRevoked(jti: string): Promise<boolean> {
    const until = this.revoked.get(jti);
    return until !== undefined && until > this.now();
  }

  async admit(summitId: string, sessionId: string, participantId: string): Promise<void> {
    const key = sessionKey(summitId, sessionId);
    const admitted = this.admitted.get(key) ?? new Set<string>();
    admitted.add(participantId);
    this.admitted.set(key, admitted);
  }

  async isAdmitted(summitId: string, sessionId: string, participantId: string): Promise<boolean> {
    return this.admitted.get(sessionKey(summitId, sessionId))?.has(participantId) ?? false;
  }

  async instanceAlive(record: InstanceRecord): Promise<void> {
    this.liveInstances.set(record.instanceId, structuredClone(record));
  }

  async instances(): Promise<InstanceRecord[]> {
    return [...this.liveInstances.values()].map((r) => structuredClone(r));
  }

  async dropInstance(instanceId: string, seenAt: number): Promise<boolean> {
    if (this.liveInstances.get(instanceId)?.seenAt !== seenAt) return false;
    return this.liveInstances.delete(instanceId);
  }

  async appendAudit(summitId: string, entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const log = this.audit.get(summitId) ?? { entries: [], nextSeq: 1 };
    this.audit.set(summitId, log);
    const stored: AuditEntry = { id: `0-${log.nextSeq++}`, ...structuredClone(entry) };
    log.entries.push(stored);
    if (log.entries.length > this.auditMaxLen) log.entries.splice(0, log.entries.length - this.auditMaxLen);
    return structuredClone(stored);
  }

  async readAudit(summitId: string, { after, limit }: AuditQuery): Promise<AuditEntry[]> {
    const entries = this.audit.get(summitId)?.entries ?? [];
    const afterSeq = after === undefined ? 0 : seqOf(after);
    const start = entries.findIndex((e) => seqOf(e.id) > afterSeq);
    if (start === -1) return [];
    return entries.slice(start, start + Math.max(0, limit)).map((e) => structuredClone(e));
  }

  async appendTelemetry(summitId: string, sessionId: string, points: readonly SitePoint[]): Promise<void> {
    for (const point of points) {
      const key = `${sessionKey(summitId, sessionId)}/${point.site}`;
      let series = this.telemetry.get(key);
      if (!series) {
        series = {
          raw: new PointRing(RAW_MAX_POINTS, RAW_COLUMNS),
          minutes: new PointRing(MINUTE_MAX_POINTS, MINUTE_COLUMNS),
        };
        this.telemetry.set(key, series);
      }
      // The newest minute's points are read back only when this point ends that minute.
      const newest = series.raw.newestAt;
      if (newest !== null && minuteOf(newest) < minuteOf(point.at)) {
        const recent = series.raw.read(minuteOf(newest)).map((r) => rawFromColumns(r.at, r.columns));
        const finished = minuteFinishedBy(recent, point);
        if (finished) series.minutes.push(finished.at, minuteColumns(finished));
      }
      series.raw.push(point.at, rawColumns(point));
    }
  }

  async readRawTelemetry(
    summitId: string,
    sessionId: string,
    site: string,
    since: number,
  ): Promise<RawPoint[]> {
    const ring = this.telemetry.get(`${sessionKey(summitId, sessionId)}/${site}`)?.raw;
    return readRing(ring, since, RAW_RETENTION_MS).map((r) => rawFromColumns(r.at, r.columns));
  }

  async readMinuteTelemetry(
    summitId: string,
    sessionId: string,
    site: string,
    since: number,
  ): Promise<MinutePoint[]> {
    const ring = this.telemetry.get(`${sessionKey(summitId, sessionId)}/${site}`)?.minutes;
    return readRing(ring, since, MINUTE_RETENTION_MS).map((r) => minuteFromColumns(r.at, r.columns));
  }

  async putAlert(summitId: string, sessionId: string, alert: Alert): Promise<void> {
    const key = sessionKey(summitId, sessionId);
    const alerts = this.alerts.get(key) ?? new Map<string, Alert>();
    this.alerts.set(key, alerts);
    alerts.set(alert.id, structuredClone(alert));
    for (const gone of alertsToDrop([...alerts.values()], this.alertsMax)) alerts.delete(gone.id);
  }

  async listAlerts(summitId: string, sessionId: string): Promise<Alert[]> {
    const alerts = this.alerts.get(sessionKey(summitId, sessionId))?.values() ?? [];
    return [...alerts].map((a) => structuredClone(a)).sort(byRaiseTime);
  }

  async getProceedings(summitId: string, sessionId: string): Promise<ProceedingsState | null> {
    const state = this.proceedings.get(sessionKey(summitId, sessionId));
    return state ? structuredClone(state) : null;
  }

  async updateProceedings<T>(summitId: string, sessionId: string, change: ProceedingsChange<T>): Promise<T> {
    const key = sessionKey(summitId, sessionId);
    const stored = this.proceedings.get(key) ?? null;
    const before = stored && structuredClone(stored);
    const { state, result } = change(before);
    if (state === before) return result;
    checkVersionAdvances(stored, state);
    if (state === null) this.proceedings.delete(key);
    else this.proceedings.set(key, structuredClone(state));
    const at = state && nextProceedingsDeadline(state);
    if (at === null) this.deadlines.delete(key);
    else this.deadlines.set(key, { summitId, sessionId, at });
    return result;
  }

  async dueProceedings(now: number): Promise<SessionRef[]> {
    return [...this.deadlines.values()]
      .filter((d) => d.at <= now)
      .map(({ summitId, sessionId }) => ({ summitId, sessionId }));
  }

  async putDocumentBody(
    summitId: string,
    sessionId: string,
    sha256: string,
    body: Uint8Array,
  ): Promise<void> {
    this.bodies.set(`${sessionKey(summitId, sessionId)}/${sha256}`, new Uint8Array(body));
  }

  async getDocumentBody(summitId: string, sessionId: string, sha256: string): Promise<Uint8Array | null> {
    const body = this.bodies.get(`${sessionKey(summitId, sessionId)}/${sha256}`);
    return body ? new Uint8Array(body) : null;
  }

  async close(): Promise<void> {}
}

const sessionKey = (summitId: string, sessionId: string) => sessionKeyId({ summitId, sessionId });

/** Memory ids are "0-<seq>"; any id with a larger sequence number comes later. */
function seqOf(id: string): number {
  return Number(id.split('-')[1] ?? 0);
}
