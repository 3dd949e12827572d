import { EventEmitter } from 'node:events';
import type {
  Alert,
  AlertRule,
  AuditActor,
  ClientReport,
  InterpreterSample,
  SiteSample,
  TelemetrySample,
  TelemetrySnapshot,
} from '@summit-bridge/protocol';
import { RequestError, SerialQueue } from '@summit-bridge/protocol';
import type { AuditLog } from '../audit/AuditLog.js';
import { type SessionKey, sessionKeyId } from '../domain/sessionKey.js';
import { alertId, evaluate, type RuleState, raisedIn, type Transition } from '../domain/telemetry/rules.js';
import { SAMPLE_INTERVAL_MS } from '../domain/telemetry/series.js';
import {
  newSite,
  type SiteLink,
  type SiteMemory,
  sampleSite,
  stageConsumer,
} from '../domain/telemetry/siteSample.js';
import type { Logger } from '../log.js';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { TelemetryStore } from '../store/StateStore.js';

/** A connection of a session on this instance, and what its browser last reported. */
interface Link {
  delegation: string | null;
  /** An interpreter's connection: sampled on its own, beside its booth. */
  interpreter: Interpreter | null;
  report: ClientReport | null;
  reportedAt: number;
}

/** Who an interpreter's connection is, for technicians. */
export interface Interpreter {
  participantId: string;
  name: string;
  booth: string;
}

interface WatchedSession {
  key: SessionKey;
  links: Map<string, Link>;
  sites: Map<string, SiteMemory>;
  rules: RuleState;
  latest: TelemetrySample | null;
}

export interface TelemetryOptions {
  rules: readonly AlertRule[];
  intervalMs?: number;
  now?: () => number;
}

/** What technicians must see as it happens. */
interface TelemetryEvents {
  sample: [SessionKey, TelemetrySample];
  /** An alert raised, acknowledged or cleared. */
  alert: [SessionKey, Alert];
}

/** After a link's ICE or DTLS went bad, sample its session this soon rather than at the next round. */
const TROUBLE_SAMPLE_DELAY_MS = 250;

/**
 * Samples every site of the sessions this instance serves, every 2 s while they have any
 * connection here: the media node's stats and the clients' reports make each site's sample,
 * which is stored, pushed to technicians and run through the alert rules.
 */
