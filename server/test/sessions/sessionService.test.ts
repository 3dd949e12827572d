// The session service's timer: armed by the newest state only, even when reads race commands.
import type { SessionState } from '@summit-bridge/protocol';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { AuditLog } from '../../src/audit/AuditLog.js';
import { demoSummit } from '../../src/demo/index.js';
import type { Actor } from '../../src/domain/sessionMachine.js';
import { createLogger } from '../../src/log.js';
import { SessionService } from '../../src/sessions/SessionService.js';
import { SummitCatalog } from '../../src/sessions/SummitCatalog.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';

const key = { summitId: 'asean-2020', sessionId: 'acc' };
const chair: Actor = { participantId: 'chair', delegation: 'VNM', role: 'chair' };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

it('marks the warning and the overrun even when a slow read of an older state finishes last', async () => {
  const store = new MemoryStore();
  await store.putSummit(demoSummit());
  // A store whose next read of the session state waits until released: a join's watch in flight.
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const slowReads = Object.create(store) as MemoryStore;
  let stale: SessionState | null = null;
  slowReads.getSessionState = async (summitId, sessionId) => {
    stale = await store.getSessionState(summitId, sessionId);
    await gate;
    return stale;
  };
  const log = createLogger('error');
  const sessions = new SessionService(slowReads, new SummitCatalog(store), new AuditLog(store, log), log);

  await sessions.execute(key, { type: 'setStatus', status: 'open' }, chair);
  await sessions.execute(key, { type: 'give', delegation: 'MMR' }, chair);
  const watching = sessions.watch(key);
  await sessions.execute(key, { type: 'setLimit', limitSec: 10, scope: 'current' }, chair);
  release();
  await watching;
  expect(stale).not.toBeNull();

  await vi.advanceTimersByTimeAsync(10_500);
  const state = await store.getSessionState(key.summitId, key.sessionId);
  expect(state?.floor.current).toMatchObject({ delegation: 'MMR', warned: true, overran: true });
  sessions.close();
});

it('arms the timer again when it fires a moment before the deadline by the clock', async () => {
  const store = new MemoryStore();
  await store.putSummit(demoSummit());
  // Node's timers may fire a millisecond early by Date.now(): model it with a clock that falls
  // behind once the timer is armed.
  let lagMs = 0;
  const log = createLogger('error');
  const sessions = new SessionService(
    store,
    new SummitCatalog(store),
    new AuditLog(store, log),
    log,
    () => Date.now() - lagMs,
  );
  await sessions.execute(key, { type: 'setStatus', status: 'open' }, chair);
  await sessions.execute(key, { type: 'give', delegation: 'MMR' }, chair);
  await sessions.execute(key, { type: 'setLimit', limitSec: 10, scope: 'current' }, chair);
  lagMs = 1;

  await vi.advanceTimersByTimeAsync(10_500);
  const state = await store.getSessionState(key.summitId, key.sessionId);
  expect(state?.floor.current).toMatchObject({ delegation: 'MMR', warned: true, overran: true });
  sessions.close();
});
