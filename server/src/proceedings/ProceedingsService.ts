import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  type AuditEntry,
  type DocumentFile,
  type DocumentFormat,
  type MeetingRecord,
  type ProceedingsState,
  RequestError,
} from '@summit-bridge/protocol';
import type { AuditLog } from '../audit/AuditLog.js';
import { sniffDocument } from '../domain/documentBody.js';
import { buildRecord } from '../domain/meetingRecord.js';
import {
  applyProceedings,
  initialProceedings,
  type ProceedingsCommand,
  type ProceedingsContext,
  type ProceedingsEvent,
  type ProceedingsResult,
  proceedingsAuditEntry,
} from '../domain/proceedings.js';
import { type SessionKey, sessionKeyId } from '../domain/sessionKey.js';
import type { Actor } from '../domain/sessionMachine.js';
import { findSession, sessionDelegations } from '../domain/summit.js';
import type { Logger } from '../log.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { ProceedingsStore } from '../store/StateStore.js';

export interface ProceedingsChange {
  key: SessionKey;
  state: ProceedingsState;
  events: ProceedingsEvent[];
}

interface ProceedingsEvents {
  /** A command changed a session's proceedings here (a deadline included): tell its clients. */
  changed: [ProceedingsChange];
}

export interface ProceedingsOptions {
  maxDocumentBytes: number;
  silenceMinMs: number;
  /** How often this instance looks for procedures that are due (any instance may close them). */
  pollMs?: number;
}

/** A document body and what it is, to be served. */
export interface DocumentBody {
  bytes: Uint8Array;
  format: DocumentFormat;
  symbol: string;
}

/** Scrolling moves the chair's screen often: it is pushed, not written to the audit trail. */
const unaudited: ReadonlySet<ProceedingsEvent['type']> = new Set(['documentScrolled']);

/**
 * Runs proceedings commands: the pure domain decides, the store serializes (and indexes the next
 * deadline), and this class fans out (listeners, audit). Deadlines are found by polling the
 * store's index, so they fire with nobody connected and after any restart; the store's
 * check-and-set makes the close happen once however many instances look.
 */
export class ProceedingsService extends EventEmitter<ProceedingsEvents> {
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  /** Delegations connected to a session now (across instances): set by the socket adapter. */
  presentDelegations: (key: SessionKey) => Promise<string[]> = async () => [];

