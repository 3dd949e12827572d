import type { AuditEntry } from '@summit-bridge/protocol';
import type { Logger } from '../log.js';
import type { AuditQuery, AuditStore } from '../store/StateStore.js';

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'> & { at?: number };

/**
 * The one way into a summit's audit trail. What it records has already happened, so a store that
 * fails to keep the line is logged, never thrown back at the action.
 */
export class AuditLog {
  constructor(
    private readonly store: AuditStore,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async append(summitId: string, record: AuditRecord): Promise<void> {
    try {
      await this.store.appendAudit(summitId, { ...record, at: record.at ?? this.now() });
    } catch (err) {
      this.log.error({ err, summit: summitId, type: record.type }, 'audit append failed');
    }
  }

  /**
   * The trail, oldest first. With `sessions`, only what happened in those sessions: a technician of
   * one session does not read another's, nor the summit's own lines (invitations, refused tokens).
   */
  async read(summitId: string, query: AuditQuery, sessions?: ReadonlySet<string>): Promise<AuditEntry[]> {
    if (!sessions) return this.store.readAudit(summitId, query);
    const kept: AuditEntry[] = [];
    let after = query.after;
    // Pages of the whole trail, filtered, until the limit is met (bounded: a page at most 1,000).
    for (let page = 0; page < 20 && kept.length < query.limit; page++) {
      const entries = await this.store.readAudit(summitId, { after, limit: query.limit });
      if (entries.length === 0) break;
      kept.push(...entries.filter((e) => e.sessionId !== null && sessions.has(e.sessionId)));
      after = entries.at(-1)?.id;
    }
    return kept.slice(0, query.limit);
  }
}
