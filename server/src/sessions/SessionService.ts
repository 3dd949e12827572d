import { EventEmitter } from 'node:events';
import type { SessionState } from '@summit-bridge/protocol';
import { RequestError } from '@summit-bridge/protocol';
import type { AuditLog } from '../audit/AuditLog.js';
import { type SessionKey, sessionKeyId } from '../domain/sessionKey.js';
import {
  type Actor,
  applyCommand,
  auditEntry,
  type CommandResult,
  type DomainEvent,
  initialSessionState,
  nextTimerDeadline,
  type SessionCommand,
} from '../domain/sessionMachine.js';
import type { Logger } from '../log.js';
import type { SessionStateStore } from '../store/StateStore.js';
import type { SummitCatalog } from './SummitCatalog.js';

export interface SessionChange {
  key: SessionKey;
  state: SessionState;
  events: DomainEvent[];
}

interface SessionServiceEvents {
  /** A command changed a session here: tell its clients and the other instances. */
  changed: [SessionChange];
  /** Another instance changed a session: re-apply what depends on it locally (mic policy, timers). */
  changedElsewhere: [SessionChange];
}

/**
 * Runs session commands: the pure domain decides, the store serializes and keeps, and this
 * class fans the outcome out (listeners, audit) and schedules the timer's next warning/overrun.
 */
export class SessionService extends EventEmitter<SessionServiceEvents> {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly trackedVersions = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly store: SessionStateStore,
    private readonly summits: SummitCatalog,
    private readonly audit: AuditLog,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async state(key: SessionKey): Promise<SessionState> {
    const stored = await this.store.getSessionState(key.summitId, key.sessionId);
    if (stored) return stored;
    const { doc } = await this.summits.context(key.summitId, key.sessionId);
    const session = doc.sessions.find((s) => s.id === key.sessionId);
    if (!session) throw new RequestError('not_found', `no session ${key.sessionId}`);
    return initialSessionState(key.sessionId, session);
  }

  async execute(key: SessionKey, command: SessionCommand, actor: Actor | null): Promise<SessionState> {
    const { doc, ctx } = await this.summits.context(key.summitId, key.sessionId);
    const session = doc.sessions.find((s) => s.id === key.sessionId);
    if (!session) throw new RequestError('not_found', `no session ${key.sessionId}`);
    const outcome = await this.store.updateSessionState<CommandResult>(
      key.summitId,
      key.sessionId,
      (stored) => {
        const result = applyCommand(
          stored ?? initialSessionState(key.sessionId, session),
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
      const change = { key, state: outcome.state, events: outcome.events };
      this.track(change);
      this.emit('changed', change);
      for (const event of change.events)
        await this.audit.append(key.summitId, auditEntry(key.sessionId, event));
    }
    return outcome.state;
  }

  /** A change made by another instance, relayed to this one. */
  receiveRemoteChange(change: SessionChange): void {
    this.track(change);
    this.emit('changedElsewhere', change);
  }

  /** Re-arm the timer of a session this instance serves (after a start or a restart). */
  async watch(key: SessionKey): Promise<void> {
    const state = await this.state(key);
    // Every join watches: a state already tracked here needs nothing (a storm of joins re-arms nothing).
    if (this.trackedVersions.get(sessionKeyId(key)) === state.version) return;
    this.track({ key, state, events: [] });
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  // The server schedules only the moments that change state (warning, overrun); clients count down.
  private track({ key, state }: SessionChange): void {
    const id = sessionKeyId(key);
    // A state read before a newer change (a join's watch racing a command) must not re-arm the timer.
    if (state.version < (this.trackedVersions.get(id) ?? -1)) return;
    this.trackedVersions.set(id, state.version);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    const deadline = nextTimerDeadline(state);
    if (deadline === null || this.closed) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        this.execute(key, { type: 'tick' }, null)
          // setTimeout may fire a millisecond before the deadline by Date.now(); a tick that marked
          // nothing then changed nothing, so arm again from the state as it stands.
          .then((state) => this.track({ key, state, events: [] }))
          .catch((err) => this.log.warn({ err, session: id }, 'timer tick failed'));
      },
      Math.max(0, deadline - this.now()),
    );
    timer.unref();
    this.timers.set(id, timer);
  }
}