  constructor(
    private readonly store: ProceedingsStore,
    private readonly summits: SummitCatalog,
    private readonly audit: AuditLog,
    private readonly log: Logger,
    private readonly options: ProceedingsOptions,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async state(key: SessionKey): Promise<ProceedingsState> {
    await this.context(key);
    return (
      (await this.store.getProceedings(key.summitId, key.sessionId)) ?? initialProceedings(key.sessionId)
    );
  }

  async execute(
    key: SessionKey,
    command: ProceedingsCommand,
    actor: Actor | null,
  ): Promise<ProceedingsState> {
    const ctx = await this.context(key);
    const outcome = await this.store.updateProceedings<ProceedingsResult>(
      key.summitId,
      key.sessionId,
      (stored) => {
        const result = applyProceedings(
          stored ?? initialProceedings(key.sessionId),
          command,
          actor,
          ctx,
          this.now(),
        );
        return { state: result.ok && result.events.length > 0 ? result.state : stored, result };
      },
    );
    if (!outcome.ok) throw new RequestError(outcome.error.code, outcome.error.message);
    if (outcome.events.length > 0) {
      this.emit('changed', { key, state: outcome.state, events: outcome.events });
      for (const event of outcome.events)
        if (!unaudited.has(event.type))
          await this.audit.append(key.summitId, proceedingsAuditEntry(key.sessionId, event));
    }
    return outcome.state;
  }

  /** Tables a new document, its first version in one language. */
  async table(
    key: SessionKey,
    actor: Actor,
    what: { title: string; symbol: string; language: string; format?: 'markdown' | 'text' | undefined },
    body: Uint8Array,
  ): Promise<ProceedingsState> {
    // Refused before the body is kept: no orphan bytes for a symbol already tabled.
    if ((await this.state(key)).documents.some((d) => d.symbol === what.symbol))
      throw new RequestError('conflict', `${what.symbol} is already tabled: upload a new version of it`);
    const file = await this.keep(key, actor, what.language, what.format, body);
    return this.execute(key, { type: 'tableDocument', title: what.title, symbol: what.symbol, file }, actor);
  }

  /** A new version of a document (announced to everyone); earlier versions stay readable. */
  async addVersion(
    key: SessionKey,
    actor: Actor,
    documentId: string,
    what: { language: string; format?: 'markdown' | 'text' | undefined },
    body: Uint8Array,
  ): Promise<ProceedingsState> {
    const file = await this.keep(key, actor, what.language, what.format, body);
    return this.execute(key, { type: 'addVersion', documentId, file }, actor);
  }

  /** Another language version of an existing version. */
  async addLanguage(
    key: SessionKey,
    actor: Actor,
    documentId: string,
    version: number,
    what: { language: string; format?: 'markdown' | 'text' | undefined },
    body: Uint8Array,
  ): Promise<ProceedingsState> {
    const file = await this.keep(key, actor, what.language, what.format, body);
    return this.execute(key, { type: 'addLanguage', documentId, version, file }, actor);
  }

  async body(key: SessionKey, documentId: string, version: number, language: string): Promise<DocumentBody> {
    const state = await this.state(key);
    const document = state.documents.find((d) => d.id === documentId);
    const file = document?.versions
      .find((v) => v.version === version)
      ?.files.find((f) => f.language === language);
    if (!document || !file)
      throw new RequestError('not_found', `no ${language} text of version ${version} of ${documentId}`);
    const bytes = await this.store.getDocumentBody(key.summitId, key.sessionId, file.sha256);
    if (!bytes)
      throw new RequestError('not_found', `the body of ${document.symbol} is missing from the store`);
    return { bytes, format: file.format, symbol: document.symbol };
  }

  /** The record of the meeting, drafted from the session's whole audit trail. */
  async record(key: SessionKey): Promise<MeetingRecord> {
    const { doc } = await this.summits.context(key.summitId, key.sessionId);
    const session = findSession(doc, key.sessionId);
    if (!session) throw new RequestError('not_found', `no session ${key.sessionId}`);
    const entries: AuditEntry[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.audit.read(
        key.summitId,
        after === undefined ? { limit: 1000 } : { after, limit: 1000 },
      );
      entries.push(...page.filter((e) => e.sessionId === key.sessionId));
      if (page.length < 1000) break;
      after = page.at(-1)?.id;
    }
    return buildRecord({
      summit: { id: doc.id, title: doc.title.en },
      session: { id: session.id, title: session.title.en },
      hostTimeZone: doc.host.timeZone,
      delegations: sessionDelegations(doc, session),
      entries,
      now: this.now(),
    });
  }

  /** Starts looking for due procedures every `pollMs`. */
  start(): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.closeDue(), this.options.pollMs ?? 500);
    this.poller.unref();
  }

  /** Closes whatever is due, in every session: safe to run on every instance at once. */
  async closeDue(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const ref of await this.store.dueProceedings(this.now())) {
        const key = { summitId: ref.summitId, sessionId: ref.sessionId };
        const present = await this.presentDelegations(key).catch(() => []);
        await this.execute(key, { type: 'tick', present }, null).catch((err) =>
          this.log.warn({ err, session: sessionKeyId(key) }, 'proceedings deadline failed'),
        );
      }
    } catch (err) {
      this.log.warn({ err }, 'looking for due proceedings failed');
    } finally {
      this.polling = false;
    }
  }

  close(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
  }

  private async context(key: SessionKey): Promise<ProceedingsContext> {
    const { ctx } = await this.summits.context(key.summitId, key.sessionId);
    return {
      sessionId: ctx.sessionId,
      delegations: ctx.delegations,
      silenceMinMs: this.options.silenceMinMs,
    };
  }

  /** Checks a body (size, what it is by its bytes), keeps it, and describes it. */
  private async keep(
    key: SessionKey,
    actor: Actor,
    language: string,
    textFormat: 'markdown' | 'text' | undefined,
    body: Uint8Array,
  ): Promise<DocumentFile> {
    await this.context(key);
    if (body.length > this.options.maxDocumentBytes)
      throw new RequestError(
        'invalid_payload',
        `a document is at most ${this.options.maxDocumentBytes} bytes`,
      );
    const verdict = sniffDocument(body, textFormat);
    if (!verdict.ok) throw new RequestError('invalid_payload', verdict.reason);
    const sha256 = createHash('sha256').update(body).digest('hex');
    await this.store.putDocumentBody(key.summitId, key.sessionId, sha256, body);
    return {
      language,
      format: verdict.format,
      bytes: body.length,
      sha256,
      uploadedAt: this.now(),
      uploadedBy: actor.participantId,
    };
  }
}
