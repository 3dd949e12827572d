// The real store: state shared by every server instance through Redis. Keys are prefixed and
// carry the summit id as a hash tag ({summit}) so that one summit's keys share a cluster slot.
import {
  Alert,
  AuditEntry,
  Invitation,
  ProceedingsState,
  SessionState,
  SummitDocument,
} from '@summit-bridge/protocol';
import { Redis } from 'ioredis';
import { nextProceedingsDeadline } from '../domain/proceedings.js';
import {
  decodeMinute,
  decodeRaw,
  encodeMinute,
  encodeRaw,
  MINUTE_MAX_POINTS,
  MINUTE_RETENTION_MS,
  type MinutePoint,
  minuteFinishedBy,
  minuteOf,
  RAW_MAX_POINTS,
  RAW_RETENTION_MS,
  type RawPoint,
  ROW_LAYOUT,
  type SitePoint,
} from '../domain/telemetry/series.js';
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
  StoreConflictError,
} from './StateStore.js';

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key, so that several deployments or tests can share one Redis. */
  prefix?: string;
  /** Audit entries kept per summit (approximately: Redis trims whole stream nodes). */
  auditMaxLen?: number;
  alertsMax?: number;
  /** Check-and-set attempts before an update gives up with StoreConflictError. */
  maxAttempts?: number;
  /** Connection problems after the first connect (commands fail on their own meanwhile). */
  onError?: (err: Error) => void;
}

// Writes the session state only if its stored version is still the one read ('' = no state).
// KEYS[1] session hash; ARGV: expected version, new version, new state JSON ('' deletes).
const checkAndSet = `
local stored = redis.call('HGET', KEYS[1], 'v')
if stored == false then stored = '' end
if stored ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('DEL', KEYS[1]) else redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3]) end
return 1
`;

// The same for a session's proceedings, and its next deadline in the summit's index in the same step.
// KEYS[1] proceedings hash, KEYS[2] the summit's deadline index; ARGV: expected version, new
// version, new state JSON ('' deletes), deadline ('' none), session id.
const proceedingsCheckAndSet = `
local stored = redis.call('HGET', KEYS[1], 'v')
if stored == false then stored = '' end
if stored ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('DEL', KEYS[1]) else redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3]) end
if ARGV[4] == '' then redis.call('ZREM', KEYS[2], ARGV[5]) else redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5]) end
return 1
`;

// Drops an instance's record only if it is the one the caller saw: an instance that spoke again
// (a long pause, not a death) keeps its record.
const dropIfSeen = `
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored == false then return 0 end
if cjson.decode(stored).seenAt ~= tonumber(ARGV[2]) then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])
`;

/** Points read back to summarize a finished minute: a minute of 2-s points, with room to spare. */
const RECENT_POINTS = 90;

type SessionRedis = Redis & {
  sessionCheckAndSet(key: string, expected: string, version: string, json: string): Promise<number>;
  proceedingsCheckAndSet(
    key: string,
    index: string,
    expected: string,
    version: string,
    json: string,
    deadline: string,
    sessionId: string,
  ): Promise<number>;
  instanceDropIfSeen(key: string, instanceId: string, seenAt: string): Promise<number>;
};

/** A versioned value kept as a hash { v, s }: a session's state or its proceedings. */
interface Versioned {
  version: number;
  sessionId: string;
}

