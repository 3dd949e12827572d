import { type MetricValues, metricNames } from '@summit-bridge/protocol';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { initialSessionState } from '../../src/domain/sessionMachine.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { doc, sessionOf } from '../domain/meeting.js';
import { useRedis } from '../support/redis.js';
import { putAlerts, stateStoreContract } from './contract.js';
import { proceedingsStoreContract } from './proceedingsContract.js';

const redis = useRedis();
let namespaces = 0;
const prefix = () => `sb-test-${++namespaces}:`;

stateStoreContract('RedisStore', () => RedisStore.connect({ url: redis().url, prefix: prefix() }));
proceedingsStoreContract('RedisStore', () => RedisStore.connect({ url: redis().url, prefix: prefix() }));

describe('RedisStore', () => {
  const som = sessionOf('som').session;

  it('keeps everything for a new store on the same Redis (a server restart)', async () => {
    const keys = prefix();
    const before = await RedisStore.connect({ url: redis().url, prefix: keys });
    await before.putSummit(doc);
    await before.updateSessionState('asean-2020', 'som', () => ({
      state: { ...initialSessionState('som', som), version: 3, status: 'open' },
      result: null,
    }));
    await before.putInvitation('asean-2020', {
      id: 'hod-vnm',
      name: 'Head of delegation',
      delegation: 'VNM',
      role: 'head_of_delegation',
      sessions: ['som'],
      jti: 'restart-jti',
      issuedAt: 1,
      expiresAt: Date.now() + 3_600_000,
      revoked: true,
    });
    await before.revokeToken('restart-jti', Date.now() + 3_600_000);
    const entry = await before.appendAudit('asean-2020', {
      at: 1,
      sessionId: 'som',
      type: 'statusChanged',
      actor: null,
      delegation: null,
      detail: { from: 'scheduled', to: 'open' },
    });
    await before.close();

    const after = await RedisStore.connect({ url: redis().url, prefix: keys });
    try {
      expect(await after.getSummit('asean-2020')).toEqual(doc);
      expect(await after.getSessionState('asean-2020', 'som')).toMatchObject({ version: 3, status: 'open' });
      expect((await after.listInvitations('asean-2020')).map((i) => i.jti)).toEqual(['restart-jti']);
      expect(await after.isRevoked('restart-jti')).toBe(true);
      expect(await after.readAudit('asean-2020', { limit: 10 })).toEqual([entry]);
    } finally {
      await after.close();
    }
  });

  it('never loses an update when two stores (two servers) race on one session', async () => {
    const keys = prefix();
    const stores = await Promise.all(
      [0, 1].map(() => RedisStore.connect({ url: redis().url, prefix: keys })),
    );
    try {
      await stores[0]?.updateSessionState('asean-2020', 'som', () => ({
        state: initialSessionState('som', som),
        result: null,
      }));
      const rounds = 40;
      const written = await Promise.all(
        Array.from({ length: rounds }, (_, i) =>
          stores[i % 2]?.updateSessionState('asean-2020', 'som', (state) => {
            if (!state) throw new Error('no state');
            const speakingTimeMs = { ...state.floor.speakingTimeMs, [`D${i}`]: i };
            return {
              state: { ...state, version: state.version + 1, floor: { ...state.floor, speakingTimeMs } },
              result: state.version + 1,
            };
          }),
        ),
      );
      expect([...written].sort((a = 0, b = 0) => a - b)).toEqual(
        Array.from({ length: rounds }, (_, i) => i + 1),
      );
      const final = await stores[1]?.getSessionState('asean-2020', 'som');
      expect(final?.version).toBe(rounds);
      expect(Object.keys(final?.floor.speakingTimeMs ?? {})).toHaveLength(rounds);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('keeps the audit stream near its bound', async () => {
    const store = await RedisStore.connect({ url: redis().url, prefix: prefix(), auditMaxLen: 100 });
    try {
      for (let i = 0; i < 1000; i++)
        await store.appendAudit('s', {
          at: i,
          sessionId: null,
          type: 'e',
          actor: null,
          delegation: null,
          detail: {},
        });
      const kept = await store.readAudit('s', { limit: 2000 });
      // MAXLEN ~ trims whole stream nodes (100 entries each by default): at least the bound stays.
      expect(kept.length).toBeGreaterThanOrEqual(100);
      expect(kept.length).toBeLessThanOrEqual(200);
      expect(kept.at(-1)?.at).toBe(999);
    } finally {
      await store.close();
    }
  });

  it('expires telemetry with its retention and keeps a site-day of it within its memory bound', async () => {
    const keys = prefix();
    const store = await RedisStore.connect({ url: redis().url, prefix: keys });
    const raw = new Redis(redis().url);
    try {
      // Every metric measured, with the decimals real samples have: the worst case for memory.
      const full = (i: number) =>
        Object.fromEntries(
          metricNames.map((m, k) => [m, Math.round((1000 + i * 7.3 + k) * 10) / 10]),
        ) as MetricValues;
      const start = Date.parse('2020-05-18T00:00:00Z');
      // A day of minutes (one point a minute finishes each minute), then an hour of 2-s points.
      for (let i = 0; i <= 24 * 60; i++)
        await store.appendTelemetry('asean-2020', 'som', [
          { site: 'VNM', at: start + i * 60_000, values: full(i) },
        ]);
      for (let i = 1; i <= 1800; i++)
        await store.appendTelemetry('asean-2020', 'som', [
          { site: 'VNM', at: start + 24 * 3_600_000 + i * 2_000, values: full(i) },
        ]);
      const rawKey = `${keys}{asean-2020}:tm1:som:VNM:raw`;
      const minKey = `${keys}{asean-2020}:tm1:som:VNM:min`;
      expect(await raw.pttl(rawKey)).toBeGreaterThan(3_500_000);
      expect(await raw.pttl(rawKey)).toBeLessThanOrEqual(3_600_000);
      expect(await raw.pttl(minKey)).toBeGreaterThan(47 * 3_600_000);
      expect(await raw.llen(minKey)).toBeGreaterThanOrEqual(24 * 60);
      const bytes = Number(await raw.memory('USAGE', rawKey)) + Number(await raw.memory('USAGE', minKey));
      // README: about 0.7 MB per site for a day (an hour of 2-s points and a day of minutes).
      expect(bytes).toBeLessThan(900_000);
    } finally {
      raw.disconnect();
      await store.close();
    }
  });

  it('keeps the newest alerts past its bound, dropping cleared ones first', async () => {
    const store = await RedisStore.connect({ url: redis().url, prefix: prefix(), alertsMax: 3 });
    try {
      await putAlerts(store);
      expect((await store.listAlerts('asean-2020', 'som')).map((a) => a.id)).toEqual(['a1', 'a4', 'a5']);
    } finally {
      await store.close();
    }
  });

  it('separates deployments by key prefix', async () => {
    const [a, b] = await Promise.all(
      [prefix(), prefix()].map((p) => RedisStore.connect({ url: redis().url, prefix: p })),
    );
    try {
      await a?.putSummit(doc);
      expect(await b?.listSummits()).toEqual([]);
      expect(await b?.getSummit('asean-2020')).toBeNull();
    } finally {
      await Promise.all([a?.close(), b?.close()]);
    }
  });

  it('fails fast with a clear message when Redis does not answer', async () => {
    const url = 'redis://127.0.0.1:1'; // nothing listens on port 1
    await expect(RedisStore.connect({ url, onError: () => {} })).rejects.toThrow(/cannot reach Redis/);
  });
});
