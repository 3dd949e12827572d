import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { putAlerts, stateStoreContract } from './contract.js';
import { proceedingsStoreContract } from './proceedingsContract.js';

stateStoreContract('MemoryStore', async () => new MemoryStore());
proceedingsStoreContract('MemoryStore', async () => new MemoryStore());

describe('MemoryStore bounds', () => {
  it('keeps only the newest audit entries past its bound', async () => {
    const store = new MemoryStore({ auditMaxLen: 5 });
    for (let i = 0; i < 12; i++)
      await store.appendAudit('s', {
        at: i,
        sessionId: null,
        type: `e${i}`,
        actor: null,
        delegation: null,
        detail: {},
      });
    const kept = await store.readAudit('s', { limit: 100 });
    expect(kept.map((e) => e.type)).toEqual(['e7', 'e8', 'e9', 'e10', 'e11']);
  });

  it('forgets a revocation once the token has expired', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    await store.revokeToken('some-jti', now + 60_000);
    expect(await store.isRevoked('some-jti')).toBe(true);
    now += 60_000;
    expect(await store.isRevoked('some-jti')).toBe(false);
  });

  it('keeps the newest alerts past its bound, dropping cleared ones first', async () => {
    const store = new MemoryStore({ alertsMax: 3 });
    await putAlerts(store);
    expect((await store.listAlerts('asean-2020', 'som')).map((a) => a.id)).toEqual(['a1', 'a4', 'a5']);
  });
});
