import { EventEmitter } from 'node:events';
import type { SummitDocument } from '@summit-bridge/protocol';
import { RequestError } from '@summit-bridge/protocol';
import type { SessionContext } from '../domain/sessionMachine.js';
import { sessionContext } from '../domain/summit.js';
import type { SummitStore } from '../store/StateStore.js';

interface CatalogEvents {
  /** A summit document was replaced here: other instances and live connections must know. */
  changed: [summitId: string];
}

/**
 * Summit documents change rarely (the secretariat edits them before the event) and are read on
 * every join and command: keep them in memory, dropped when the admin API changes one.
 */
export class SummitCatalog extends EventEmitter<CatalogEvents> {
  private readonly cache = new Map<string, Promise<SummitDocument | null>>();

  constructor(private readonly store: SummitStore) {
    super();
  }

  get(summitId: string): Promise<SummitDocument | null> {
    let doc = this.cache.get(summitId);
    if (!doc) {
      doc = this.store.getSummit(summitId);
      this.cache.set(summitId, doc);
      doc.then(
        (d) => d ?? this.cache.delete(summitId),
        () => this.cache.delete(summitId),
      );
    }
    return doc;
  }

  async require(summitId: string): Promise<SummitDocument> {
    const doc = await this.get(summitId);
    if (!doc) throw new RequestError('not_found', `no summit ${summitId}`);
    return doc;
  }

  async context(summitId: string, sessionId: string): Promise<{ doc: SummitDocument; ctx: SessionContext }> {
    const doc = await this.require(summitId);
    const ctx = sessionContext(doc, sessionId);
    if (!ctx) throw new RequestError('not_found', `no session ${sessionId} in summit ${summitId}`);
    return { doc, ctx };
  }

  async put(doc: SummitDocument): Promise<void> {
    await this.store.putSummit(doc);
    this.invalidate(doc.id);
    this.emit('changed', doc.id);
  }

  invalidate(summitId: string): void {
    this.cache.delete(summitId);
  }
}
