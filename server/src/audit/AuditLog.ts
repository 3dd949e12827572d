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

  read(summitId: string, query: AuditQuery): Promise<AuditEntry[]> {
    return this.store.readAudit(summitId, query);
  }
}