export class TelemetryService extends EventEmitter<TelemetryEvents> {
  private readonly watched = new Map<string, WatchedSession>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  /** A client may report at most this often; it is asked every 2 s. */
  private readonly minReportGapMs: number;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  /** Alert writes, one after another, so that a clear and an acknowledgement never cross. */
  private readonly alertWrites = new SerialQueue<'alerts'>();
  /** Sessions to sample early because a link went bad. */
  private readonly troubled = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly media: MediaSessions,
    private readonly store: TelemetryStore,
    private readonly summits: SummitCatalog,
    private readonly audit: AuditLog,
    private readonly log: Logger,
    readonly options: TelemetryOptions,
  ) {
    super();
    this.intervalMs = options.intervalMs ?? SAMPLE_INTERVAL_MS;
    this.minReportGapMs = this.intervalMs / 2;
    this.now = options.now ?? Date.now;
    media.on('linkTrouble', (key) => this.sampleSoon(key));
  }

  /** A connection joined a session here: the session is sampled while it has any. */
  joined(
    key: SessionKey,
    socketId: string,
    delegation: string | null,
    interpreter: Interpreter | null = null,
  ): void {
    if (this.closed) return;
    const id = sessionKeyId(key);
    let session = this.watched.get(id);
    if (!session) {
      session = { key, links: new Map(), sites: new Map(), rules: new Map(), latest: null };
      this.watched.set(id, session);
    }
    session.links.set(socketId, {
      delegation,
      interpreter,
      report: null,
      reportedAt: Number.NEGATIVE_INFINITY,
    });
    this.timer ??= setInterval(() => this.tick(), this.intervalMs).unref();
  }

  left(key: SessionKey, socketId: string): void {
    const session = this.watched.get(sessionKeyId(key));
    if (!session) return;
    session.links.delete(socketId);
    if (session.links.size > 0) return;
    this.watched.delete(sessionKeyId(key));
    if (this.watched.size === 0) this.stopTimer();
    // Nobody left to sample: the alerts still up would never clear.
    const stillUp = raisedIn(session.rules);
    if (stillUp.length > 0) void this.queueAlertWrite(() => this.clearAll(session.key, stillUp));
  }

  /** A client's report of its own link; a client reporting too often is refused. */
  report(key: SessionKey, socketId: string, report: ClientReport): void {
    const link = this.watched.get(sessionKeyId(key))?.links.get(socketId);
    if (!link) throw new RequestError('not_found', 'this connection is not in a sampled session');
    const now = this.now();
    if (now - link.reportedAt < this.minReportGapMs)
      throw new RequestError('rate_limited', `one telemetry report every ${this.minReportGapMs} ms at most`);
    link.report = report;
    link.reportedAt = now;
  }

  async snapshot(key: SessionKey): Promise<TelemetrySnapshot> {
    return {
      rules: [...this.options.rules],
      alerts: await this.store.listAlerts(key.summitId, key.sessionId),
      latest: this.watched.get(sessionKeyId(key))?.latest ?? null,
    };
  }

  /**
   * An alert the server raises about itself, not a site's link (the recorder's disk filling up):
   * technicians see it, acknowledge it and find it in the audit trail like any other. Its subject
   * stands where a site's code would.
   */
  async raise(key: SessionKey, rule: string, subject: string, value: number | null): Promise<Alert> {
    const at = this.now();
    const alert: Alert = {
      id: alertId(rule, subject, at),
      rule,
      severity: 'critical',
      delegation: subject,
      raisedAt: at,
      value,
      acknowledgedAt: null,
      acknowledgedBy: null,
      clearedAt: null,
    };
    await this.queueAlertWrite(() => this.publish(key, alert, 'alertRaised', null));
    return alert;
  }

  acknowledge(key: SessionKey, id: string, actor: AuditActor): Promise<Alert> {
    return this.queueAlertWrite(async () => {
      const alert = (await this.store.listAlerts(key.summitId, key.sessionId)).find((a) => a.id === id);
      if (!alert) throw new RequestError('not_found', `no alert ${id}`);
      if (alert.acknowledgedAt !== null) return alert;
      const acknowledged = { ...alert, acknowledgedAt: this.now(), acknowledgedBy: actor.participantId };
      await this.publish(key, acknowledged, 'alertAcknowledged', actor);
      return acknowledged;
    });
  }

  /** A technician's action on a site, for the audit trail. */
  record(
    key: SessionKey,
    type: string,
    actor: AuditActor,
    delegation: string,
    detail: object,
  ): Promise<void> {
    return this.audit.append(key.summitId, {
      at: this.now(),
      sessionId: key.sessionId,
      type,
      actor,
      delegation,
      detail: { ...detail },
    });
  }

  /** What is being sampled now: for diagnostics and the tests of the timer's lifecycle. */
  sampling(): { sessions: string[]; timer: boolean } {
    return { sessions: [...this.watched.keys()], timer: this.timer !== null };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopTimer();
    for (const timer of this.troubled.values()) clearTimeout(timer);
    this.troubled.clear();
    this.watched.clear();
    await this.round;
    await this.alertWrites.idle();
  }

  /**
   * A link of the session went bad (ICE disconnected, DTLS failed): its technicians should know
   * within a fraction of a second, not at the next 2-s round. Troubles coming together make one sample.
   */
  private sampleSoon(key: SessionKey): void {
    const id = sessionKeyId(key);
    if (this.closed || this.troubled.has(id) || !this.watched.has(id)) return;
    const timer = setTimeout(() => {
      this.troubled.delete(id);
      const session = this.watched.get(id);
      if (session && !this.round)
        this.round = this.sample(session)
          .catch((err) => this.log.warn({ err, session: id }, 'telemetry sampling failed'))
          .then(() => {
            this.round = null;
          });
    }, TROUBLE_SAMPLE_DELAY_MS);
    timer.unref();
    this.troubled.set(id, timer);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  // A round still running when the next is due (a slow Redis) makes the next one skip.
  private tick(): void {
    if (this.round || this.closed) return;
    const sessions = [...this.watched.values()];
    this.round = Promise.all(
      sessions.map((s) =>
        this.sample(s).catch((err) =>
          this.log.warn({ err, session: sessionKeyId(s.key) }, 'telemetry sampling failed'),
        ),
      ),
    ).then(() => {
      this.round = null;
    });
  }

  /** Each site's connections here, and each interpreter's, with what the node and their browsers say. */
  private async readLinks(
    session: WatchedSession,
    now: number,
  ): Promise<{ linksOf: Map<string, SiteLink[]>; interpreters: InterpreterSample[] }> {
    const { key } = session;
    const [all, producers] = await Promise.all([this.media.stats(key), this.media.producers(key)]);
    const byPeer = new Map(all.map((p) => [p.peerId, p]));
    const screens = new Set(producers.filter((p) => p.source === 'screen').map((p) => p.producerId));
    const read = await Promise.all(
      [...session.links].map(async ([socketId, link]) => {
        const stats = byPeer.get(socketId) ?? null;
        // Of a peer's consumers only its stage video is read in full: hundreds of reads would cost more.
        const stage = stats && link.delegation !== null ? stageConsumer(stats, screens) : null;
        const stageStats = stage
          ? await this.media.consumerStats(key, socketId, stage.consumerId).catch(() => null)
          : null;
        const fresh = now - link.reportedAt <= 3 * this.intervalMs;
        return {
          delegation: link.delegation,
          interpreter: link.interpreter,
          link: { stats, stage: stageStats, report: fresh ? link.report : null, screens },
        };
      }),
    );
    const linksOf = new Map<string, SiteLink[]>();
    const interpreters: InterpreterSample[] = [];
    for (const { delegation, interpreter, link } of read) {
      if (delegation !== null) linksOf.set(delegation, [...(linksOf.get(delegation) ?? []), link]);
      if (interpreter) {
        // Sampled afresh each round: an interpreter's history is not kept, its booth's state is.
        const { sample } = sampleSite('INTERPRETER', [link], newSite, null, now);
        const { connection, path, values } = sample;
        interpreters.push({ ...interpreter, connection, path, values });
      }
    }
    return { linksOf, interpreters };
  }

  private async sample(session: WatchedSession): Promise<void> {
    const { key } = session;
    const now = this.now();
    const [{ ctx }, { linksOf, interpreters }] = await Promise.all([
      this.summits.context(key.summitId, key.sessionId),
      this.readLinks(session, now),
    ]);
    const sites: SiteSample[] = [];
    for (const delegation of ctx.delegations) {
      const links = linksOf.get(delegation) ?? [];
      const memory = session.sites.get(delegation);
      // A site never connected here is another instance's to report, or nobody's yet.
      if (links.length === 0 && !memory) continue;
      const layerLimit = this.media.layerLimit(key, delegation);
      const result = sampleSite(delegation, links, memory ?? newSite, layerLimit, now);
      session.sites.set(delegation, result.memory);
      sites.push(result.sample);
    }
    if (this.watched.get(sessionKeyId(key)) !== session) return;
    session.latest = { at: now, sites, interpreters };
    this.emit('sample', key, session.latest);
    const { state, transitions } = evaluate(session.rules, sites, this.options.rules, now);
    session.rules = state;
    await Promise.all([
      this.store.appendTelemetry(
        key.summitId,
        key.sessionId,
        sites.map((s) => ({ site: s.delegation, at: now, values: s.values })),
      ),
      ...transitions.map((t) => this.queueAlertWrite(() => this.apply(key, t))),
    ]);
  }

  private async apply(key: SessionKey, { rule, delegation, change }: Transition): Promise<void> {
    if (change.type === 'raised') {
      const alert: Alert = {
        id: alertId(rule.id, delegation, change.at),
        rule: rule.id,
        severity: rule.severity,
        delegation,
        raisedAt: change.at,
        value: change.value,
        acknowledgedAt: null,
        acknowledgedBy: null,
        clearedAt: null,
      };
      await this.publish(key, alert, 'alertRaised', null);
      return;
    }
    await this.clear(key, alertId(rule.id, delegation, change.raisedAt));
  }

  private async clear(key: SessionKey, id: string): Promise<void> {
    const alert = (await this.store.listAlerts(key.summitId, key.sessionId)).find((a) => a.id === id);
    if (!alert || alert.clearedAt !== null) return;
    await this.publish(key, { ...alert, clearedAt: this.now() }, 'alertCleared', null);
  }

  private async clearAll(key: SessionKey, raised: { key: string; raisedAt: number }[]): Promise<void> {
    for (const { key: track, raisedAt } of raised) {
      const [ruleId = '', delegation = ''] = track.split('/');
      await this.clear(key, alertId(ruleId, delegation, raisedAt));
    }
  }

  private async publish(
    key: SessionKey,
    alert: Alert,
    type: string,
    actor: AuditActor | null,
  ): Promise<void> {
    await this.store.putAlert(key.summitId, key.sessionId, alert);
    this.emit('alert', key, alert);
    await this.audit.append(key.summitId, {
      at: this.now(),
      sessionId: key.sessionId,
      type,
      actor,
      delegation: alert.delegation,
      detail: { alertId: alert.id, rule: alert.rule, severity: alert.severity, value: alert.value },
    });
  }

  private queueAlertWrite<T>(write: () => Promise<T>): Promise<T> {
    return this.alertWrites.run('alerts', write);
  }
}