export class RedisStore implements StateStore {
  /** Connects, failing fast with a clear message when Redis does not answer. */
  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const redis = new Redis(options.url, { lazyConnect: true });
    const onError = options.onError ?? ((err: Error) => console.error(`[store] redis: ${err.message}`));
    redis.on('error', onError);
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new Error(`cannot reach Redis at ${options.url}: ${(err as Error).message}`);
    }
    redis.defineCommand('sessionCheckAndSet', { numberOfKeys: 1, lua: checkAndSet });
    redis.defineCommand('proceedingsCheckAndSet', { numberOfKeys: 2, lua: proceedingsCheckAndSet });
    redis.defineCommand('instanceDropIfSeen', { numberOfKeys: 1, lua: dropIfSeen });
    return new RedisStore(redis as SessionRedis, options);
  }

  private readonly prefix: string;
  private readonly auditMaxLen: number;
  private readonly alertsMax: number;
  private readonly maxAttempts: number;
  /** Updates of one session from this process wait for each other: races only come from other processes. */
  private readonly queues = new Map<string, Promise<void>>();

  private constructor(
    private readonly redis: SessionRedis,
    options: RedisStoreOptions,
  ) {
    this.prefix = options.prefix ?? 'sb:';
    this.auditMaxLen = options.auditMaxLen ?? DEFAULT_AUDIT_MAX_LEN;
    this.alertsMax = options.alertsMax ?? DEFAULT_ALERTS_MAX;
    this.maxAttempts = options.maxAttempts ?? 100;
  }

  private key(summitId: string, what: string): string {
    return `${this.prefix}{${summitId}}:${what}`;
  }

  async putSummit(doc: SummitDocument): Promise<void> {
    await this.redis
      .multi()
      .set(this.key(doc.id, 'summit'), JSON.stringify(doc))
      .sadd(`${this.prefix}summits`, doc.id)
      .exec();
  }

  async getSummit(summitId: string): Promise<SummitDocument | null> {
    const json = await this.redis.get(this.key(summitId, 'summit'));
    return json === null ? null : SummitDocument.parse(JSON.parse(json));
  }

  async listSummits(): Promise<string[]> {
    return (await this.redis.smembers(`${this.prefix}summits`)).sort();
  }

  async getSessionState(summitId: string, sessionId: string): Promise<SessionState | null> {
    const json = await this.redis.hget(this.key(summitId, `session:${sessionId}`), 's');
    return json === null ? null : SessionState.parse(JSON.parse(json));
  }

  updateSessionState<T>(summitId: string, sessionId: string, change: SessionChange<T>): Promise<T> {
    const key = this.key(summitId, `session:${sessionId}`);
    return this.serialized(key, () =>
      this.checkAndSetLoop(
        key,
        change,
        (json) => SessionState.parse(JSON.parse(json)),
        (expected, next) =>
          this.redis.sessionCheckAndSet(
            key,
            expected,
            next ? String(next.version) : '',
            next ? JSON.stringify(next) : '',
          ),
      ),
    );
  }

  /** Updates of one key from this process wait for each other: races only come from other processes. */
  private serialized<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const update = previous.then(run);
    const done = update.then(
      () => {},
      () => {},
    );
    this.queues.set(key, done);
    void done.then(() => {
      if (this.queues.get(key) === done) this.queues.delete(key);
    });
    return update;
  }

  private async checkAndSetLoop<S extends Versioned, T>(
    key: string,
    change: (state: S | null) => { state: S | null; result: T },
    parse: (json: string) => S,
    write: (expected: string, next: S | null) => Promise<number>,
  ): Promise<T> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const [version, json] = await this.redis.hmget(key, 'v', 's');
      const before = json ? parse(json) : null;
      const { state, result } = change(before);
      if (state === before) return result;
      checkVersionAdvances(before, state);
      if ((await write(version ?? '', state)) === 1) return result;
    }
    throw new StoreConflictError(`${key}: still conflicting after ${this.maxAttempts} attempts`);
  }

  async getProceedings(summitId: string, sessionId: string): Promise<ProceedingsState | null> {
    const json = await this.redis.hget(this.key(summitId, `proceedings:${sessionId}`), 's');
    return json === null ? null : ProceedingsState.parse(JSON.parse(json));
  }

  updateProceedings<T>(summitId: string, sessionId: string, change: ProceedingsChange<T>): Promise<T> {
    const key = this.key(summitId, `proceedings:${sessionId}`);
    const index = this.key(summitId, 'proceedings-deadlines');
    return this.serialized(key, () =>
      this.checkAndSetLoop(
        key,
        change,
        (json) => ProceedingsState.parse(JSON.parse(json)),
        (expected, next) => {
          const deadline = next && nextProceedingsDeadline(next);
          return this.redis.proceedingsCheckAndSet(
            key,
            index,
            expected,
            next ? String(next.version) : '',
            next ? JSON.stringify(next) : '',
            deadline === null ? '' : String(deadline),
            sessionId,
          );
        },
      ),
    );
  }

  async dueProceedings(now: number): Promise<SessionRef[]> {
    const summits = await this.listSummits();
    const due = await this.pipelined(
      summits.map((id) => ['zrangebyscore', this.key(id, 'proceedings-deadlines'), '-inf', String(now)]),
    );
    return summits.flatMap((summitId, i) =>
      ((due[i] as string[] | undefined) ?? []).map((sessionId) => ({ summitId, sessionId })),
    );
  }

  async putDocumentBody(
    summitId: string,
    sessionId: string,
    sha256: string,
    body: Uint8Array,
  ): Promise<void> {
    await this.redis.set(this.key(summitId, `document:${sessionId}:${sha256}`), Buffer.from(body));
  }

  async getDocumentBody(summitId: string, sessionId: string, sha256: string): Promise<Uint8Array | null> {
    const body = await this.redis.getBuffer(this.key(summitId, `document:${sessionId}:${sha256}`));
    return body === null ? null : new Uint8Array(body);
  }

  async putInvitation(summitId: string, invitation: Invitation): Promise<void> {
    await this.redis.hset(this.key(summitId, 'invitations'), invitation.jti, JSON.stringify(invitation));
  }

  async listInvitations(summitId: string): Promise<Invitation[]> {
    const all = await this.redis.hvals(this.key(summitId, 'invitations'));
    return all.map((json) => Invitation.parse(JSON.parse(json))).sort(inIssueOrder);
  }

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    // The mark expires with the token: after that the token is refused as expired anyway.
    await this.redis.set(`${this.prefix}revoked:${jti}`, '1', 'PXAT', Math.ceil(expiresAt));
  }

  async isRevoked(jti: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}revoked:${jti}`)) === 1;
  }

  async admit(summitId: string, sessionId: string, participantId: string): Promise<void> {
    await this.redis.sadd(this.key(summitId, `admitted:${sessionId}`), participantId);
  }

  async isAdmitted(summitId: string, sessionId: string, participantId: string): Promise<boolean> {
    return (await this.redis.sismember(this.key(summitId, `admitted:${sessionId}`), participantId)) === 1;
  }

  async instanceAlive(record: InstanceRecord): Promise<void> {
    await this.redis.hset(`${this.prefix}instances`, record.instanceId, JSON.stringify(record));
  }

  async instances(): Promise<InstanceRecord[]> {
    const all = await this.redis.hvals(`${this.prefix}instances`);
    return all.map((json) => JSON.parse(json) as InstanceRecord);
  }

  async dropInstance(instanceId: string, seenAt: number): Promise<boolean> {
    return (await this.redis.instanceDropIfSeen(`${this.prefix}instances`, instanceId, String(seenAt))) === 1;
  }

  async appendAudit(summitId: string, entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const id = await this.redis.xadd(
      this.key(summitId, 'audit'),
      'MAXLEN',
      '~',
      this.auditMaxLen,
      '*',
      'e',
      JSON.stringify(entry),
    );
    if (id === null) throw new Error('XADD returned no id');
    return { id, ...entry };
  }

  async readAudit(summitId: string, { after, limit }: AuditQuery): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.redis.xrange(
      this.key(summitId, 'audit'),
      after === undefined ? '-' : `(${after}`,
      '+',
      'COUNT',
      limit,
    );
    return rows.map(([id, fields]) => AuditEntry.parse({ ...JSON.parse(fields[1] ?? '{}'), id }));
  }

  private seriesKey(summitId: string, sessionId: string, site: string, what: 'raw' | 'min'): string {
    return this.key(summitId, `${ROW_LAYOUT}:${sessionId}:${site}:${what}`);
  }

  // Three round trips per round, whatever the number of sites: the newest point of each site,
  // the recent points of the sites whose minute just ended, then every write in one MULTI.
  async appendTelemetry(summitId: string, sessionId: string, points: readonly SitePoint[]): Promise<void> {
    if (points.length === 0) return;
    const keys = points.map(({ site }) => ({
      raw: this.seriesKey(summitId, sessionId, site, 'raw'),
      min: this.seriesKey(summitId, sessionId, site, 'min'),
    }));
    const newest = await this.pipelined(keys.map(({ raw }) => ['lindex', raw, '-1']));
    const ending = points.flatMap((point, i) => {
      const last = newest[i];
      return typeof last === 'string' && minuteOf(decodeRaw(last).at) < minuteOf(point.at) ? [i] : [];
    });
    const recent = await this.pipelined(
      ending.map((i) => ['lrange', keys[i]?.raw ?? '', String(-RECENT_POINTS), '-1']),
    );
    const write = this.redis.multi();
    ending.forEach((i, n) => {
      const point = points[i];
      const key = keys[i];
      const rows = recent[n];
      if (!point || !key || !Array.isArray(rows)) return;
      const finished = minuteFinishedBy((rows as string[]).map(decodeRaw), point);
      if (!finished) return;
      write
        .rpush(key.min, encodeMinute(finished))
        .ltrim(key.min, -MINUTE_MAX_POINTS, -1)
        .pexpire(key.min, MINUTE_RETENTION_MS);
    });
    points.forEach((point, i) => {
      const key = keys[i];
      if (!key) return;
      write
        .rpush(key.raw, encodeRaw(point))
        .ltrim(key.raw, -RAW_MAX_POINTS, -1)
        .pexpire(key.raw, RAW_RETENTION_MS);
    });
    await write.exec();
  }

  private async pipelined(commands: string[][]): Promise<unknown[]> {
    if (commands.length === 0) return [];
    const replies = (await this.redis.pipeline(commands).exec()) ?? [];
    return replies.map(([err, value]) => {
      if (err) throw err;
      return value;
    });
  }

  async readRawTelemetry(
    summitId: string,
    sessionId: string,
    site: string,
    since: number,
  ): Promise<RawPoint[]> {
    const rows = await this.redis.lrange(this.seriesKey(summitId, sessionId, site, 'raw'), 0, -1);
    return rows.map(decodeRaw).filter((p) => p.at >= since);
  }

  async readMinuteTelemetry(
    summitId: string,
    sessionId: string,
    site: string,
    since: number,
  ): Promise<MinutePoint[]> {
    const rows = await this.redis.lrange(this.seriesKey(summitId, sessionId, site, 'min'), 0, -1);
    return rows.map(decodeMinute).filter((p) => p.at >= since);
  }

  async putAlert(summitId: string, sessionId: string, alert: Alert): Promise<void> {
    const key = this.key(summitId, `alerts:${sessionId}`);
    const [, [, count]] = (await this.redis
      .multi()
      .hset(key, alert.id, JSON.stringify(alert))
      .hlen(key)
      .exec()) as [[Error | null, unknown], [Error | null, number]];
    if (count <= this.alertsMax) return;
    const drop = alertsToDrop(await this.listAlerts(summitId, sessionId), this.alertsMax);
    if (drop.length > 0) await this.redis.hdel(key, ...drop.map((a) => a.id));
  }

  async listAlerts(summitId: string, sessionId: string): Promise<Alert[]> {
    const all = await this.redis.hvals(this.key(summitId, `alerts:${sessionId}`));
    return all.map((json) => Alert.parse(JSON.parse(json))).sort(byRaiseTime);
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.values());
    await this.redis.quit();
  }
}
